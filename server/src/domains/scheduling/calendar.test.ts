import { describe, it, expect } from 'vitest';
import { ALWAYS_OPEN_CALENDAR, NUMI_CALENDAR, validateCalendar } from './calendar';

const base = { timezone: 'Europe/Paris', slots: [], holidays: null, closures: [] };
const errorsOf = (c: unknown): string[] => {
  const r = validateCalendar(c);
  return r.ok ? [] : r.errors;
};
const slot = (weekday: unknown, start: unknown, end: unknown) => ({ weekday, start, end });

describe('validateCalendar', () => {
  it('accepts the built-in calendars unchanged', () => {
    expect(validateCalendar(NUMI_CALENDAR)).toEqual({ ok: true, calendar: NUMI_CALENDAR });
    expect(validateCalendar(ALWAYS_OPEN_CALENDAR)).toEqual({ ok: true, calendar: ALWAYS_OPEN_CALENDAR });
  });

  it('describes NUMI: 4 × 7h Monday–Thursday, 6h Friday, French holidays', () => {
    expect(NUMI_CALENDAR.slots).toHaveLength(10);
    expect(NUMI_CALENDAR.slots.filter((s) => s.weekday === 5)).toEqual([
      { weekday: 5, start: '09:00', end: '12:00' },
      { weekday: 5, start: '14:00', end: '17:00' },
    ]);
    expect(NUMI_CALENDAR.holidays).toEqual({ country: 'FR' });
    expect(Object.isFrozen(NUMI_CALENDAR.slots[0])).toBe(true);
  });

  it('rejects non-objects', () => {
    expect(errorsOf(null)).toEqual(['calendar: expected an object']);
    expect(errorsOf([])).toEqual(['calendar: expected an object']);
  });

  it('names a bad time zone', () => {
    expect(errorsOf({ ...base, timezone: 'Europe/Pariss' })).toEqual([
      'timezone: "Europe/Pariss" is not a valid IANA time zone (e.g. "Europe/Paris")',
    ]);
    expect(errorsOf({ ...base, timezone: undefined })).toEqual([
      'timezone: undefined is not a valid IANA time zone (e.g. "Europe/Paris")',
    ]);
  });

  it.each([
    [slot(1, '9:00', '12:00'), 'slots[0].start: "9:00" is not a valid HH:MM time (00:00–23:59)'],
    [slot(1, '09:00', '25:00'), 'slots[0].end: "25:00" is not a valid HH:MM time (00:00–24:00)'],
    [slot(1, '09:60', '12:00'), 'slots[0].start: "09:60" is not a valid HH:MM time (00:00–23:59)'],
    [slot(1, '24:00', '24:00'), 'slots[0].start: "24:00" is not a valid HH:MM time (00:00–23:59)'],
    [slot(1, 900, '12:00'), 'slots[0].start: 900 is not a valid HH:MM time (00:00–23:59)'],
    [slot(1, '12:00', '09:00'), 'slots[0]: end "09:00" must be after start "12:00"'],
    [slot(1, '09:00', '09:00'), 'slots[0]: end "09:00" must be after start "09:00"'],
    [slot(0, '09:00', '12:00'), 'slots[0].weekday: 0 is not an ISO weekday (1 = Monday … 7 = Sunday)'],
    [slot(8, '09:00', '12:00'), 'slots[0].weekday: 8 is not an ISO weekday (1 = Monday … 7 = Sunday)'],
    [slot('1', '09:00', '12:00'), 'slots[0].weekday: "1" is not an ISO weekday (1 = Monday … 7 = Sunday)'],
    ['09:00-12:00', 'slots[0]: expected {weekday, start, end}'],
  ])('rejects slot %j', (s, message) => {
    expect(errorsOf({ ...base, slots: [s] })).toEqual([message]);
  });

  it('accepts 24:00 as an end', () => {
    expect(errorsOf({ ...base, slots: [slot(6, '20:00', '24:00')] })).toEqual([]);
  });

  it('rejects overlapping slots on the same day only', () => {
    expect(errorsOf({ ...base, slots: [slot(1, '09:00', '12:00'), slot(2, '08:00', '10:00'), slot(1, '11:00', '13:00')] })).toEqual([
      'slots[2] overlaps slots[0] on weekday 1',
    ]);
    // Listed in reverse order, the later index is still the one reported.
    expect(errorsOf({ ...base, slots: [slot(3, '11:00', '13:00'), slot(3, '09:00', '12:00')] })).toEqual([
      'slots[1] overlaps slots[0] on weekday 3',
    ]);
    // A long slot clashes with every slot inside it, not only the next one.
    expect(errorsOf({ ...base, slots: [slot(4, '09:00', '18:00'), slot(4, '10:00', '11:00'), slot(4, '15:00', '16:00')] })).toEqual([
      'slots[1] overlaps slots[0] on weekday 4',
      'slots[2] overlaps slots[0] on weekday 4',
    ]);
    expect(errorsOf({ ...base, slots: [slot(1, '09:00', '12:00'), slot(1, '12:00', '14:00')] })).toEqual([]); // touching
    expect(errorsOf({ ...base, slots: [slot(1, '09:00', '18:00'), slot(1, '10:00', '11:00')] })).toEqual([
      'slots[1] overlaps slots[0] on weekday 1',
    ]);
  });

  it('checks holiday country and region against date-holidays', () => {
    expect(errorsOf({ ...base, holidays: { country: 'XX' } })).toEqual([
      'holidays.country: "XX" is not a country code known to date-holidays (e.g. "FR")',
    ]);
    const [regionError] = errorsOf({ ...base, holidays: { country: 'FR', region: '99' } });
    expect(regionError).toMatch(/^holidays\.region: "99" is not a region of FR known to date-holidays \(known: .*67/);
    expect(errorsOf({ ...base, holidays: 'FR' })).toEqual(['holidays: expected null or {country, region?}']);
    expect(errorsOf({ ...base, holidays: undefined })).toEqual(['holidays: expected null or {country, region?}']);
    const ok = validateCalendar({ ...base, holidays: { country: 'fr', region: '57' } });
    expect(ok).toEqual({ ok: true, calendar: { ...base, holidays: { country: 'FR', region: '57' } } });
  });

  it('checks closures', () => {
    expect(errorsOf({ ...base, closures: [{ date: '2026-02-30', label: 'x' }, { date: '2026-08-14', label: ' ' }] })).toEqual([
      'closures[0].date: "2026-02-30" is not a valid YYYY-MM-DD date',
      'closures[1].label: expected a non-empty string',
    ]);
    expect(errorsOf({ ...base, closures: undefined })).toEqual(['closures: expected an array']);
  });

  it('reports every problem at once and drops unknown fields', () => {
    expect(errorsOf({ timezone: 'Nowhere', slots: {}, holidays: { country: 'ZZ' }, closures: null })).toHaveLength(4);
    expect(validateCalendar({ ...base, extra: true })).toEqual({ ok: true, calendar: base });
  });
});

import { describe, it, expect } from 'vitest';
import { type BusinessCalendar, NUMI_CALENDAR as NUMI } from './business-hours';
import { describeStatus } from './status';

const at = (iso: string) => describeStatus(NUMI, new Date(iso));
const NUMI_MONDAY = [
  { start: '09:00', end: '12:00' },
  { start: '14:00', end: '18:00' },
];

describe('describeStatus', () => {
  it('open in the morning: closes at noon, reopens at 14:00', () => {
    expect(at('2026-05-04T10:00:00+02:00')).toEqual({
      open: true,
      closesAt: '2026-05-04T10:00:00.000Z', // 12:00 CEST
      nextOpenAt: '2026-05-04T12:00:00.000Z', // 14:00 CEST
      todaySlots: NUMI_MONDAY,
      holidayToday: null,
      label: 'Ouvert jusqu’à 12\u00a0h',
    });
  });

  it.each([
    ['2026-05-04T07:00:00+02:00', 'Fermé — ouvre à 9\u00a0h'], // early morning
    ['2026-05-04T12:30:00+02:00', 'Fermé — ouvre à 14\u00a0h'], // lunch
    ['2026-05-04T15:00:00+02:00', 'Ouvert jusqu’à 18\u00a0h'],
    ['2026-05-04T18:30:00+02:00', 'Fermé — ouvre demain à 9\u00a0h'],
    ['2026-06-05T16:00:00+02:00', 'Ouvert jusqu’à 17\u00a0h'], // Friday
    ['2026-06-05T17:30:00+02:00', 'Fermé — ouvre lundi à 9\u00a0h'],
    ['2026-06-06T10:00:00+02:00', 'Fermé — ouvre lundi à 9\u00a0h'], // Saturday
    ['2026-06-07T10:00:00+02:00', 'Fermé — ouvre demain à 9\u00a0h'], // Sunday
    ['2026-12-25T10:00:00+01:00', 'Fermé (Noël) — ouvre lundi à 9\u00a0h'],
    ['2026-05-14T10:00:00+02:00', 'Fermé (Ascension) — ouvre demain à 9\u00a0h'],
    ['2026-05-01T10:00:00+02:00', 'Fermé (Fête du travail) — ouvre lundi à 9\u00a0h'],
    ['2026-03-29T10:00:00+02:00', 'Fermé — ouvre demain à 9\u00a0h'], // spring DST Sunday
    ['2026-10-25T23:30:00+01:00', 'Fermé — ouvre demain à 9\u00a0h'], // autumn DST Sunday, late
  ])('at %s: %s', (iso, label) => {
    expect(at(iso).label).toBe(label);
  });

  it('on a holiday: no slots today, the holiday name, next opening', () => {
    expect(at('2026-12-25T10:00:00+01:00')).toEqual({
      open: false,
      closesAt: null,
      nextOpenAt: '2026-12-28T08:00:00.000Z', // Monday 09:00 CET
      todaySlots: [],
      holidayToday: 'Noël',
      label: 'Fermé (Noël) — ouvre lundi à 9\u00a0h',
    });
  });

  it('names the date when the reopening is a week or more away, and shows closures', () => {
    const summer: BusinessCalendar = {
      ...NUMI,
      closures: ['03', '04', '05', '06', '07', '10', '11', '12', '13', '14'].map((day) => ({
        date: `2026-08-${day}`,
        label: 'Fermeture estivale',
      })),
    };
    const s = describeStatus(summer, new Date('2026-08-03T10:00:00+02:00'));
    expect(s.holidayToday).toBe('Fermeture estivale');
    expect(s.label).toBe('Fermé (Fermeture estivale) — ouvre le lundi 17 août à 9\u00a0h');
  });

  it('uses the weekday slots, sorted, on Fridays', () => {
    expect(at('2026-06-05T08:00:00+02:00').todaySlots).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '14:00', end: '17:00' },
    ]);
    expect(at('2026-06-06T08:00:00+02:00').todaySlots).toEqual([]);
  });

  it('says when a period runs past midnight', () => {
    const roundTheClock: BusinessCalendar = {
      timezone: 'Europe/Paris',
      slots: ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
      holidays: { country: 'FR' },
      closures: [],
    };
    // Open until Friday 1 May 00:00 (Fête du travail).
    expect(describeStatus(roundTheClock, new Date('2026-04-30T10:00:00+02:00')).label).toBe('Ouvert jusqu’à demain 0\u00a0h');
    expect(describeStatus(roundTheClock, new Date('2026-04-28T10:00:00+02:00')).label).toBe('Ouvert jusqu’à vendredi 0\u00a0h');
  });

  it('says just "Fermé" for a calendar that never opens', () => {
    const never: BusinessCalendar = { ...NUMI, slots: [] };
    expect(describeStatus(never, new Date('2026-05-04T10:00:00+02:00'))).toMatchObject({ open: false, nextOpenAt: null, label: 'Fermé' });
  });
});

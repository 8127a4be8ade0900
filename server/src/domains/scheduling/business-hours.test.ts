import { describe, it, expect } from 'vitest';
import {
  type BusinessCalendar,
  NUMI_CALENDAR as NUMI,
  addBusinessSeconds,
  businessSecondsBetween,
  currentSlotEnd,
  holidaysBetween,
  isOpen,
  nextOpening,
} from './business-hours';

// Instants are written with their Paris offset: +02:00 from 29 March to
// 24 October 2026, +01:00 otherwise. Weekdays: 2026-05-04 and 2026-06-01 are
// Mondays; 2026-05-01, 2026-06-05 and 2026-12-25 are Fridays.
const d = (iso: string): Date => new Date(iso);
const H = 3600;

const allDayParis: BusinessCalendar = {
  timezone: 'Europe/Paris',
  slots: ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
  holidays: null,
  closures: [],
};

describe('isOpen', () => {
  it.each([
    ['2026-05-04T08:59:59+02:00', false],
    ['2026-05-04T09:00:00+02:00', true], // opening instant is open
    ['2026-05-04T11:59:59+02:00', true],
    ['2026-05-04T12:00:00+02:00', false], // closing instant is closed
    ['2026-05-04T13:00:00+02:00', false], // lunch
    ['2026-05-04T13:59:59+02:00', false],
    ['2026-05-04T14:00:00+02:00', true],
    ['2026-05-04T17:59:59+02:00', true],
    ['2026-05-04T18:00:00+02:00', false],
    ['2026-06-05T16:59:59+02:00', true], // Friday closes at 17:00
    ['2026-06-05T17:00:00+02:00', false],
    ['2026-06-04T17:30:00+02:00', true], // Thursday still open until 18:00
    ['2026-06-06T10:00:00+02:00', false], // Saturday
    ['2026-06-07T10:00:00+02:00', false], // Sunday
    ['2026-06-08T00:00:00+02:00', false], // midnight
  ])('NUMI at %s → %s', (iso, expected) => {
    expect(isOpen(NUMI, d(iso))).toBe(expected);
  });

  it.each([
    ['2026-01-01T10:00:00+01:00', "Jour de l'an"],
    ['2026-04-06T10:00:00+02:00', 'Lundi de Pâques'],
    ['2026-05-01T10:00:00+02:00', 'Fête du travail'],
    ['2026-05-08T10:00:00+02:00', '8 mai'],
    ['2026-05-14T10:00:00+02:00', 'Ascension'],
    ['2026-05-25T10:00:00+02:00', 'Lundi de Pentecôte, counted closed'],
    ['2026-07-14T10:00:00+02:00', '14 juillet'],
    ['2026-11-11T10:00:00+01:00', '11 novembre'],
    ['2026-12-25T10:00:00+01:00', 'Noël'],
  ])('closed on the public holiday %s (%s)', (iso) => {
    expect(isOpen(NUMI, d(iso))).toBe(false);
  });

  it('reopens the day after a holiday', () => {
    expect(isOpen(NUMI, d('2026-05-15T10:00:00+02:00'))).toBe(true);
    expect(isOpen(NUMI, d('2026-05-26T10:00:00+02:00'))).toBe(true);
  });

  it('reads instants in the calendar time zone, with the right offset either side of DST', () => {
    // Monday 30 March is CEST: 09:00 local = 07:00Z. A CET mistake would say 07:30Z is 08:30, closed.
    expect(isOpen(NUMI, d('2026-03-30T06:59:59Z'))).toBe(false);
    expect(isOpen(NUMI, d('2026-03-30T07:30:00Z'))).toBe(true);
    // Friday 27 March is still CET: 09:00 local = 08:00Z.
    expect(isOpen(NUMI, d('2026-03-27T07:30:00Z'))).toBe(false);
    expect(isOpen(NUMI, d('2026-03-27T08:00:00Z'))).toBe(true);
    // Monday 26 October is back to CET: 09:00 local = 08:00Z.
    expect(isOpen(NUMI, d('2026-10-26T07:30:00Z'))).toBe(false);
    expect(isOpen(NUMI, d('2026-10-26T08:00:00Z'))).toBe(true);
    expect(isOpen(NUMI, d('2026-10-23T07:00:00Z'))).toBe(true); // Friday 23, CEST 09:00
  });

  it('is closed on both DST Sundays', () => {
    expect(isOpen(NUMI, d('2026-03-29T10:00:00+02:00'))).toBe(false);
    expect(isOpen(NUMI, d('2026-10-25T10:00:00+01:00'))).toBe(false);
  });

  it('honours Alsace-Moselle holidays through date-holidays region codes', () => {
    const alsace: BusinessCalendar = { ...NUMI, holidays: { country: 'FR', region: '67' } };
    // Good Friday 3 April 2026 and 26 December are holidays only in 57/67/68.
    expect(isOpen(NUMI, d('2026-04-03T10:00:00+02:00'))).toBe(true);
    expect(isOpen(alsace, d('2026-04-03T10:00:00+02:00'))).toBe(false);
  });

  it('honours extra closures', () => {
    const bridge: BusinessCalendar = { ...NUMI, closures: [{ date: '2026-05-15', label: "Pont de l'Ascension" }] };
    expect(isOpen(bridge, d('2026-05-15T10:00:00+02:00'))).toBe(false);
    // Wed 13 18:00 → Thu 14 Ascension, Fri 15 bridge, weekend → Mon 18 09:00.
    expect(nextOpening(bridge, d('2026-05-13T18:00:00+02:00'))).toEqual(d('2026-05-18T09:00:00+02:00'));
  });

  it('refuses an invalid calendar instead of computing nonsense', () => {
    expect(() => isOpen({ ...NUMI, timezone: 'Europe/Pariss' }, new Date())).toThrow(/timezone/);
  });
});

describe('currentSlotEnd', () => {
  it('ends the morning at 12:00 and the afternoon at 18:00 (17:00 on Fridays)', () => {
    expect(currentSlotEnd(NUMI, d('2026-05-04T10:00:00+02:00'))).toEqual(d('2026-05-04T12:00:00+02:00'));
    expect(currentSlotEnd(NUMI, d('2026-05-04T14:00:00+02:00'))).toEqual(d('2026-05-04T18:00:00+02:00'));
    expect(currentSlotEnd(NUMI, d('2026-06-05T16:00:00+02:00'))).toEqual(d('2026-06-05T17:00:00+02:00'));
  });

  it('is null when closed', () => {
    expect(currentSlotEnd(NUMI, d('2026-05-04T12:00:00+02:00'))).toBeNull();
    expect(currentSlotEnd(NUMI, d('2026-05-01T10:00:00+02:00'))).toBeNull();
  });

  it('treats back-to-back slots as one period, across midnight too', () => {
    const touching: BusinessCalendar = {
      ...NUMI,
      slots: [
        { weekday: 1, start: '09:00', end: '12:00' },
        { weekday: 1, start: '12:00', end: '13:00' },
      ],
    };
    expect(currentSlotEnd(touching, d('2026-05-04T10:00:00+02:00'))).toEqual(d('2026-05-04T13:00:00+02:00'));
    // Open round the clock with French holidays: from Monday 27 April it runs to Friday 1 May 00:00.
    const roundTheClock = { ...allDayParis, holidays: { country: 'FR' } };
    expect(currentSlotEnd(roundTheClock, d('2026-04-27T10:00:00+02:00'))).toEqual(d('2026-05-01T00:00:00+02:00'));
  });
});

describe('nextOpening', () => {
  it.each([
    ['2026-05-04T10:00:00+02:00', '2026-05-04T10:00:00+02:00'], // already open: itself
    ['2026-05-04T12:00:00+02:00', '2026-05-04T14:00:00+02:00'], // lunch
    ['2026-05-04T18:00:00+02:00', '2026-05-05T09:00:00+02:00'], // night
    ['2026-06-05T17:00:00+02:00', '2026-06-08T09:00:00+02:00'], // Friday evening → Monday
    ['2026-04-30T18:00:00+02:00', '2026-05-04T09:00:00+02:00'], // Fri 1 May holiday + weekend
    ['2026-05-13T18:00:00+02:00', '2026-05-15T09:00:00+02:00'], // Thu 14 Ascension
    ['2026-12-24T18:00:00+01:00', '2026-12-28T09:00:00+01:00'], // Fri 25 Noël + weekend
    ['2026-12-31T18:00:00+01:00', '2027-01-04T09:00:00+01:00'], // Fri 1 Jan + weekend, across the year
    ['2026-03-28T10:00:00+01:00', '2026-03-30T09:00:00+02:00'], // Saturday CET → Monday CEST
    ['2026-10-24T10:00:00+02:00', '2026-10-26T09:00:00+01:00'], // Saturday CEST → Monday CET
  ])('from %s → %s', (from, expected) => {
    expect(nextOpening(NUMI, d(from))).toEqual(d(expected));
  });

  it('is null for a calendar without slots', () => {
    const never: BusinessCalendar = { timezone: 'Europe/Paris', slots: [], holidays: null, closures: [] };
    expect(nextOpening(never, d('2026-05-04T10:00:00+02:00'))).toBeNull();
  });
});

describe('addBusinessSeconds', () => {
  it.each([
    // [from, seconds, expected, why]
    ['2026-05-04T11:00:00+02:00', 2 * H, '2026-05-04T15:00:00+02:00', '1h before lunch + 1h after'],
    ['2026-05-04T11:00:00+02:00', 1 * H, '2026-05-04T12:00:00+02:00', 'lands on closing time: stays at 12:00'],
    ['2026-05-04T09:00:00+02:00', 7 * H, '2026-05-04T18:00:00+02:00', 'a whole Monday'],
    ['2026-05-04T17:00:00+02:00', 2 * H, '2026-05-05T10:00:00+02:00', '1h Monday + night + 1h Tuesday'],
    ['2026-06-05T16:00:00+02:00', 2 * H, '2026-06-08T10:00:00+02:00', '1h Friday (17:00 close) + weekend + 1h'],
    ['2026-04-30T17:00:00+02:00', 2 * H, '2026-05-04T10:00:00+02:00', '1h Thursday, 1 May, weekend, 1h Monday'],
    ['2026-05-13T17:30:00+02:00', 1 * H, '2026-05-15T09:30:00+02:00', '30 min Wednesday, Ascension, 30 min Friday'],
    ['2026-12-24T17:00:00+01:00', 3 * H, '2026-12-28T11:00:00+01:00', '1h Thursday, Noël, weekend, 2h Monday'],
    ['2026-06-06T10:00:00+02:00', 30 * 60, '2026-06-08T09:30:00+02:00', 'starts counting at the next opening'],
    ['2026-06-06T10:00:00+02:00', 0, '2026-06-08T09:00:00+02:00', 'zero from closed = next opening'],
    ['2026-05-04T10:00:00+02:00', 0, '2026-05-04T10:00:00+02:00', 'zero from open = itself'],
    ['2026-03-27T16:00:00+01:00', 2 * H, '2026-03-30T10:00:00+02:00', 'spring DST weekend: 15:00Z → 08:00Z'],
    ['2026-10-23T16:00:00+02:00', 2 * H, '2026-10-26T10:00:00+01:00', 'autumn DST weekend: 14:00Z → 09:00Z'],
    // June–July 2026 has no holiday before 14 July; a NUMI week is 4×7h + 6h = 34h.
    ['2026-06-01T09:00:00+02:00', 6 * 34 * H, '2026-07-10T17:00:00+02:00', 'six full weeks'],
    ['2026-06-01T09:00:00+02:00', 30 * 7 * H, '2026-07-13T17:00:00+02:00', '30 × 7h: six weeks + 6h Monday'],
    ['2026-07-06T09:00:00+02:00', 42 * H, '2026-07-15T10:00:00+02:00', '34h week, 7h Mon 13, 14 July, 1h Wed'],
    // Going back.
    ['2026-05-04T15:00:00+02:00', -2 * H, '2026-05-04T11:00:00+02:00', 'back across lunch'],
    ['2026-05-04T14:30:00+02:00', -30 * 60, '2026-05-04T14:00:00+02:00', 'back: latest instant, 14:00 not 12:00'],
    ['2026-05-04T10:00:00+02:00', -2 * H, '2026-04-30T17:00:00+02:00', 'back over the weekend and 1 May'],
    ['2026-06-06T10:00:00+02:00', -H, '2026-06-05T16:00:00+02:00', 'back from closed: from the last closing'],
  ])('%s + %ss → %s (%s)', (from, seconds, expected) => {
    expect(addBusinessSeconds(NUMI, d(from), seconds)).toEqual(d(expected));
  });

  it('counts real elapsed time on DST nights', () => {
    // Open all day Sunday: 23h on 29 March, 25h on 25 October.
    const sunday: BusinessCalendar = { ...allDayParis, slots: [{ weekday: 7, start: '00:00', end: '24:00' }] };
    expect(addBusinessSeconds(sunday, d('2026-03-29T00:00:00+01:00'), 23 * H)).toEqual(d('2026-03-30T00:00:00+02:00'));
    expect(addBusinessSeconds(sunday, d('2026-10-25T00:00:00+02:00'), 25 * H)).toEqual(d('2026-10-26T00:00:00+01:00'));
  });

  it('rejects non-finite amounts and calendars it cannot count on', () => {
    expect(() => addBusinessSeconds(NUMI, new Date(), Number.NaN)).toThrow(RangeError);
    const never: BusinessCalendar = { timezone: 'UTC', slots: [], holidays: null, closures: [] };
    expect(() => addBusinessSeconds(never, new Date(), 60)).toThrow(RangeError);
  });

  it('walks slot by slot: 30 business days from 300 different starts stays fast', () => {
    // A calendar never seen before, so the per-day cache starts cold.
    const cold: BusinessCalendar = { ...NUMI, closures: [{ date: '1999-12-31', label: 'perf' }] };
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) {
      addBusinessSeconds(cold, new Date(Date.UTC(2026, 0, 1) + i * 86_400_000 * 2.37), 30 * 7 * H);
    }
    // Slot-by-slot this takes a few tens of ms; minute-by-minute would take seconds.
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('businessSecondsBetween', () => {
  it.each([
    ['2026-05-04T09:00:00+02:00', '2026-05-04T18:00:00+02:00', 7 * H, 'Monday'],
    ['2026-05-04T08:00:00+02:00', '2026-05-05T08:00:00+02:00', 7 * H, 'Monday, edges closed'],
    ['2026-05-04T11:30:00+02:00', '2026-05-04T14:30:00+02:00', 1 * H, 'lunch excluded'],
    ['2026-06-01T00:00:00+02:00', '2026-06-08T00:00:00+02:00', 34 * H, 'plain week'],
    ['2026-05-04T00:00:00+02:00', '2026-05-11T00:00:00+02:00', 28 * H, 'week of 8 May: 4 × 7h'],
    ['2026-05-11T00:00:00+02:00', '2026-05-18T00:00:00+02:00', 27 * H, 'week of Ascension: 3 × 7h + 6h'],
    ['2026-03-23T00:00:00+01:00', '2026-03-30T00:00:00+02:00', 34 * H, 'week ending on the spring DST Sunday'],
    ['2026-10-19T00:00:00+02:00', '2026-10-26T00:00:00+01:00', 34 * H, 'week ending on the autumn DST Sunday'],
    // Python, independent: 252 open days, 1715 h (weekday holidays: 1/1, 6/4, 1/5, 8/5, 14/5, 25/5, 14/7, 11/11, 25/12).
    ['2026-01-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00', 1715 * H, 'the whole of 2026'],
    ['2026-05-04T10:00:00+02:00', '2026-05-04T10:00:00+02:00', 0, 'empty range'],
    ['2026-05-04T18:00:00+02:00', '2026-05-04T09:00:00+02:00', -7 * H, 'reversed range is negative'],
    ['2026-05-04T12:30:00+02:00', '2026-05-04T12:00:00+02:00', 0, 'reversed closed range is 0, not -0'],
  ])('[%s, %s) = %ss (%s)', (from, to, expected) => {
    expect(businessSecondsBetween(NUMI, d(from), d(to))).toBe(expected);
  });

  it('measures the real length of DST days', () => {
    const day = (from: string, to: string) => businessSecondsBetween(allDayParis, d(from), d(to));
    expect(day('2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(23 * H);
    expect(day('2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(25 * H);
    // A night slot 00:00–06:00 on the DST Sundays: 02:00–03:00 skipped, then repeated.
    const nights: BusinessCalendar = { ...allDayParis, slots: [{ weekday: 7, start: '00:00', end: '06:00' }] };
    expect(businessSecondsBetween(nights, d('2026-03-28T12:00:00Z'), d('2026-03-30T12:00:00Z'))).toBe(5 * H);
    expect(businessSecondsBetween(nights, d('2026-10-24T12:00:00Z'), d('2026-10-26T12:00:00Z'))).toBe(7 * H);
    expect(isOpen(nights, d('2026-03-29T01:30:00Z'))).toBe(true); // 03:30 CEST
  });
});

describe('addBusinessSeconds and businessSecondsBetween are inverse', () => {
  // Deterministic LCG so a failure is reproducible.
  let seed = 20260504;
  const rand = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const yearStart = Date.UTC(2026, 0, 1);
  const cases = Array.from({ length: 400 }, () => {
    const from = new Date(yearStart + Math.floor(rand() * 365 * 86_400) * 1000);
    const seconds = Math.floor(rand() * 200 * H) * (rand() < 0.25 ? -1 : 1);
    return { from, seconds };
  });

  it('businessSecondsBetween(from, addBusinessSeconds(from, s)) === s for 400 random cases', () => {
    for (const { from, seconds } of cases) {
      const to = addBusinessSeconds(NUMI, from, seconds);
      expect({ from, seconds, got: businessSecondsBetween(NUMI, from, to) }).toEqual({ from, seconds, got: seconds });
    }
  });

  it('never lands in closed time for a positive amount, nor moves backwards', () => {
    for (const { from, seconds } of cases) {
      if (seconds <= 0) continue;
      const to = addBusinessSeconds(NUMI, from, seconds);
      expect(to.getTime()).toBeGreaterThan(from.getTime());
      // The instant just before the result is open: the result is the earliest possible.
      expect(isOpen(NUMI, new Date(to.getTime() - 1))).toBe(true);
    }
  });
});

describe('holidaysBetween', () => {
  it('lists May 2026, without the Pentecost Sunday observance', () => {
    expect(holidaysBetween(NUMI, d('2026-05-01T00:00:00+02:00'), d('2026-06-01T00:00:00+02:00'))).toEqual([
      { date: '2026-05-01', name: 'Fête du travail' },
      { date: '2026-05-08', name: 'Fête de la Victoire 1945' },
      { date: '2026-05-14', name: 'Ascension' },
      { date: '2026-05-25', name: 'Lundi de Pentecôte' },
    ]);
  });

  it('has the 11 French public holidays in 2026, 13 in Bas-Rhin', () => {
    const year: [Date, Date] = [d('2026-01-01T00:00:00+01:00'), d('2027-01-01T00:00:00+01:00')];
    expect(holidaysBetween(NUMI, ...year).map((h) => h.date)).toEqual([
      '2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25',
      '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25',
    ]);
    const alsace = holidaysBetween({ ...NUMI, holidays: { country: 'FR', region: '67' } }, ...year);
    expect(alsace).toHaveLength(13);
    expect(alsace).toContainEqual({ date: '2026-04-03', name: 'Vendredi saint' });
    expect(alsace).toContainEqual({ date: '2026-12-26', name: 'Lendemain de Noël' });
  });

  it('uses local days and a half-open range', () => {
    // 1 May starts at 2026-04-30T22:00Z in Paris.
    expect(holidaysBetween(NUMI, d('2026-04-30T00:00:00+02:00'), d('2026-05-01T00:00:00+02:00'))).toEqual([]);
    expect(holidaysBetween(NUMI, d('2026-04-30T21:00:00Z'), d('2026-04-30T22:00:01Z'))).toEqual([
      { date: '2026-05-01', name: 'Fête du travail' },
    ]);
    expect(holidaysBetween(NUMI, d('2026-06-01T00:00:00Z'), d('2026-05-01T00:00:00Z'))).toEqual([]);
    expect(holidaysBetween({ ...NUMI, holidays: null }, d('2026-01-01T00:00:00Z'), d('2027-01-01T00:00:00Z'))).toEqual([]);
  });
});

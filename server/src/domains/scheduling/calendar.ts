import { IANAZone } from 'luxon';
import { parseIsoDate } from './civil-day';
import { isKnownCountry, regionsOf } from './holidays';

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7; // ISO, 1 = Monday

export interface TimeSlot {
  weekday: Weekday;
  /** 'HH:MM' local time. */
  start: string;
  /** 'HH:MM', strictly after start; '24:00' closes at midnight. */
  end: string;
}

export interface BusinessCalendar {
  /** IANA zone, e.g. 'Europe/Paris'. */
  timezone: string;
  slots: TimeSlot[];
  /** Public holidays from date-holidays; `region` is date-holidays' state code ('67' for Bas-Rhin). */
  holidays: { country: string; region?: string } | null;
  /** Extra closed days, local dates. */
  closures: { date: string; label: string }[];
}

export type CalendarValidation = { ok: true; calendar: BusinessCalendar } | { ok: false; errors: string[] };

/** Minutes since local midnight, or null. '24:00' is only meaningful as an end. */
export function parseClock(value: unknown, allowMidnightEnd: boolean): number | null {
  if (typeof value !== 'string') return null;
  if (allowMidnightEnd && value === '24:00') return 1440;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

export function validateCalendar(c: unknown): CalendarValidation {
  if (!isRecord(c)) return { ok: false, errors: ['calendar: expected an object'] };
  const errors: string[] = [];

  if (typeof c.timezone !== 'string' || !IANAZone.isValidZone(c.timezone)) {
    errors.push(`timezone: ${show(c.timezone)} is not a valid IANA time zone (e.g. "Europe/Paris")`);
  }

  const slots: TimeSlot[] = [];
  if (!Array.isArray(c.slots)) {
    errors.push('slots: expected an array');
  } else {
    const parsed: { index: number; weekday: number; start: number; end: number }[] = [];
    c.slots.forEach((raw: unknown, index) => {
      const at = `slots[${index}]`;
      if (!isRecord(raw)) return void errors.push(`${at}: expected {weekday, start, end}`);
      const { weekday } = raw;
      const start = parseClock(raw.start, false);
      const end = parseClock(raw.end, true);
      let valid = true;
      if (typeof weekday !== 'number' || !Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
        errors.push(`${at}.weekday: ${show(weekday)} is not an ISO weekday (1 = Monday … 7 = Sunday)`);
        valid = false;
      }
      if (start === null) {
        errors.push(`${at}.start: ${show(raw.start)} is not a valid HH:MM time (00:00–23:59)`);
        valid = false;
      }
      if (end === null) {
        errors.push(`${at}.end: ${show(raw.end)} is not a valid HH:MM time (00:00–24:00)`);
        valid = false;
      }
      if (start !== null && end !== null && end <= start) {
        errors.push(`${at}: end ${show(raw.end)} must be after start ${show(raw.start)}`);
        valid = false;
      }
      if (!valid) return;
      parsed.push({ index, weekday: weekday as number, start: start as number, end: end as number });
      slots.push({ weekday: weekday as Weekday, start: raw.start as string, end: raw.end as string });
    });
    // Touching slots (09:00–12:00 then 12:00–14:00) are fine; they read as one period.
    parsed.sort((a, b) => a.weekday - b.weekday || a.start - b.start);
    // Compare with the longest-reaching earlier slot, not just the previous
    // one: 09:00–18:00 must clash with both 10:00–11:00 and 15:00–16:00.
    let reach: (typeof parsed)[number] | undefined;
    for (const cur of parsed) {
      if (reach && reach.weekday === cur.weekday && cur.start < reach.end) {
        const [first, second] = reach.index < cur.index ? [reach, cur] : [cur, reach];
        errors.push(`slots[${second.index}] overlaps slots[${first.index}] on weekday ${cur.weekday}`);
      }
      if (!reach || reach.weekday !== cur.weekday || cur.end > reach.end) reach = cur;
    }
  }

  let holidays: BusinessCalendar['holidays'] = null;
  if (c.holidays !== null) {
    const h = c.holidays;
    if (!isRecord(h) || typeof h.country !== 'string') {
      errors.push('holidays: expected null or {country, region?}');
    } else if (!isKnownCountry(h.country)) {
      errors.push(`holidays.country: ${show(h.country)} is not a country code known to date-holidays (e.g. "FR")`);
    } else {
      const country = h.country.toUpperCase();
      if (h.region === undefined) {
        holidays = { country };
      } else if (typeof h.region !== 'string' || !Object.hasOwn(regionsOf(country), h.region)) {
        const known = Object.keys(regionsOf(country));
        errors.push(
          `holidays.region: ${show(h.region)} is not a region of ${country} known to date-holidays` +
            (known.length ? ` (known: ${known.join(', ')})` : ` (${country} has none)`),
        );
      } else {
        holidays = { country, region: h.region };
      }
    }
  }

  const closures: BusinessCalendar['closures'] = [];
  if (!Array.isArray(c.closures)) {
    errors.push('closures: expected an array');
  } else {
    c.closures.forEach((raw: unknown, index) => {
      const at = `closures[${index}]`;
      if (!isRecord(raw)) return void errors.push(`${at}: expected {date, label}`);
      let valid = true;
      if (typeof raw.date !== 'string' || parseIsoDate(raw.date) === null) {
        errors.push(`${at}.date: ${show(raw.date)} is not a valid YYYY-MM-DD date`);
        valid = false;
      }
      if (typeof raw.label !== 'string' || raw.label.trim() === '') {
        errors.push(`${at}.label: expected a non-empty string`);
        valid = false;
      }
      if (valid) closures.push({ date: raw.date as string, label: raw.label as string });
    });
  }

  if (errors.length) return { ok: false, errors };
  return { ok: true, calendar: { timezone: c.timezone as string, slots, holidays, closures } };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const week = (days: Weekday[], ranges: [string, string][]): TimeSlot[] =>
  days.flatMap((weekday) => ranges.map(([start, end]) => ({ weekday, start, end })));

/** NUMI's support desk. Frozen: it is shared by every caller. */
export const NUMI_CALENDAR: BusinessCalendar = deepFreeze({
  timezone: 'Europe/Paris',
  slots: [
    ...week([1, 2, 3, 4], [['09:00', '12:00'], ['14:00', '18:00']]),
    ...week([5], [['09:00', '12:00'], ['14:00', '17:00']]),
  ],
  // Whit Monday (Lundi de Pentecôte) counts as closed: it is a legal public
  // holiday that date-holidays types 'public'. A company that works it as its
  // "journée de solidarité" has no override here and would need a dedicated
  // calendar without holidays plus explicit closures.
  holidays: { country: 'FR' },
  closures: [],
});

/** Every minute of every day, for desks with a 24/7 rota (see sla.ts). */
export const ALWAYS_OPEN_CALENDAR: BusinessCalendar = deepFreeze({
  timezone: 'UTC',
  slots: week([1, 2, 3, 4, 5, 6, 7], [['00:00', '24:00']]),
  holidays: null,
  closures: [],
});

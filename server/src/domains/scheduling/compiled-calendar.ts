import { DateTime } from 'luxon';
import { type BusinessCalendar, parseClock, validateCalendar } from './calendar';
import { type CivilDay, addDays, civilDay, isoOf, partsOf, weekdayOf } from './civil-day';
import { publicHolidays } from './holidays';

/** Half-open [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

export interface CompiledCalendar {
  zone: string;
  /** Index = ISO weekday; [startMinute, endMinute) sorted by start. */
  minutesByWeekday: [number, number][][];
  hasSlots: boolean;
  holidays: BusinessCalendar['holidays'];
  closures: Map<string, string>;
  dayCache: Map<CivilDay, Interval[]>;
}

/** Searches give up after this many consecutive days without any opening. */
export const HORIZON_DAYS = 400;
const DAY_CACHE_LIMIT = 20_000;

// Calendars are treated as immutable values. Compiled forms (with their cache
// of per-day intervals) are found by identity first, then by content, so a
// calendar re-read from the database for each request still hits a warm cache.
const byIdentity = new WeakMap<BusinessCalendar, CompiledCalendar>();
const byContent = new Map<string, CompiledCalendar>();
const CONTENT_CACHE_LIMIT = 200;

export function compile(cal: BusinessCalendar): CompiledCalendar {
  const hit = byIdentity.get(cal);
  if (hit) return hit;
  const key = JSON.stringify([cal.timezone, cal.slots, cal.holidays, cal.closures]);
  let c = byContent.get(key);
  if (!c) {
    c = build(cal);
    if (byContent.size >= CONTENT_CACHE_LIMIT) byContent.clear();
    byContent.set(key, c);
  }
  byIdentity.set(cal, c);
  return c;
}

function build(cal: BusinessCalendar): CompiledCalendar {
  // Catch a hand-built calendar with a typo early rather than computing
  // garbage dates from an invalid zone or slot.
  const v = validateCalendar(cal);
  if (!v.ok) throw new TypeError(`Invalid business calendar: ${v.errors.join('; ')}`);
  const minutesByWeekday: [number, number][][] = Array.from({ length: 8 }, () => []);
  for (const s of v.calendar.slots) {
    minutesByWeekday[s.weekday]!.push([parseClock(s.start, false)!, parseClock(s.end, true)!]);
  }
  for (const list of minutesByWeekday) list.sort((a, b) => a[0] - b[0]);
  return {
    zone: v.calendar.timezone,
    minutesByWeekday,
    hasSlots: v.calendar.slots.length > 0,
    holidays: v.calendar.holidays,
    closures: new Map(v.calendar.closures.map((x) => [x.date, x.label])),
    dayCache: new Map(),
  };
}

export function holidayOn(c: CompiledCalendar, day: CivilDay): string | null {
  if (!c.holidays) return null;
  const { country, region } = c.holidays;
  const iso = isoOf(day);
  const { year } = partsOf(day);
  // A multi-day holiday starting in late December is filed under its first year.
  return publicHolidays(country, region, year).get(iso) ?? publicHolidays(country, region, year - 1).get(iso) ?? null;
}

/** Why the whole day is closed (holiday name first, then closure label), or null. */
export function closedReason(c: CompiledCalendar, day: CivilDay): string | null {
  return holidayOn(c, day) ?? c.closures.get(isoOf(day)) ?? null;
}

export function localDayOf(c: CompiledCalendar, at: number): CivilDay {
  const dt = DateTime.fromMillis(at, { zone: c.zone });
  return civilDay(dt.year, dt.month, dt.day);
}

function instant(c: CompiledCalendar, day: CivilDay, minutes: number): number {
  if (minutes === 1440) return instant(c, addDays(day, 1), 0);
  const { year, month, day: d } = partsOf(day);
  // Luxon moves a wall time that falls in a spring-forward gap to after the
  // gap, and takes the later (standard-time) occurrence of a repeated autumn
  // hour, so a slot starting at 02:30 that night opens once, not twice.
  return DateTime.fromObject({ year, month, day: d, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone: c.zone }).toMillis();
}

/** Open intervals of one local day, as instants, merged where they touch. */
export function dayIntervals(c: CompiledCalendar, day: CivilDay): Interval[] {
  const hit = c.dayCache.get(day);
  if (hit) return hit;
  const out: Interval[] = [];
  const slots = c.minutesByWeekday[weekdayOf(day)] ?? [];
  if (slots.length && closedReason(c, day) === null) {
    for (const [s, e] of slots) {
      const start = instant(c, day, s);
      const end = instant(c, day, e);
      if (end <= start) continue; // start pushed past end by a spring-forward gap
      const last = out[out.length - 1];
      // Slots disjoint on the wall clock can overlap once a DST gap shifts them.
      if (last && start <= last.end) last.end = Math.max(last.end, end);
      else out.push({ start, end });
    }
  }
  if (c.dayCache.size >= DAY_CACHE_LIMIT) c.dayCache.clear();
  c.dayCache.set(day, out);
  return out;
}

/** Open intervals ending after `from`, in order; stops after HORIZON_DAYS empty days or `maxDays`. */
export function* forward(c: CompiledCalendar, from: number, maxDays = Infinity): Generator<Interval> {
  if (!c.hasSlots) return;
  let day = localDayOf(c, from);
  for (let n = 0, empty = 0; n < maxDays && empty < HORIZON_DAYS; n++, day = addDays(day, 1)) {
    const ivs = dayIntervals(c, day);
    empty = ivs.length ? 0 : empty + 1;
    for (const iv of ivs) if (iv.end > from) yield iv;
  }
}

/** Open intervals starting before `from`, latest first. */
export function* backward(c: CompiledCalendar, from: number): Generator<Interval> {
  if (!c.hasSlots) return;
  let day = localDayOf(c, from);
  for (let empty = 0; empty < HORIZON_DAYS; day = addDays(day, -1)) {
    const ivs = dayIntervals(c, day);
    empty = ivs.length ? 0 : empty + 1;
    for (let i = ivs.length - 1; i >= 0; i--) if (ivs[i]!.start < from) yield ivs[i]!;
  }
}

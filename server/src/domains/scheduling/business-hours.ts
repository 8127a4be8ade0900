import type { BusinessCalendar } from './calendar';
import { isoOf, partsOf } from './civil-day';
import { HORIZON_DAYS, backward, compile, dayIntervals, forward, localDayOf } from './compiled-calendar';
import { publicHolidays } from './holidays';

export type { BusinessCalendar, TimeSlot, Weekday, CalendarValidation } from './calendar';
export { validateCalendar, NUMI_CALENDAR, ALWAYS_OPEN_CALENDAR } from './calendar';

export function isOpen(cal: BusinessCalendar, at: Date): boolean {
  const c = compile(cal);
  const t = at.getTime();
  return dayIntervals(c, localDayOf(c, t)).some((iv) => iv.start <= t && t < iv.end);
}

/**
 * End of the open period containing `at`, or null when closed. Back-to-back
 * slots (even across midnight) form one period. A calendar that never closes
 * reports the end of the search horizon.
 */
export function currentSlotEnd(cal: BusinessCalendar, at: Date): Date | null {
  const t = at.getTime();
  let end: number | null = null;
  for (const iv of forward(compile(cal), t, HORIZON_DAYS)) {
    if (end === null) {
      if (iv.start > t) return null;
      end = iv.end;
    } else if (iv.start <= end) {
      end = Math.max(end, iv.end);
    } else {
      break;
    }
  }
  return end === null ? null : new Date(end);
}

/** First instant >= `from` when open; null if there is none within the horizon. */
export function nextOpening(cal: BusinessCalendar, from: Date): Date | null {
  const t = from.getTime();
  for (const iv of forward(compile(cal), t, HORIZON_DAYS)) return new Date(Math.max(iv.start, t));
  return null;
}

/**
 * The instant at which `seconds` of business time have elapsed since `from`.
 * Forward results are the earliest such instant (a deadline landing on 12:00
 * stays at 12:00, not 14:00); backward results are the latest.
 * Throws when the calendar has no opening to count on.
 */
export function addBusinessSeconds(cal: BusinessCalendar, from: Date, seconds: number): Date {
  if (!Number.isFinite(seconds)) throw new RangeError(`addBusinessSeconds: ${seconds} is not a finite number`);
  const c = compile(cal);
  const t = from.getTime();
  let left = Math.abs(Math.round(seconds * 1000));
  if (seconds >= 0) {
    for (const iv of forward(c, t)) {
      const start = Math.max(iv.start, t);
      if (left <= iv.end - start) return new Date(start + left);
      left -= iv.end - start;
    }
  } else {
    for (const iv of backward(c, t)) {
      const end = Math.min(iv.end, t);
      if (left <= end - iv.start) return new Date(end - left);
      left -= end - iv.start;
    }
  }
  throw new RangeError(`addBusinessSeconds: no opening hours within ${HORIZON_DAYS} days of ${from.toISOString()}`);
}

/** Business seconds in [from, to); negative when `to` is before `from`. */
export function businessSecondsBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b < a) return 0 - businessSecondsBetween(cal, to, from); // 0 - x: never -0, which a DB round-trip or toBe(0) would trip on
  let ms = 0;
  for (const iv of forward(compile(cal), a)) {
    if (iv.start >= b) break;
    ms += Math.min(iv.end, b) - Math.max(iv.start, a);
  }
  return ms / 1000;
}

/** Public holidays whose local day overlaps [from, to), oldest first. Closures are not included. */
export function holidaysBetween(cal: BusinessCalendar, from: Date, to: Date): { date: string; name: string }[] {
  const c = compile(cal);
  if (!c.holidays || to.getTime() <= from.getTime()) return [];
  const first = isoOf(localDayOf(c, from.getTime()));
  const lastDay = localDayOf(c, to.getTime() - 1);
  const last = isoOf(lastDay);
  const { country, region } = c.holidays;
  const found = new Map<string, string>();
  // Start a year early for multi-day holidays spilling over New Year.
  for (let y = Number(first.slice(0, 4)) - 1; y <= partsOf(lastDay).year; y++) {
    for (const [date, name] of publicHolidays(country, region, y)) {
      if (date >= first && date <= last && !found.has(date)) found.set(date, name);
    }
  }
  return [...found].sort(([a], [b]) => a.localeCompare(b)).map(([date, name]) => ({ date, name }));
}

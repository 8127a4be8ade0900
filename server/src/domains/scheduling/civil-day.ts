// A civil (wall-calendar) date, independent of any time zone. Represented by the
// epoch milliseconds of its UTC midnight so that stepping days is plain
// arithmetic on the built-in Date in UTC, which has no DST to trip over.
export type CivilDay = number;

const DAY_MS = 86_400_000;

export function civilDay(year: number, month: number, day: number): CivilDay {
  return Date.UTC(year, month - 1, day);
}

export function parseIsoDate(iso: string): CivilDay | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = civilDay(y, mo, d);
  // Date.UTC silently rolls 2026-02-30 over to March; reject instead.
  return isoOf(day) === iso ? day : null;
}

export const addDays = (day: CivilDay, n: number): CivilDay => day + n * DAY_MS;
export const isoOf = (day: CivilDay): string => new Date(day).toISOString().slice(0, 10);
export const daysBetween = (a: CivilDay, b: CivilDay): number => Math.round((b - a) / DAY_MS);

/** ISO weekday, 1 = Monday. */
export function weekdayOf(day: CivilDay): number {
  return ((new Date(day).getUTCDay() + 6) % 7) + 1;
}

export function partsOf(day: CivilDay): { year: number; month: number; day: number } {
  const d = new Date(day);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

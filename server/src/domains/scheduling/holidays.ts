import Holidays from 'date-holidays';
import { addDays, daysBetween, isoOf, parseIsoDate } from './civil-day';

// date-holidays parses its whole rule set on construction, so instances are
// built once per country/region and their yearly results memoised.
interface Source {
  hd: Holidays;
  years: Map<number, Map<string, string>>;
}
const sources = new Map<string, Source>();
let catalog: Holidays | null = null;

function getCatalog(): Holidays {
  catalog ??= new Holidays();
  return catalog;
}

export function isKnownCountry(country: string): boolean {
  return Object.hasOwn(getCatalog().getCountries(), country.toUpperCase());
}

/**
 * Sub-divisions date-holidays knows for a country. What the calendar calls a
 * "region" is what date-holidays calls a "state" (its first sub-level): for
 * France that is '57', '67', '68' (Alsace-Moselle) and the overseas 'GP', 'RE'…
 */
export function regionsOf(country: string): Record<string, string> {
  return getCatalog().getStates(country.toUpperCase()) ?? {};
}

function sourceFor(country: string, region: string | undefined): Source {
  const key = `${country.toUpperCase()}/${region ?? ''}`;
  let src = sources.get(key);
  if (!src) {
    const opts = { types: ['public' as const] };
    const hd = region ? new Holidays(country.toUpperCase(), region, opts) : new Holidays(country.toUpperCase(), opts);
    src = { hd, years: new Map() };
    sources.set(key, src);
  }
  return src;
}

/**
 * Public holidays of a year, keyed by local ISO date. Names are French when
 * date-holidays has a translation, since they end up in French labels.
 * A holiday is taken as closing its whole day(s), even the rare ones that
 * date-holidays starts mid-day: half-day openings are not worth modelling.
 */
export function publicHolidays(country: string, region: string | undefined, year: number): Map<string, string> {
  const src = sourceFor(country, region);
  let days = src.years.get(year);
  if (days) return days;
  days = new Map();
  for (const h of src.hd.getHolidays(year, 'fr')) {
    if (h.type !== 'public') continue;
    const first = parseIsoDate(h.date.slice(0, 10));
    if (first === null) continue;
    // Multi-day holidays (rules such as "01-03 P3D") come back as one entry.
    const span = Math.max(1, daysBetween(h.start.getTime(), h.end.getTime()));
    for (let i = 0; i < span; i++) {
      const iso = isoOf(addDays(first, i));
      if (!days.has(iso)) days.set(iso, h.name);
    }
  }
  src.years.set(year, days);
  return days;
}

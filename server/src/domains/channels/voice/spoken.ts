import { DateTime } from 'luxon';
import type { BusinessCalendar, Weekday } from '../../scheduling/business-hours';

const DAYS = ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** "9 heures", "12 heures 30", "midi", "minuit": what a speech synthesiser reads well. */
export function spokenTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  if (h === 12 && m === 0) return 'midi';
  if ((h === 0 || h === 24) && m === 0) return 'minuit';
  return m === 0 ? `${h} heures` : `${h} heures ${m}`;
}

/**
 * The opening hours read to a caller: consecutive days with the same slots are grouped,
 * "Du lundi au jeudi, de 9 heures à midi et de 14 heures à 18 heures."
 */
export function spokenHours(cal: BusinessCalendar): string {
  const byDay = new Map<Weekday, string>();
  for (let d = 1 as Weekday; d <= 7; d = (d + 1) as Weekday) {
    const slots = cal.slots.filter((s) => s.weekday === d).sort((a, b) => a.start.localeCompare(b.start));
    if (slots.length) byDay.set(d, slots.map((s) => `de ${spokenTime(s.start)} à ${spokenTime(s.end)}`).join(' et '));
  }
  const groups: { from: number; to: number; text: string }[] = [];
  for (const [d, text] of byDay) {
    const last = groups[groups.length - 1];
    if (last && last.to === d - 1 && last.text === text) last.to = d;
    else groups.push({ from: d, to: d, text });
  }
  if (!groups.length) return '';
  return groups
    .map((g) => {
      const days = g.from === g.to ? `Le ${DAYS[g.from]}` : g.to === g.from + 1 ? `Le ${DAYS[g.from]} et le ${DAYS[g.to]}` : `Du ${DAYS[g.from]} au ${DAYS[g.to]}`;
      return `${days}, ${g.text}.`;
    })
    .join(' ');
}

/** "aujourd'hui à 14 heures", "demain à 9 heures", "lundi 6 janvier à 9 heures". */
export function spokenWhen(at: Date, now: Date, timezone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timezone }).setLocale('fr');
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  const days = Math.round(local.startOf('day').diff(today, 'days').days);
  const time = spokenTime(local.toFormat('HH:mm'));
  if (days <= 0) return `aujourd’hui à ${time}`;
  if (days === 1) return `demain à ${time}`;
  if (days < 7) return `${local.toFormat('cccc')} à ${time}`;
  return `le ${local.toFormat('cccc d LLLL')} à ${time}`;
}

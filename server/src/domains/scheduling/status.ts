import { DateTime } from 'luxon';
import type { BusinessCalendar } from './calendar';
import { daysBetween, weekdayOf } from './civil-day';
import { closedReason, compile, localDayOf, type CompiledCalendar } from './compiled-calendar';
import { currentSlotEnd, isOpen, nextOpening } from './business-hours';

export interface CalendarStatus {
  open: boolean;
  /** ISO instant (UTC) the current open period ends; null when closed. */
  closesAt: string | null;
  /** ISO instant (UTC) of the next opening after now, also when open (reopening after the current period). */
  nextOpenAt: string | null;
  /** Configured slots for today's local weekday; empty on a holiday or closure. */
  todaySlots: { start: string; end: string }[];
  /** Holiday name, or closure label, when today is closed all day. */
  holidayToday: string | null;
  /** French, for the contact-facing widget. */
  label: string;
}

/** Times the French way, as the portal's clients read them: 9 h, 12 h 30 (non-breaking spaces). */
const hhmm = (dt: DateTime): string => `${dt.hour}\u00a0h${dt.minute ? `\u00a0${String(dt.minute).padStart(2, '0')}` : ''}`;

/** '' today, 'demain', 'lundi' within the week, 'le lundi 4 janvier' beyond (a bare weekday would be ambiguous). */
function dayPhrase(c: CompiledCalendar, now: number, at: DateTime): string {
  const n = daysBetween(localDayOf(c, now), localDayOf(c, at.toMillis()));
  if (n === 0) return '';
  if (n === 1) return 'demain';
  const fr = at.setLocale('fr');
  return n < 7 ? fr.toFormat('cccc') : `le ${fr.toFormat('cccc d LLLL')}`;
}

export function describeStatus(cal: BusinessCalendar, now: Date): CalendarStatus {
  const c = compile(cal);
  const t = now.getTime();
  const local = (d: Date): DateTime => DateTime.fromJSDate(d, { zone: c.zone });
  const today = localDayOf(c, t);
  const holidayToday = closedReason(c, today);
  const weekday = weekdayOf(today);
  const todaySlots = holidayToday
    ? []
    : cal.slots
        .filter((s) => s.weekday === weekday)
        .map(({ start, end }) => ({ start, end }))
        .sort((a, b) => a.start.localeCompare(b.start));

  const open = isOpen(cal, now);
  const closesAt = open ? currentSlotEnd(cal, now) : null;
  const nextOpenAt = open ? (closesAt && nextOpening(cal, closesAt)) : nextOpening(cal, now);

  let label: string;
  if (open && closesAt) {
    const end = local(closesAt);
    const day = dayPhrase(c, t, end);
    label = day.startsWith('le ')
      ? `Ouvert jusqu’au ${day.slice(3)} à ${hhmm(end)}`
      : `Ouvert jusqu’à ${day ? `${day} ` : ''}${hhmm(end)}`;
  } else {
    label = holidayToday ? `Fermé (${holidayToday})` : 'Fermé';
    if (nextOpenAt) {
      const start = local(nextOpenAt);
      const day = dayPhrase(c, t, start);
      label += ` — ouvre ${day ? `${day} ` : ''}à ${hhmm(start)}`;
    }
  }

  return {
    open,
    closesAt: closesAt?.toISOString() ?? null,
    nextOpenAt: nextOpenAt?.toISOString() ?? null,
    todaySlots,
    holidayToday,
    label,
  };
}

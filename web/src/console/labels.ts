import { STATUS_LABELS_FR, type Channel, type TicketPriority, type TicketStatus, type TicketType } from '../../../common/src/tickets';
import { categoryLabel } from '../../../common/src/categories';
import { useLang, type Lang } from '../shared/i18n';

/** Words for the ticket vocabulary; French status labels are the server's own (common/src/tickets.ts). */
const STATUS_EN: Record<TicketStatus, string> = {
  new: 'New',
  awaiting_audit: 'Awaiting audit',
  open: 'Qualified',
  in_progress: 'In progress',
  waiting_on_contact: 'Waiting on client',
  waiting_on_third_party: 'Waiting on third party',
  scheduled: 'Appointment booked',
  resolved: 'Resolved',
  closed: 'Closed',
  suspended: 'Suspended',
};
const PRIORITY: Record<Lang, Record<TicketPriority, string>> = {
  fr: { low: 'Basse', normal: 'Normale', high: 'Haute', critical: 'Critique' },
  en: { low: 'Low', normal: 'Normal', high: 'High', critical: 'Critical' },
};
const TYPE: Record<Lang, Record<TicketType, string>> = {
  fr: { request: 'Demande', incident: 'Incident', improvement: 'Amélioration' },
  en: { request: 'Request', incident: 'Incident', improvement: 'Improvement' },
};
const CHANNEL: Record<Lang, Record<Channel, string>> = {
  fr: { phone: 'Téléphone', whatsapp: 'WhatsApp', web: 'Site web', email: 'Email', sms: 'SMS' },
  en: { phone: 'Phone', whatsapp: 'WhatsApp', web: 'Website', email: 'Email', sms: 'SMS' },
};
const ROLE: Record<Lang, Record<string, string>> = {
  fr: { admin: 'Administrateur', supervisor: 'Superviseur', agent: 'Conseiller', technician: 'Technicien' },
  en: { admin: 'Administrator', supervisor: 'Supervisor', agent: 'Agent', technician: 'Technician' },
};
const LEVEL: Record<Lang, Record<number, string>> = {
  fr: { 1: 'Niveau 1 « Padawan numérique »', 2: 'Niveau 2 « Jedi support »', 3: 'Niveau 3 « Maître cyber »' },
  en: { 1: 'Level 1 “Digital padawan”', 2: 'Level 2 “Support Jedi”', 3: 'Level 3 “Cyber master”' },
};

export function labels(lang: Lang) {
  return {
    status: (s: TicketStatus | string) => (lang === 'fr' ? STATUS_LABELS_FR[s as TicketStatus] : STATUS_EN[s as TicketStatus]) ?? s,
    priority: (p: TicketPriority) => PRIORITY[lang][p] ?? p,
    type: (t: TicketType) => TYPE[lang][t] ?? t,
    channel: (c: Channel | string) => CHANNEL[lang][c as Channel] ?? c,
    role: (r: string) => ROLE[lang][r] ?? r,
    level: (l: number) => LEVEL[lang][l] ?? String(l),
    levelShort: (l: number) => (lang === 'fr' ? `N${l}` : `L${l}`),
    /** A procedure's, an article's or a ticket's category in words (common/src/categories.ts). */
    category: (c: string) => categoryLabel(c, lang),
  };
}

export function useLabels() {
  return labels(useLang());
}

/** "dans 2 h 05", "il y a 12 min": the distance to a deadline, for SLA clocks. */
export function relative(iso: string, lang: Lang, now = Date.now()): string {
  const diff = Date.parse(iso) - now;
  const abs = Math.abs(diff);
  const min = Math.round(abs / 60_000);
  let text: string;
  // Number and unit never split across lines ("37 h 04" stays whole in a narrow column).
  if (min < 60) text = `${min}\u00a0min`;
  else if (min < 48 * 60) text = `${Math.floor(min / 60)}\u00a0h\u00a0${String(min % 60).padStart(2, '0')}`;
  else text = lang === 'fr' ? `${Math.round(min / 1440)}\u00a0j` : `${Math.round(min / 1440)}\u00a0d`;
  if (lang === 'fr') return diff >= 0 ? `dans ${text}` : `dépassé de ${text}`;
  return diff >= 0 ? `in ${text}` : `${text} overdue`;
}

export type SlaState = 'breached' | 'soon' | 'ok' | 'paused' | 'none';
export const SOON_MS = 60 * 60 * 1000;

/** The nearest clock that matters: first response until answered, then resolution. */
export function slaState(t: { sla: { firstResponseDueAt: string | null; resolutionDueAt: string | null; firstRespondedAt: string | null; firstResponseBreached: boolean; resolutionBreached: boolean; paused: boolean }; status: string }, now = Date.now()): { state: SlaState; due: string | null } {
  const s = t.sla;
  if (['resolved', 'closed'].includes(t.status)) return { state: 'none', due: null };
  const due = !s.firstRespondedAt && s.firstResponseDueAt ? s.firstResponseDueAt : s.resolutionDueAt;
  if (s.firstResponseBreached || s.resolutionBreached || (due && Date.parse(due) < now)) return { state: 'breached', due };
  if (s.paused) return { state: 'paused', due };
  if (due && Date.parse(due) - now < SOON_MS) return { state: 'soon', due };
  return { state: due ? 'ok' : 'none', due };
}

/** "3 min 05 s", "45 s", "1 h 02 min": a call's length, said the way agents say it. */
export function callDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

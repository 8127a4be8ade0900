import { api } from '../shared/api';

/** The portal's "Être rappelé" and rating-link endpoints (server: portal/callback-request-routes.ts, rating-link-routes.ts). */
const P = '/portal';

export interface CallbackSlot {
  start: string;
  end: string;
}

export interface CallbackSlots {
  openNow: boolean;
  timezone: string;
  slots: CallbackSlot[];
}

export interface CallbackRequestInput {
  name?: string;
  phone: string;
  slot: string;
  reason?: string;
  request?: string;
  altcha: string;
}

export interface CallbackRequested {
  dueAt: string;
  slot: CallbackSlot | null;
  phone: string;
  request: string | null;
}

export interface RatingLinkView {
  number: string;
  subject: string;
  canRate: boolean;
  rating: { score: number; comment: string | null } | null;
}

export const callbackApi = {
  slots: () => api.get<CallbackSlots>(`${P}/callback-slots`),
  request: (body: CallbackRequestInput) => api.post<CallbackRequested>(`${P}/callbacks`, body),
  ratingLink: (token: string) => api.get<RatingLinkView>(`${P}/ratings/${encodeURIComponent(token)}`),
  rateByLink: (token: string, score: number, comment?: string) => api.post<{ score: number; comment: string | null }>(`${P}/ratings/${encodeURIComponent(token)}`, { score, ...(comment ? { comment } : {}) }),
};

/** "9 h", "14 h 30" in French; "09:00" in English; in the hotline's time zone. */
export function clock(iso: string, zone: string, lang: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: zone, hourCycle: 'h23' }).formatToParts(new Date(iso));
  const h = Number(parts.find((p) => p.type === 'hour')!.value);
  const m = parts.find((p) => p.type === 'minute')!.value;
  if (lang !== 'fr') return `${String(h).padStart(2, '0')}:${m}`;
  // Non-breaking: "12 h" never splits at the end of a line.
  return m === '00' ? `${h}\u00a0h` : `${h}\u00a0h\u00a0${m}`;
}

/** 0 today, 1 tomorrow… counted in the hotline's time zone. */
export function daysFromToday(iso: string, zone: string, now = new Date()): number {
  const key = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return Math.round((Date.parse(key(new Date(iso))) - Date.parse(key(now))) / 86_400_000);
}

export function dayName(iso: string, zone: string, lang: string): string {
  const s = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: zone }).format(new Date(iso));
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Phone numbers as French clients write and say them: 06 12 34 56 78 (other countries as stored). */
export function spacedPhone(e164: string): string {
  const m = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  return m ? `0${m[1]}\u00a0${m.slice(2).join('\u00a0')}` : e164;
}

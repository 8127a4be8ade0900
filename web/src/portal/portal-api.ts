import { useEffect, useSyncExternalStore } from 'react';
import { api, ApiError, request } from '../shared/api';
import type { Lang } from '../shared/i18n';

/** The client portal API (docs/portal-api.md), under /api/v1/portal. */

export interface HoursStatus {
  open: boolean;
  closesAt: string | null;
  nextOpenAt: string | null;
  todaySlots: { start: string; end: string }[];
  holidayToday: string | null;
  label: string;
  timezone: string;
  queue: string;
}

export interface PortalInfo {
  hotlinePhone: string | null;
  whatsappNumber: string | null;
  hours: HoursStatus;
  firstInstructions: string[];
}

export type SentTo = 'email' | 'sms' | 'whatsapp' | null;

export interface CreatedRequest {
  number: string;
  status: string;
  step: number;
  verificationCode: string;
  portalToken: string;
  sentTo: SentTo;
  firstInstructions?: string[];
}

export interface NewRequestInput {
  name: string;
  phone?: string;
  email?: string;
  description: string;
  category?: string;
  urgent?: boolean;
  altcha: string;
}

export interface RequestSummary {
  number: string;
  subject: string;
  status: string;
  statusLabel: string;
  step: number;
  createdAt: string;
  updatedAt: string;
  rated: boolean;
}

export interface PortalAttachment {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
}

export interface PortalMessage {
  id: string;
  from: 'me' | 'adviser';
  authorName: string | null;
  body: string;
  createdAt: string;
  attachments: PortalAttachment[];
}

export interface RequestStep {
  key: string;
  label: string;
  done: boolean;
  current: boolean;
}

export interface RequestDetail {
  number: string;
  subject: string;
  description: string;
  status: string;
  statusLabel: string;
  step: number;
  steps: RequestStep[];
  verificationCode: string;
  messages: PortalMessage[];
  attachments: PortalAttachment[];
  canReply: boolean;
  canRate: boolean;
  canReopen?: boolean;
  rating: { score: number; comment: string | null } | null;
  cyberEmergency: boolean;
  possibleEmergency?: boolean;
  /** An adviser's first answer, written or by phone. */
  answeredAt?: string | null;
  createdAt?: string;
}

const P = '/portal';
const enc = encodeURIComponent;

export const portalApi = {
  info: () => api.get<PortalInfo>(`${P}/info`),
  hours: () => api.get<HoursStatus>('/business-hours/status'),
  createRequest: (input: NewRequestInput) => api.post<CreatedRequest>(`${P}/requests`, input),
  askLink: (to: { email?: string; phone?: string }) => api.post<Record<string, never>>(`${P}/magic-links`, to),
  openSession: (token: string) => api.post<{ contact: { name: string } }>(`${P}/sessions`, { token }),
  closeSession: () => api.del<void>(`${P}/sessions/current`),
  list: () => api.get<{ items: RequestSummary[] }>(`${P}/requests`),
  get: (number: string) => api.get<RequestDetail>(`${P}/requests/${enc(number)}`),
  reply: (number: string, body: string) => api.post<PortalMessage>(`${P}/requests/${enc(number)}/messages`, { body }),
  attach: (number: string, files: File[]) => {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    return request<{ items: PortalAttachment[] }>('POST', `${P}/requests/${enc(number)}/attachments`, form);
  },
  attachmentUrl: (number: string, id: string) => `/api/v1${P}/requests/${enc(number)}/attachments/${enc(id)}`,
  rate: (number: string, score: number, comment?: string) => api.post<{ score: number; comment: string | null }>(`${P}/requests/${enc(number)}/rating`, { score, ...(comment ? { comment } : {}) }),
  reopen: (number: string, reason: string) => api.post<RequestDetail>(`${P}/requests/${enc(number)}/reopen`, { reason }),
  captchaUrl: `/api/v1${P}/captcha`,
};

/*
 * The hotline's phone number and opening hours, shown on every portal page: fetched once,
 * refreshed every minute (the "open until 12:00" label changes with time). Until the portal
 * API answers, the opening hours still come from the public business-hours route; the
 * phone number is then simply not shown (never invented).
 */
interface HotlineState {
  info: PortalInfo | null;
  hours: HoursStatus | null;
  loaded: boolean;
  /** The portal API itself answers (not yet deployed → false). */
  portalApi: boolean;
}
let hotline: HotlineState = { info: null, hours: null, loaded: false, portalApi: false };
const hotlineListeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let inflight: Promise<void> | null = null;

async function loadHotline(): Promise<void> {
  let next: HotlineState;
  try {
    const info = await portalApi.info();
    next = { info, hours: info.hours, loaded: true, portalApi: true };
  } catch (err) {
    const hours = await portalApi.hours().catch(() => null);
    next = { info: null, hours, loaded: true, portalApi: !(err instanceof ApiError && err.status === 404) && hotline.portalApi };
  }
  hotline = next;
  hotlineListeners.forEach((l) => l());
}

export function refreshHotline(): Promise<void> {
  inflight ??= loadHotline().finally(() => (inflight = null));
  return inflight;
}

export function useHotline(): HotlineState {
  const state = useSyncExternalStore(
    (l) => {
      hotlineListeners.add(l);
      return () => hotlineListeners.delete(l);
    },
    () => hotline,
  );
  useEffect(() => {
    if (!hotline.loaded) void refreshHotline();
    timer ??= setInterval(() => void refreshHotline(), 60_000);
  }, []);
  return state;
}

/** "Ouvert jusqu'à 12:00" comes from the server in French; English is composed here from the same instants. */
export function hoursLabel(h: HoursStatus, lang: Lang): string {
  if (lang === 'fr') return h.label;
  const zone = h.timezone;
  const time = (iso: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(new Date(iso));
  const dayKey = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const day = (iso: string) => {
    const target = new Date(iso);
    const days = Math.round((Date.parse(dayKey(target)) - Date.parse(dayKey(new Date()))) / 86_400_000);
    if (days <= 0) return '';
    if (days === 1) return 'tomorrow ';
    const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: zone }).format(target);
    return days < 7 ? `${weekday} ` : `${new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: zone }).format(target)} `;
  };
  if (h.open && h.closesAt) return `Open until ${day(h.closesAt)}${time(h.closesAt)}`;
  const closed = h.holidayToday ? `Closed (${h.holidayToday})` : 'Closed';
  return h.nextOpenAt ? `${closed} — opens ${day(h.nextOpenAt)}at ${time(h.nextOpenAt)}` : closed;
}

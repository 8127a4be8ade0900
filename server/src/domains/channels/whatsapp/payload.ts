import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import {
  WhatsAppChangeValueSchema,
  WhatsAppMessageSchema,
  WhatsAppStatusSchema,
  WhatsAppWebhookSchema,
  type RawWhatsAppError,
  type RawWhatsAppMessage,
  type RawWhatsAppStatus,
  type WhatsAppChangeValue,
} from './webhook-schema';

export type WhatsAppMessageKind =
  | 'text'
  | 'image'
  | 'document'
  | 'audio'
  | 'voice'
  | 'video'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'interactive_reply'
  | 'button_reply'
  | 'reaction'
  | 'unknown';

export interface WhatsAppError {
  code: number;
  title: string | null;
  message: string | null;
  details: string | null;
}

export interface WhatsAppMedia {
  id: string;
  mimeType: string | null;
  sha256?: string;
  filename?: string;
}

export interface WhatsAppLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

export interface WhatsAppSharedContact {
  name: string | null;
  phones: string[];
  emails: string[];
}

export interface InboundWhatsAppMessage {
  providerMessageId: string;
  /** Business number that received the message (routes multi-number setups). */
  phoneNumberId: string | null;
  /** E.164 with `+`; null for users who hide their number behind a WhatsApp username. */
  from: string | null;
  /** Business-scoped user id (BSUID), sent alongside or instead of the phone number. */
  fromUserId?: string;
  profileName: string | null;
  timestamp: Date;
  kind: WhatsAppMessageKind;
  /** Body, caption, button title, reaction emoji or location description. */
  text: string | null;
  media?: WhatsAppMedia;
  location?: WhatsAppLocation;
  contacts?: WhatsAppSharedContact[];
  reply?: { id: string; title: string; description?: string };
  reaction?: { messageId: string; emoji: string | null };
  /** The message this one answers (quoted reply, button tap, reaction target). */
  contextMessageId?: string;
  forwarded?: boolean;
  /** Meta's own errors on the message (unsupported type, media download failure…). */
  errors: WhatsAppError[];
  /** Original Meta type when it is not one we map (e.g. `order`, `system`, `unsupported`). */
  providerType: string;
  raw: unknown;
}

export type WhatsAppDeliveryStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface WhatsAppStatus {
  providerMessageId: string;
  /** Known Meta statuses are typed; a future one is passed through as-is. */
  status: WhatsAppDeliveryStatus | (string & {});
  phoneNumberId: string | null;
  /** E.164 with `+` for users; group ids and BSUIDs are passed through unchanged. */
  recipient: string | null;
  timestamp: Date;
  errors: WhatsAppError[];
  pricingCategory?: string;
  conversationId?: string;
  bizOpaqueCallbackData?: string;
  raw: unknown;
}

export type ParseWhatsAppWebhookResult =
  | {
      ok: true;
      inbound: InboundWhatsAppMessage[];
      statuses: WhatsAppStatus[];
      /** Account/app-level errors Meta reports in `value.errors`. */
      errors: WhatsAppError[];
      /** Items we could not read at all (no id…), kept for logging rather than failing the batch. */
      problems: string[];
    }
  | { ok: false; error: string };

/**
 * The schemas compiled once: every delivery is read twice (the webhook, then the drain), and
 * Value.Check walks the schema at each call, about half a millisecond of CPU per delivery.
 */
const valid = {
  webhook: Compile(WhatsAppWebhookSchema),
  change: Compile(WhatsAppChangeValueSchema),
  status: Compile(WhatsAppStatusSchema),
  message: Compile(WhatsAppMessageSchema),
};

export function parseWhatsAppWebhook(body: unknown): ParseWhatsAppWebhookResult {
  if (!valid.webhook.Check(body)) {
    return { ok: false, error: describeErrors(WhatsAppWebhookSchema, body) };
  }

  const inbound: InboundWhatsAppMessage[] = [];
  const statuses: WhatsAppStatus[] = [];
  const errors: WhatsAppError[] = [];
  const problems: string[] = [];

  body.entry.forEach((entry, entryIndex) => {
    entry.changes.forEach((change, changeIndex) => {
      if (change.field !== 'messages') return;
      const at = `/entry/${entryIndex}/changes/${changeIndex}/value`;
      if (!valid.change.Check(change.value)) {
        problems.push(`${at}: ${describeErrors(WhatsAppChangeValueSchema, change.value)}`);
        return;
      }
      const value = change.value;
      const phoneNumberId = value.metadata?.phone_number_id ?? null;

      value.messages?.forEach((message, i) => {
        const normalised = normaliseMessage(message, value, phoneNumberId);
        if ('problem' in normalised) problems.push(`${at}/messages/${i}: ${normalised.problem}`);
        else inbound.push(normalised.message);
      });

      value.statuses?.forEach((status, i) => {
        if (!valid.status.Check(status)) {
          problems.push(`${at}/statuses/${i}: ${describeErrors(WhatsAppStatusSchema, status)}`);
          return;
        }
        statuses.push(normaliseStatus(status, phoneNumberId));
      });

      value.errors?.forEach((error) => errors.push(normaliseError(error)));
    });
  });

  return { ok: true, inbound, statuses, errors, problems };
}

function normaliseMessage(
  message: unknown,
  value: WhatsAppChangeValue,
  phoneNumberId: string | null,
): { message: InboundWhatsAppMessage } | { problem: string } {
  if (!valid.message.Check(message)) {
    // A message we cannot fully read is still a customer talking to us: keep it as `unknown`
    // when it has the minimum to be stored and deduplicated.
    const fallback = minimalMessage(message);
    if (!fallback) return { problem: describeErrors(WhatsAppMessageSchema, message) };
    return {
      message: {
        ...baseFields(fallback, value, phoneNumberId, message),
        kind: 'unknown',
        text: null,
      },
    };
  }

  const base = baseFields(message, value, phoneNumberId, message);
  return { message: { ...base, ...contentFields(message) } };
}

type Content = Pick<
  InboundWhatsAppMessage,
  'kind' | 'text' | 'media' | 'location' | 'contacts' | 'reply' | 'reaction' | 'contextMessageId'
>;

function contentFields(m: RawWhatsAppMessage): Content {
  switch (m.type) {
    case 'text':
      return m.text ? { kind: 'text', text: m.text.body } : unknownContent();
    case 'image':
    case 'document':
    case 'video':
    case 'sticker': {
      const media = m[m.type];
      if (!media) return unknownContent();
      return { kind: m.type, text: media.caption ?? null, media: toMedia(media) };
    }
    case 'audio':
      if (!m.audio) return unknownContent();
      // Voice notes recorded in WhatsApp are flagged `voice: true`; plain audio files are not.
      return { kind: m.audio.voice === true ? 'voice' : 'audio', text: null, media: toMedia(m.audio) };
    case 'location': {
      if (!m.location) return unknownContent();
      const latitude = Number(m.location.latitude);
      const longitude = Number(m.location.longitude);
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return unknownContent();
      const { name, address, url } = m.location;
      const description = [name, address].filter((part): part is string => !!part).join(', ');
      return {
        kind: 'location',
        text: description || null,
        location: { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}), ...(url ? { url } : {}) },
      };
    }
    case 'contacts': {
      const contacts = (m.contacts ?? []).map((c) => ({
        name: c.name?.formatted_name ?? ([c.name?.first_name, c.name?.last_name].filter(Boolean).join(' ') || null),
        phones: (c.phones ?? []).map((p) => p.phone ?? (p.wa_id ? `+${p.wa_id}` : '')).filter(Boolean),
        emails: (c.emails ?? []).map((e) => e.email ?? '').filter(Boolean),
      }));
      const text = contacts
        .map((c) => [c.name, ...c.phones, ...c.emails].filter(Boolean).join(' '))
        .filter(Boolean)
        .join('\n');
      return { kind: 'contacts', text: text || null, contacts };
    }
    case 'interactive': {
      const i = m.interactive;
      const choice = i?.button_reply ?? i?.list_reply;
      if (choice) {
        const description = i?.list_reply?.description;
        return {
          kind: 'interactive_reply',
          text: choice.title,
          reply: { id: choice.id, title: choice.title, ...(description ? { description } : {}) },
        };
      }
      if (i?.nfm_reply) {
        // WhatsApp Flow answers: the useful data is `response_json`, left in `raw`.
        const title = i.nfm_reply.body ?? i.nfm_reply.name ?? 'flow';
        return { kind: 'interactive_reply', text: title, reply: { id: i.nfm_reply.name ?? 'flow', title } };
      }
      return unknownContent();
    }
    case 'button':
      // Tap on a template quick-reply button: `text` is the label, `payload` our button id.
      if (!m.button) return unknownContent();
      return {
        kind: 'button_reply',
        text: m.button.text,
        reply: { id: m.button.payload ?? m.button.text, title: m.button.text },
      };
    case 'reaction':
      if (!m.reaction) return unknownContent();
      return {
        kind: 'reaction',
        // No emoji means the user removed a reaction.
        text: m.reaction.emoji || null,
        reaction: { messageId: m.reaction.message_id, emoji: m.reaction.emoji || null },
        contextMessageId: m.reaction.message_id,
      };
    case 'system':
      return { kind: 'unknown', text: m.system?.body ?? null };
    default:
      return unknownContent();
  }
}

function unknownContent(): Content {
  return { kind: 'unknown', text: null };
}

function toMedia(media: { id: string; mime_type?: string; sha256?: string; filename?: string }): WhatsAppMedia {
  return {
    id: media.id,
    mimeType: media.mime_type ?? null,
    ...(media.sha256 ? { sha256: media.sha256 } : {}),
    ...(media.filename ? { filename: media.filename } : {}),
  };
}

interface MinimalMessage {
  id: string;
  timestamp: string | number;
  type: string;
  from?: string;
  from_user_id?: string;
  context?: RawWhatsAppMessage['context'];
  errors?: RawWhatsAppError[];
}

function minimalMessage(message: unknown): MinimalMessage | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (typeof m.id !== 'string' || (typeof m.timestamp !== 'string' && typeof m.timestamp !== 'number')) return null;
  if (typeof m.from !== 'string' && typeof m.from_user_id !== 'string') return null;
  return {
    id: m.id,
    timestamp: m.timestamp,
    type: typeof m.type === 'string' ? m.type : 'unknown',
    ...(typeof m.from === 'string' ? { from: m.from } : {}),
    ...(typeof m.from_user_id === 'string' ? { from_user_id: m.from_user_id } : {}),
  };
}

function baseFields(
  m: MinimalMessage,
  value: WhatsAppChangeValue,
  phoneNumberId: string | null,
  raw: unknown,
): Omit<InboundWhatsAppMessage, keyof Content> & { contextMessageId?: string } {
  const contact =
    value.contacts?.find((c) => (m.from && c.wa_id === m.from) || (m.from_user_id && c.user_id === m.from_user_id)) ??
    (value.contacts?.length === 1 ? value.contacts[0] : undefined);
  const forwarded = m.context?.forwarded === true || m.context?.frequently_forwarded === true;

  return {
    providerMessageId: m.id,
    phoneNumberId,
    from: m.from ? toE164(m.from) : null,
    ...(m.from_user_id ? { fromUserId: m.from_user_id } : {}),
    profileName: contact?.profile?.name ?? null,
    timestamp: fromUnixSeconds(m.timestamp),
    ...(m.context?.id ? { contextMessageId: m.context.id } : {}),
    ...(forwarded ? { forwarded } : {}),
    errors: (m.errors ?? []).map(normaliseError),
    providerType: m.type,
    raw,
  };
}

function normaliseStatus(s: RawWhatsAppStatus, phoneNumberId: string | null): WhatsAppStatus {
  return {
    providerMessageId: s.id,
    status: s.status,
    phoneNumberId,
    recipient: s.recipient_id ? (s.recipient_type === 'group' ? s.recipient_id : toE164(s.recipient_id)) : null,
    timestamp: fromUnixSeconds(s.timestamp),
    errors: (s.errors ?? []).map(normaliseError),
    ...(s.pricing?.category ? { pricingCategory: s.pricing.category } : {}),
    ...(s.conversation?.id ? { conversationId: s.conversation.id } : {}),
    ...(s.biz_opaque_callback_data ? { bizOpaqueCallbackData: s.biz_opaque_callback_data } : {}),
    raw: s,
  };
}

function normaliseError(e: RawWhatsAppError): WhatsAppError {
  return {
    code: e.code,
    title: e.title ?? null,
    message: e.message ?? null,
    details: e.error_data?.details ?? e.details ?? null,
  };
}

/** WhatsApp sends numbers as bare digits with country code (`33612345678`). */
export function toE164(waId: string): string {
  const trimmed = waId.trim();
  return /^\+?\d+$/.test(trimmed) ? `+${trimmed.replace(/^\+/, '')}` : trimmed;
}

function fromUnixSeconds(value: string | number): Date {
  const seconds = typeof value === 'number' ? value : Number(value);
  // Meta's clock is authoritative; a garbled value must not become 1970 silently or NaN.
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date();
}

function describeErrors(schema: TSchema, value: unknown): string {
  const first = [...Value.Errors(schema, value)].slice(0, 3);
  if (first.length === 0) return 'invalid payload';
  return first.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

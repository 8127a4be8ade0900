/*
 * Typed views of Twilio's form-encoded webhook parameters
 * (twilio.com/docs/usage/webhooks/voice-webhooks, /docs/messaging/guides/webhook-request,
 * message status callbacks). Twilio adds parameters without notice, so unknown ones are
 * ignored here but everything stays available in `raw`.
 */

export type WebhookParams = URLSearchParams | Record<string, string | string[] | undefined>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export type CallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

export interface VoiceWebhook {
  callSid: string;
  accountSid: string | null;
  from: string;
  to: string;
  callStatus: CallStatus | (string & {}) | null;
  direction: string | null;
  callerName: string | null;
  forwardedFrom: string | null;
  parentCallSid: string | null;
  /** Keys pressed during `<Gather>` (absent when the caller pressed nothing). */
  digits: string | null;
  speechResult: string | null;
  /** Set on the final status callback only. */
  callDurationSeconds: number | null;
  recording: { sid: string | null; url: string; durationSeconds: number | null; status: string | null } | null;
  raw: Record<string, string>;
}

export interface SmsMedia {
  url: string;
  contentType: string | null;
}

export interface SmsWebhook {
  messageSid: string;
  accountSid: string | null;
  messagingServiceSid: string | null;
  /** Twilio also relays WhatsApp and other channels through the same webhook (`whatsapp:+33…`). */
  channel: 'sms' | 'whatsapp' | 'other';
  from: string;
  to: string;
  body: string;
  numSegments: number | null;
  media: SmsMedia[];
  raw: Record<string, string>;
}

export type MessageStatus =
  | 'accepted'
  | 'scheduled'
  | 'canceled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'delivered'
  | 'undelivered'
  | 'receiving'
  | 'received'
  | 'read';

export interface MessageStatusWebhook {
  messageSid: string;
  accountSid: string | null;
  status: MessageStatus | (string & {});
  /** Twilio error code (e.g. 30003 unreachable handset, 30007 carrier filtering) on failure. */
  errorCode: number | null;
  errorMessage: string | null;
  from: string | null;
  to: string | null;
  raw: Record<string, string>;
}

export function parseVoiceWebhook(params: WebhookParams): ParseResult<VoiceWebhook> {
  const p = flatten(params);
  const { CallSid: callSid, From: from, To: to } = p;
  if (!callSid || !from || !to) return missingError(p, ['CallSid', 'From', 'To']);
  const recordingUrl = p.RecordingUrl ?? null;
  return {
    ok: true,
    value: {
      callSid,
      accountSid: p.AccountSid ?? null,
      from,
      to,
      callStatus: p.CallStatus ?? null,
      direction: p.Direction ?? null,
      callerName: p.CallerName ?? null,
      forwardedFrom: p.ForwardedFrom ?? null,
      parentCallSid: p.ParentCallSid ?? null,
      digits: p.Digits ?? null,
      speechResult: p.SpeechResult ?? null,
      callDurationSeconds: toInt(p.CallDuration),
      recording: recordingUrl
        ? {
            sid: p.RecordingSid ?? null,
            url: recordingUrl,
            durationSeconds: toInt(p.RecordingDuration),
            status: p.RecordingStatus ?? null,
          }
        : null,
      raw: p,
    },
  };
}

export function parseSmsWebhook(params: WebhookParams): ParseResult<SmsWebhook> {
  const p = flatten(params);
  // Older accounts still send SmsSid / SmsMessageSid alongside (or instead of) MessageSid.
  const messageSid = p.MessageSid ?? p.SmsMessageSid ?? p.SmsSid;
  if (!messageSid) return { ok: false, error: 'missing MessageSid' };
  const { From: from, To: to } = p;
  if (!from || !to) return missingError(p, ['From', 'To']);

  const numMedia = toInt(p.NumMedia) ?? 0;
  const media: SmsMedia[] = [];
  for (let i = 0; i < numMedia; i++) {
    const url = p[`MediaUrl${i}`];
    if (url) media.push({ url, contentType: p[`MediaContentType${i}`] ?? null });
  }

  return {
    ok: true,
    value: {
      messageSid,
      accountSid: p.AccountSid ?? null,
      messagingServiceSid: p.MessagingServiceSid ?? null,
      channel: channelOf(from),
      from: stripChannelPrefix(from),
      to: stripChannelPrefix(to),
      body: p.Body ?? '',
      numSegments: toInt(p.NumSegments),
      media,
      raw: p,
    },
  };
}

export function parseMessageStatusWebhook(params: WebhookParams): ParseResult<MessageStatusWebhook> {
  const p = flatten(params);
  const messageSid = p.MessageSid ?? p.SmsSid;
  const status = p.MessageStatus ?? p.SmsStatus;
  if (!messageSid) return { ok: false, error: 'missing MessageSid' };
  if (!status) return { ok: false, error: 'missing MessageStatus' };
  return {
    ok: true,
    value: {
      messageSid,
      accountSid: p.AccountSid ?? null,
      status,
      errorCode: toInt(p.ErrorCode),
      errorMessage: p.ErrorMessage ?? null,
      from: p.From ? stripChannelPrefix(p.From) : null,
      to: p.To ? stripChannelPrefix(p.To) : null,
      raw: p,
    },
  };
}

function flatten(params: WebhookParams): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    // First value wins, as with URLSearchParams.get; Twilio does not repeat these names.
    if (!(name in out)) out[name] = Array.isArray(value) ? (value[0] ?? '') : value;
  }
  return out;
}

function missingError(p: Record<string, string>, names: string[]): { ok: false; error: string } {
  return { ok: false, error: `missing ${names.filter((n) => !p[n]).join(', ')}` };
}

function toInt(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}

function channelOf(address: string): SmsWebhook['channel'] {
  const prefix = /^([a-z]+):/i.exec(address)?.[1]?.toLowerCase();
  if (!prefix) return 'sms';
  return prefix === 'whatsapp' ? 'whatsapp' : 'other';
}

function stripChannelPrefix(address: string): string {
  return address.replace(/^whatsapp:/i, '');
}

import type { AppContext } from '../../../platform/context';
import { applyDeliveryStatus } from '../outbound/delivery';
import { receiveInbound, type InboundAttachment } from '../inbound/intake';
import { UnprocessableDelivery, type InboxRow, type Outcome } from '../inbound/inbox';
import { parseRating } from '../inbound/rating';
import { parseMessageStatusWebhook, parseSmsWebhook, type SmsMedia } from './webhook-params';

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'video/mp4': 'mp4', 'audio/mpeg': 'mp3', 'audio/ogg': 'ogg', 'application/pdf': 'pdf' };

/** MMS media live at Twilio's API and need the account's credentials (HTTP basic auth). */
async function downloadMedia(ctx: AppContext, media: SmsMedia): Promise<Buffer> {
  const tw = ctx.config.channels.twilio;
  if (!tw) throw new UnprocessableDelivery('Twilio non configuré');
  const res = await fetch(media.url, {
    headers: { authorization: `Basic ${Buffer.from(`${tw.accountSid}:${tw.authToken}`).toString('base64')}` },
    signal: AbortSignal.timeout(20_000),
  });
  if (!res.ok) throw Object.assign(new Error(`Média Twilio : HTTP ${res.status}`), { retryable: res.status >= 500 || res.status === 429 });
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > ctx.config.maxAttachmentBytes) throw Object.assign(new Error('Média trop volumineux'), { retryable: false });
  return Buffer.from(await res.arrayBuffer());
}

/** Who a stored SMS is from (Twilio's `From`). */
export function smsConversation(row: InboxRow): string | null {
  return new URLSearchParams(row.raw.toString('utf8')).get('From');
}

/** A stored Twilio messaging webhook: an SMS (or MMS) from a client, through the common intake. */
export async function processSmsDelivery(ctx: AppContext, row: InboxRow): Promise<Outcome> {
  const parsed = parseSmsWebhook(new URLSearchParams(row.raw.toString('utf8')));
  if (!parsed.ok) throw new UnprocessableDelivery(parsed.error);
  const sms = parsed.value;
  const files: InboundAttachment[] = [];
  const notes: string[] = [];
  for (const [i, media] of sms.media.entries()) {
    try {
      files.push({ filename: `mms-${i + 1}.${EXT[(media.contentType ?? '').split(';')[0]!] ?? 'bin'}`, bytes: await downloadMedia(ctx, media) });
    } catch (err) {
      if ((err as { retryable?: boolean }).retryable !== false && row.attempts < 3) throw err;
      notes.push(`[Pièce jointe MMS non récupérée : ${(err as Error).message}]`);
    }
  }
  const result = await receiveInbound(ctx, {
    channel: sms.channel === 'whatsapp' ? 'whatsapp' : 'sms',
    providerMessageId: sms.messageSid,
    from: sms.channel === 'whatsapp' ? { whatsappId: sms.from } : { phone: sms.from },
    text: [sms.body, ...notes].filter(Boolean).join('\n'),
    attachments: files,
    inboxId: row.id,
    closeInbox: true,
    rating: parseRating(sms.body),
    details: { kind: sms.media.length ? 'mms' : 'sms', sender: sms.from, data: { to: sms.to, segments: sms.numSegments, ...(sms.messagingServiceSid ? { messagingServiceSid: sms.messagingServiceSid } : {}) } },
  });
  return { state: 'processed', result: { outcome: result.outcome, ticket: result.ticketNumber }, closed: result.inboxClosed === true };
}

/** A stored Twilio status callback for one of our SMS. */
export async function processSmsStatus(ctx: AppContext, row: InboxRow): Promise<Outcome> {
  const parsed = parseMessageStatusWebhook(new URLSearchParams(row.raw.toString('utf8')));
  if (!parsed.ok) throw new UnprocessableDelivery(parsed.error);
  const s = parsed.value;
  const error = s.errorCode !== null ? `${s.errorCode}${s.errorMessage ? ` ${s.errorMessage}` : ''}` : s.errorMessage;
  const applied = await ctx.db.transaction((tx) => applyDeliveryStatus(ctx, tx, 'sms', s.messageSid, s.status, error));
  return { state: applied === 'ignored' || applied === 'unknown' ? 'ignored' : 'processed', result: { applied, status: s.status } };
}

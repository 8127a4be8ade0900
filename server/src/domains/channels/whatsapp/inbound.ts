import type { AppContext } from '../../../platform/context';
import { requestCallback } from '../callbacks/callback-service';
import { applyDeliveryStatus } from '../outbound/delivery';
import { receiveInbound, type InboundAttachment } from '../inbound/intake';
import { UnprocessableDelivery, type InboxRow, type Outcome } from '../inbound/inbox';
import { parseRating } from '../inbound/rating';
import { whatsappClient } from '../providers';
import { WhatsAppApiError } from './graph-client';
import { parseWhatsAppWebhook, type InboundWhatsAppMessage, type WhatsAppError, type WhatsAppStatus } from './payload';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'application/pdf': 'pdf',
};

const KIND_LABELS: Record<string, string> = {
  image: 'Photo',
  document: 'Document',
  audio: 'Fichier audio',
  voice: 'Message vocal',
  video: 'Vidéo',
  sticker: 'Autocollant',
};

function mediaFilename(m: InboundWhatsAppMessage): string {
  if (m.media?.filename) return m.media.filename;
  const mime = (m.media?.mimeType ?? '').split(';')[0]!.trim();
  const stamp = m.timestamp.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const base = m.kind === 'voice' ? 'message-vocal' : m.kind;
  return `${base}-${stamp}.${EXTENSIONS[mime] ?? 'bin'}`;
}

function describe(m: InboundWhatsAppMessage): string {
  switch (m.kind) {
    case 'location': {
      const loc = m.location!;
      const where = [loc.name, loc.address].filter(Boolean).join(', ');
      return `📍 Position partagée${where ? ` : ${where}` : ''}\nhttps://www.openstreetmap.org/?mlat=${loc.latitude}&mlon=${loc.longitude}#map=17/${loc.latitude}/${loc.longitude}`;
    }
    case 'contacts':
      return `Contact partagé :\n${m.text ?? ''}`.trim();
    case 'reaction':
      return m.reaction?.emoji ? `Réaction : ${m.reaction.emoji}` : 'Réaction retirée';
    case 'interactive_reply':
    case 'button_reply':
      return m.text ?? m.reply?.title ?? '';
    case 'unknown':
      return m.text ?? `[Message WhatsApp d’un type non pris en charge (${m.providerType}) : voir le message sur le téléphone du client]`;
    default:
      return m.text ?? '';
  }
}

function errorText(errors: WhatsAppError[]): string | null {
  if (!errors.length) return null;
  return errors.map((e) => `${e.code}${e.title ? ` ${e.title}` : ''}${e.details ? ` — ${e.details}` : ''}`).join(' ; ');
}

/** One client message: media fetched from the Graph API (id → url → bearer download), then the common intake. */
async function receiveWhatsAppMessage(ctx: AppContext, m: InboundWhatsAppMessage, row: InboxRow, closeInbox: boolean): Promise<{ outcome: string; closed: boolean }> {
  const files: InboundAttachment[] = [];
  const notes: string[] = [];
  if (m.media) {
    const client = whatsappClient(ctx.config);
    try {
      if (!client) throw new WhatsAppApiError({ httpStatus: null, code: null, title: 'WhatsApp non configuré', retryable: false });
      const media = await client.downloadMedia(m.media.id);
      files.push({ filename: mediaFilename(m), bytes: media.bytes });
    } catch (err) {
      // A media Meta no longer has (or never will give) must not hold the message back forever.
      if (err instanceof WhatsAppApiError && err.retryable && row.attempts < 3) throw err;
      notes.push(`[${KIND_LABELS[m.kind] ?? 'Pièce jointe'} non récupérée : ${(err as Error).message}]`);
    }
  }
  const label = m.media && !m.text ? `[${KIND_LABELS[m.kind] ?? 'Pièce jointe'}]` : '';
  const text = [describe(m) || label, ...notes].filter(Boolean).join('\n');
  const result = await receiveInbound(ctx, {
    channel: 'whatsapp',
    providerMessageId: m.providerMessageId,
    from: { whatsappId: m.from, name: m.profileName },
    text,
    attachments: files,
    inboxId: row.id,
    closeInbox,
    passive: m.kind === 'reaction',
    rating: m.kind === 'reaction' ? null : parseRating(m.text, m.reply?.id),
    details: {
      kind: m.kind,
      sender: m.from ?? m.fromUserId ?? null,
      data: {
        providerType: m.providerType,
        sentAt: m.timestamp.toISOString(),
        ...(m.location ? { location: m.location } : {}),
        ...(m.reply ? { reply: m.reply } : {}),
        ...(m.contacts ? { contacts: m.contacts } : {}),
        ...(m.reaction ? { reaction: m.reaction } : {}),
        ...(m.contextMessageId ? { inReplyTo: m.contextMessageId } : {}),
        ...(m.forwarded ? { forwarded: true } : {}),
        ...(m.errors.length ? { errors: m.errors } : {}),
        ...(m.media ? { media: { id: m.media.id, mimeType: m.media.mimeType } } : {}),
      },
    },
  });
  // A "Être rappelé" button (quick reply of a template, payload `callback`): a callback task.
  if (m.reply && /^callback$/i.test(m.reply.id) && result.outcome !== 'duplicate') {
    await ctx.db.transaction((tx) =>
      requestCallback(ctx, tx, { ticket: result.ticketId, source: 'whatsapp', reason: 'Demandé sur WhatsApp' }, { kind: 'contact', id: result.contactId }),
    );
  }
  return { outcome: result.outcome, closed: result.inboxClosed === true };
}

async function applyStatus(ctx: AppContext, s: WhatsAppStatus): Promise<string> {
  return ctx.db.transaction((tx) => applyDeliveryStatus(ctx, tx, 'whatsapp', s.providerMessageId, s.status, errorText(s.errors)));
}

/** Who a stored delivery is from (the sender of its first message); status updates have nobody. */
export function whatsAppConversation(row: InboxRow): string | null {
  const body = JSON.parse(row.raw.toString('utf8')) as { entry?: { changes?: { value?: { messages?: { from?: unknown }[] } }[] }[] };
  for (const e of body.entry ?? []) for (const c of e.changes ?? []) for (const m of c.value?.messages ?? []) if (typeof m.from === 'string') return m.from;
  return null;
}

/** A stored `POST /webhooks/whatsapp` body: client messages through the intake, statuses onto our messages. */
export async function processWhatsAppDelivery(ctx: AppContext, row: InboxRow): Promise<Outcome> {
  let body: unknown;
  try {
    body = JSON.parse(row.raw.toString('utf8'));
  } catch {
    throw new UnprocessableDelivery('invalid JSON');
  }
  const parsed = parseWhatsAppWebhook(body);
  if (!parsed.ok) throw new UnprocessableDelivery(parsed.error);
  const outcomes: Record<string, number> = {};
  const count = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
  // The common case, one message and nothing else: the delivery is closed with it.
  const single = parsed.inbound.length === 1 && !parsed.statuses.length && !parsed.problems.length;
  let closed = false;
  for (const m of parsed.inbound) {
    const r = await receiveWhatsAppMessage(ctx, m, row, single);
    closed = r.closed;
    count(`message.${r.outcome}`);
  }
  for (const s of parsed.statuses) count(`status.${await applyStatus(ctx, s)}`);
  if (parsed.problems.length) console.warn('[channels] WhatsApp items skipped:', parsed.problems);
  return {
    closed: single && closed,
    state: parsed.inbound.length || parsed.statuses.length ? 'processed' : 'ignored',
    result: { ...outcomes, ...(parsed.problems.length ? { problems: parsed.problems } : {}), ...(parsed.errors.length ? { errors: parsed.errors } : {}) },
  };
}

import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../../platform/context';
import type { Executor } from '../../../platform/db';
import { readAttachment } from '../../tickets/attachment-storage';
import { channelMessageDetails } from '../channel.schema';
import type { WhatsAppGraphClient } from '../whatsapp/graph-client';
import { PermanentDeliveryError } from './delivery-errors';
import { replyFileProblems, WHATSAPP_CAPTION_MAX, WHATSAPP_MEDIA, type ReplyFile } from './reply-attachments';

/**
 * A reply with files reaches WhatsApp as several messages: the text (or the first file with the
 * text as its caption), then one media message per file, each uploaded first
 * (`POST /{phone-number-id}/media`) and sent by its media id. What has gone out is written
 * down after each step, in the message's `channel_message_details` row, so a retried job picks
 * up where it stopped: nothing is uploaded or sent twice.
 */
export const PARTS_KIND = 'outbound_parts';

export interface ReplyPart {
  kind: 'text' | 'image' | 'document';
  attachmentId?: string;
  filename?: string;
  caption?: string;
  mediaId?: string;
  wamid?: string;
  status?: 'sent' | 'delivered' | 'read' | 'failed';
  error?: string;
}

/** The text as the caption of the first file when it fits; otherwise its own message first. */
export function planParts(body: string, files: Pick<ReplyFile, 'id' | 'filename' | 'contentType'>[]): ReplyPart[] {
  const text = body.trim();
  const captionFirst = text.length > 0 && text.length <= WHATSAPP_CAPTION_MAX;
  const parts: ReplyPart[] = [];
  if (text && !captionFirst) parts.push({ kind: 'text' });
  files.forEach((f, i) => {
    parts.push({ kind: WHATSAPP_MEDIA[f.contentType]?.kind ?? 'document', attachmentId: f.id, filename: f.filename, ...(i === 0 && captionFirst ? { caption: text } : {}) });
  });
  return parts;
}

export async function loadParts(db: Executor, messageId: string): Promise<ReplyPart[] | null> {
  const [row] = await db.select({ kind: channelMessageDetails.kind, data: channelMessageDetails.data }).from(channelMessageDetails).where(eq(channelMessageDetails.messageId, messageId));
  return row?.kind === PARTS_KIND ? ((row.data as { parts?: ReplyPart[] }).parts ?? null) : null;
}

export async function saveParts(db: Executor, messageId: string, parts: ReplyPart[]): Promise<void> {
  await db
    .insert(channelMessageDetails)
    .values({ messageId, kind: PARTS_KIND, data: { parts } })
    .onConflictDoUpdate({ target: channelMessageDetails.messageId, set: { data: { parts } } });
}

/**
 * Sends a reply and its files to `to`; returns the id of the last WhatsApp message, the one
 * whose delivery stands for the whole reply (WhatsApp delivers in order).
 */
export async function sendWhatsAppFiles(ctx: AppContext, client: WhatsAppGraphClient, messageId: string, to: string, body: string, files: ReplyFile[], windowOpen: boolean): Promise<string> {
  let parts = await loadParts(ctx.db, messageId);
  if (!parts) {
    const problems = replyFileProblems('whatsapp', files, { whatsappWindowOpen: windowOpen });
    if (problems.length) throw new PermanentDeliveryError(problems.join(' '));
    parts = planParts(body, files);
    await saveParts(ctx.db, messageId, parts);
  } else if (!windowOpen && parts.some((p) => !p.wamid)) {
    const done = parts.filter((p) => p.wamid).length;
    throw new PermanentDeliveryError(`Le client n’a pas écrit sur WhatsApp depuis plus de 24 heures : WhatsApp n’accepte plus de fichiers (${done} envoi(s) sur ${parts.length} partis).`);
  }
  const byId = new Map(files.map((f) => [f.id, f]));
  for (const part of parts) {
    if (part.wamid) continue;
    if (part.kind === 'text') {
      part.wamid = await client.sendText(to, body.trim());
    } else {
      const file = byId.get(part.attachmentId ?? '');
      if (!file) throw new PermanentDeliveryError(`Le fichier « ${part.filename ?? '?'} » n’est plus sur la demande.`);
      if (!part.mediaId) {
        part.mediaId = await client.uploadMedia(await readAttachment(ctx.config.dataDir, file.storagePath), file.contentType, file.filename);
        await saveParts(ctx.db, messageId, parts);
      }
      part.wamid = await client.sendMedia(to, part.kind, { id: part.mediaId, ...(part.caption ? { caption: part.caption } : {}), ...(part.kind === 'document' ? { filename: file.filename } : {}) });
    }
    part.status = 'sent';
    await saveParts(ctx.db, messageId, parts);
  }
  return parts[parts.length - 1]!.wamid!;
}

/**
 * A status webhook about one of the earlier parts of a reply (the last part is the message's own
 * provider id): the part's status is kept, and a failed part fails the whole reply, since the
 * client did not get everything. Null when no reply has a part with this id.
 */
export async function applyPartStatus(tx: Executor, wamid: string, state: 'pending' | 'sent' | 'delivered' | 'read' | 'failed', error: string | null): Promise<{ messageId: string; failed: boolean; part: ReplyPart } | null> {
  // Only reached for ids that are neither a message nor a notification: rare, so a scan of the
  // (small) set of multi-part replies is acceptable here.
  const found = await tx.execute<{ message_id: string; data: { parts: ReplyPart[] } }>(
    sql`select message_id, data from channel_message_details where kind = ${PARTS_KIND} and data->'parts' @> ${JSON.stringify([{ wamid }])}::jsonb limit 1 for update`,
  );
  const row = found.rows[0];
  if (!row || state === 'pending') return row ? { messageId: row.message_id, failed: false, part: row.data.parts.find((p) => p.wamid === wamid)! } : null;
  const parts = row.data.parts;
  const part = parts.find((p) => p.wamid === wamid)!;
  const rank = { sent: 1, failed: 2, delivered: 3, read: 4 } as const;
  if (part.status === 'failed' || (part.status && rank[part.status] >= rank[state] && state !== 'failed')) return { messageId: row.message_id, failed: false, part };
  part.status = state;
  if (state === 'failed' && error) part.error = error;
  await tx.update(channelMessageDetails).set({ data: { parts } }).where(eq(channelMessageDetails.messageId, row.message_id));
  return { messageId: row.message_id, failed: state === 'failed', part };
}

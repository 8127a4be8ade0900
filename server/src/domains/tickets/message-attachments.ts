import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../platform/db';
import { unprocessable } from '../../platform/errors';
import { attachments } from './ticket.schema';

export interface MessageFile {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
}

/**
 * Files uploaded to the ticket (`POST /tickets/:ref/attachments`) become part of a message:
 * only this ticket's files, and only those no other message has taken yet, so the same file is
 * never sent twice by mistake.
 */
export async function attachFilesToMessage(tx: Executor, ticketId: string, messageId: string, ids: string[]): Promise<(MessageFile & { storagePath: string })[]> {
  if (!ids.length) return [];
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  const taken = await tx
    .update(attachments)
    .set({ messageId })
    .where(and(inArray(attachments.id, wanted), eq(attachments.ticketId, ticketId), isNull(attachments.messageId)))
    .returning({ id: attachments.id, filename: attachments.filename, contentType: attachments.contentType, sizeBytes: attachments.sizeBytes, storagePath: attachments.storagePath });
  if (taken.length !== wanted.length) {
    const missing = wanted.filter((id) => !taken.some((t) => t.id === id));
    throw unprocessable('ATTACHMENT_NOT_AVAILABLE', 'Un fichier joint n’est pas sur cette demande, ou il a déjà été envoyé avec un autre message. Ajoutez-le à nouveau.', { attachmentIds: missing });
  }
  return wanted.map((id) => taken.find((t) => t.id === id)!);
}

/** The files of each message, in the order they were added. */
export async function filesByMessage(db: Executor, messageIds: string[]): Promise<Map<string, MessageFile[]>> {
  const out = new Map<string, MessageFile[]>();
  if (!messageIds.length) return out;
  const rows = await db
    .select({ id: attachments.id, messageId: attachments.messageId, filename: attachments.filename, contentType: attachments.contentType, sizeBytes: attachments.sizeBytes })
    .from(attachments)
    .where(inArray(attachments.messageId, messageIds))
    // Files uploaded together share their time: the name orders them the same way everywhere.
    .orderBy(asc(attachments.createdAt), asc(attachments.filename), asc(attachments.id));
  for (const { messageId, ...f } of rows) {
    const list = out.get(messageId!) ?? [];
    list.push(f);
    out.set(messageId!, list);
  }
  return out;
}

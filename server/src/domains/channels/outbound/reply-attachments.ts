import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../../platform/db';
import { unprocessable } from '../../../platform/errors';
import { attachments } from '../../tickets/ticket.schema';

/** A file sent with a staff reply, as the delivery reads it. */
export interface ReplyFile {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  storagePath: string;
}

export type WhatsAppMediaKind = 'image' | 'document';

/**
 * What Meta's Cloud API officially delivers (developers.facebook.com, "Image messages" and
 * "Document messages"): JPEG and PNG photos up to 5 MB, documents up to 100 MB. Other types
 * "may be sent but are not supported": a client would get a broken file, so they are refused
 * before anything leaves. Sizes are decimal megabytes, the stricter reading.
 */
export const WHATSAPP_MEDIA: Record<string, { kind: WhatsAppMediaKind; maxBytes: number }> = {
  'image/jpeg': { kind: 'image', maxBytes: 5_000_000 },
  'image/png': { kind: 'image', maxBytes: 5_000_000 },
  'application/pdf': { kind: 'document', maxBytes: 100_000_000 },
  'text/plain': { kind: 'document', maxBytes: 100_000_000 },
};

/** A WhatsApp caption holds 1024 characters; a longer reply goes as its own text first. */
export const WHATSAPP_CAPTION_MAX = 1024;

/**
 * Most mailboxes refuse a mail over 25 MB once encoded; base64 adds a third, so 18 MB of
 * files is what reliably arrives.
 */
export const EMAIL_ATTACHMENTS_MAX_BYTES = 18_000_000;

/** Files per reply: the console's picker and the API agree on it. */
export const MAX_REPLY_FILES = 10;

const mb = (bytes: number) => `${Math.round((bytes / 1_000_000) * 10) / 10} Mo`.replace('.', ',');

export async function filesOfMessage(db: Executor, messageId: string): Promise<ReplyFile[]> {
  return db
    .select({ id: attachments.id, filename: attachments.filename, contentType: attachments.contentType, sizeBytes: attachments.sizeBytes, storagePath: attachments.storagePath })
    .from(attachments)
    .where(eq(attachments.messageId, messageId))
    .orderBy(asc(attachments.createdAt), asc(attachments.filename), asc(attachments.id));
}

/**
 * Why these files cannot go out with a reply on this channel, in words an adviser acts on;
 * empty when they can. Checked when the reply is written (a clear 422, nothing sent) and again
 * when it is delivered.
 */
export function replyFileProblems(channel: string, files: Pick<ReplyFile, 'filename' | 'contentType' | 'sizeBytes'>[], opts: { whatsappWindowOpen?: boolean } = {}): string[] {
  if (!files.length) return [];
  const problems: string[] = [];
  if (channel === 'whatsapp') {
    if (opts.whatsappWindowOpen === false) {
      problems.push('Le client n’a pas écrit sur WhatsApp depuis plus de 24 heures : WhatsApp n’accepte plus de fichiers, seulement un modèle de message approuvé. Envoyez le texte seul, ou demandez au client de vous écrire d’abord.');
    }
    for (const f of files) {
      const rule = WHATSAPP_MEDIA[f.contentType];
      if (!rule) problems.push(`« ${f.filename} » (${f.contentType}) ne peut pas partir sur WhatsApp : seuls les photos JPEG ou PNG et les documents PDF ou texte sont acceptés.`);
      else if (f.sizeBytes > rule.maxBytes) problems.push(`« ${f.filename} » fait ${mb(f.sizeBytes)} : WhatsApp accepte ${rule.kind === 'image' ? 'les photos' : 'les documents'} jusqu’à ${mb(rule.maxBytes)}.`);
    }
  } else if (channel === 'email') {
    const total = files.reduce((n, f) => n + f.sizeBytes, 0);
    if (total > EMAIL_ATTACHMENTS_MAX_BYTES) problems.push(`Les fichiers font ${mb(total)} en tout : au-delà de ${mb(EMAIL_ATTACHMENTS_MAX_BYTES)}, la plupart des messageries refusent le mail. Envoyez-en moins à la fois.`);
  }
  return problems;
}

export function assertReplyFilesSendable(channel: string, files: Pick<ReplyFile, 'filename' | 'contentType' | 'sizeBytes'>[], opts: { whatsappWindowOpen?: boolean } = {}): void {
  const problems = replyFileProblems(channel, files, opts);
  if (problems.length) {
    throw unprocessable('ATTACHMENT_NOT_SENDABLE', problems.join(' '), problems.map((problem) => ({ field: 'body.attachmentIds', problem })));
  }
}

/** Whether the client receives the files themselves on this channel (SMS cannot carry them). */
export function channelCarriesFiles(channel: string): boolean {
  return channel === 'email' || channel === 'whatsapp';
}

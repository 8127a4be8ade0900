import { createHash } from 'node:crypto';
import type { AppContext } from '../../../platform/context';
import { receiveInbound } from '../inbound/intake';
import { acceptDelivery, type InboxRow, type Outcome } from '../inbound/inbox';
import { parseInboundEmail } from './parse-inbound';
import { extractTicketNumbers, findReplyToken, parseMessageIdList } from './threading';

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'application/pdf': 'pdf', 'text/plain': 'txt' };

/**
 * One raw message (SMTP receiver or IMAP poller) into the inbox, keyed by its Message-ID (or
 * the hash of its bytes): the same mail delivered twice, or fetched again, is processed once.
 */
export async function acceptEmail(ctx: AppContext, raw: Buffer): Promise<{ id: string; duplicate: boolean }> {
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const headerBlock = head.split(/\r?\n\r?\n/)[0] ?? '';
  const messageIdLine = /^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(headerBlock)?.[1];
  const messageId = parseMessageIdList(messageIdLine)[0];
  const key = messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  return acceptDelivery(ctx, 'email', key, raw);
}

/**
 * A stored email: our own mail coming back and machine replies (out of office, bounces, lists)
 * are ignored and kept in the inbox; a client's mail goes through the common intake, threaded by
 * reply address, then In-Reply-To / References, then the ticket number in the subject.
 */
export async function processEmailDelivery(ctx: AppContext, row: InboxRow): Promise<Outcome> {
  const cfg = ctx.config.channels.email;
  const mail = await parseInboundEmail(row.raw, { ownMessageIdDomains: [cfg.domain] });
  if (mail.loop) return { state: 'ignored', result: { reason: 'loop', reasons: mail.autoReplyReasons } };
  if (mail.autoReply) return { state: 'ignored', result: { reason: 'auto-reply', reasons: mail.autoReplyReasons } };
  if (!mail.from) return { state: 'ignored', result: { reason: 'no sender' } };
  const fromOurselves = mail.from.address.toLowerCase().endsWith(`@${cfg.domain}`) && mail.from.address.toLowerCase().startsWith(cfg.localPart.toLowerCase());
  if (fromOurselves) return { state: 'ignored', result: { reason: 'loop', reasons: ['from our own address'] } };

  const deliveredTo = ([] as string[]).concat(mail.headers['delivered-to'] ?? [], mail.headers['x-original-to'] ?? []);
  const token = findReplyToken([...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address), ...deliveredTo], { domain: cfg.domain, localPart: cfg.localPart });
  const messageIds = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()].filter((id, i, all) => all.indexOf(id) === i);
  const providerMessageId = mail.messageId ? parseMessageIdList(mail.messageId)[0] ?? `<${mail.messageId}>` : row.dedupeKey;

  const text = mail.replyText.trim() || (mail.quotedText ? '' : mail.text.trim());
  const result = await receiveInbound(ctx, {
    channel: 'email',
    providerMessageId,
    from: { email: mail.from.address, name: mail.from.name || null },
    text,
    subject: mail.subject,
    thread: { replyToken: token, messageIds, ticketNumbers: extractTicketNumbers(mail.subject, ctx.config.ticketPrefix) },
    attachments: mail.attachments.map((a, i) => ({
      filename: a.filename ?? `${a.inline ? 'image' : 'piece-jointe'}-${i + 1}.${EXT[a.contentType] ?? 'bin'}`,
      bytes: a.content,
    })),
    inboxId: row.id,
    closeInbox: true,
    details: {
      kind: 'email',
      sender: mail.from.address,
      subject: mail.subject,
      fullText: mail.text,
      data: {
        to: mail.to.map((a) => a.address),
        cc: mail.cc.map((a) => a.address),
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references.length ? { references: mail.references } : {}),
        ...(mail.signature ? { signature: mail.signature } : {}),
        quoted: !!mail.quotedText,
        date: mail.date?.toISOString() ?? null,
        inlineImages: mail.attachments.filter((a) => a.inline).length,
      },
    },
  });
  return { state: 'processed', result: { outcome: result.outcome, ticket: result.ticketNumber }, closed: result.inboxClosed === true };
}

import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, isNotNull } from 'drizzle-orm';
import type { Config } from '../../../config';
import type { Executor } from '../../../platform/db';
import { messages } from '../../tickets/ticket.schema';
import { channelMessageDetails, emailReplyTokens } from '../channel.schema';
import { emailTransport, notConfigured } from '../providers';
import { textToHtml } from '../outbound/templates';
import { buildReplyAddress } from './threading';

/** Our Message-IDs carry our domain: an inbound mail whose Message-ID has it is our own coming back. */
export function ourMessageId(config: Config, id: string): string {
  return `<${id}@${config.channels.email.domain}>`;
}

/** The ticket's reply token, created the first time a mail about it goes out. */
export async function replyTokenFor(db: Executor, ticketId: string): Promise<string> {
  await db
    .insert(emailReplyTokens)
    .values({ ticketId, token: randomBytes(12).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select({ token: emailReplyTokens.token }).from(emailReplyTokens).where(eq(emailReplyTokens.ticketId, ticketId));
  return row!.token;
}

export interface ThreadHeaders {
  inReplyTo: string | null;
  references: string[];
  /** The address the client last wrote from, to answer where they read. */
  lastSender: string | null;
}

/** In-Reply-To the client's last mail, References to the whole conversation (as mail clients thread). */
export async function threadHeaders(db: Executor, ticketId: string): Promise<ThreadHeaders> {
  const rows = await db
    .select({ id: messages.providerMessageId, direction: messages.direction, sender: channelMessageDetails.sender })
    .from(messages)
    .leftJoin(channelMessageDetails, eq(channelMessageDetails.messageId, messages.id))
    .where(and(eq(messages.ticketId, ticketId), eq(messages.channel, 'email'), isNotNull(messages.providerMessageId)))
    .orderBy(asc(messages.createdAt));
  const ids = rows.map((r) => r.id!).filter((id) => /^<[^<>\s]+@[^<>\s]+>$/.test(id));
  const lastInbound = [...rows].reverse().find((r) => r.direction === 'inbound');
  return {
    inReplyTo: lastInbound?.id ?? ids[ids.length - 1] ?? null,
    // The first and the latest twenty: the root keeps long threads together (RFC 5322 §3.6.4).
    references: ids.length > 21 ? [ids[0]!, ...ids.slice(-20)] : ids,
    lastSender: lastInbound?.sender ?? null,
  };
}

export async function lastEmailSender(db: Executor, ticketId: string): Promise<string | null> {
  const [row] = await db
    .select({ sender: channelMessageDetails.sender })
    .from(messages)
    .innerJoin(channelMessageDetails, eq(channelMessageDetails.messageId, messages.id))
    .where(and(eq(messages.ticketId, ticketId), eq(messages.channel, 'email'), eq(messages.direction, 'inbound')))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return row?.sender ?? null;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Our id for this mail (message or notification uuid): the same on every retry. */
  id: string;
  ticket?: { id: string; number: string } | null;
  /** Notifications are machine-sent (RFC 3834): the client's autoresponder must not answer them. */
  automatic?: boolean;
  /** Files of a staff reply, as MIME attachments (their type was sniffed when they were stored). */
  attachments?: { filename: string; contentType: string; content: Buffer }[];
  /** An HTML part other than the text's own (links shown as buttons, for instance). */
  html?: string;
}

export async function sendEmail(config: Config, db: Executor, mail: OutgoingEmail): Promise<{ messageId: string }> {
  const transport = emailTransport(config);
  if (!transport) throw notConfigured('email');
  const cfg = config.channels.email;
  const messageId = ourMessageId(config, mail.id);
  const thread = mail.ticket ? await threadHeaders(db, mail.ticket.id) : null;
  const replyTo = mail.ticket ? buildReplyAddress(await replyTokenFor(db, mail.ticket.id), { domain: cfg.domain, localPart: cfg.localPart }) : cfg.fromAddress;
  const headers: Record<string, string> = {};
  if (mail.ticket) headers['X-Relais-Ticket'] = mail.ticket.number;
  if (mail.automatic) headers['Auto-Submitted'] = 'auto-generated';
  // Ask Exchange not to send out-of-office replies to our notifications.
  if (mail.automatic) headers['X-Auto-Response-Suppress'] = 'OOF, AutoReply';
  const info = await transport.sendMail({
    from: { name: cfg.fromName, address: cfg.fromAddress },
    to: mail.to,
    replyTo: { name: cfg.fromName, address: replyTo },
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? textToHtml(mail.text),
    ...(mail.attachments?.length ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
    messageId,
    ...(thread?.inReplyTo ? { inReplyTo: thread.inReplyTo } : {}),
    ...(thread?.references.length ? { references: thread.references } : {}),
    headers,
  });
  const rejected = (info.rejected ?? []).map(String);
  if (rejected.length && !(info.accepted ?? []).length) throw new Error(`Adresse refusée par le serveur SMTP : ${rejected.join(', ')}`);
  return { messageId };
}

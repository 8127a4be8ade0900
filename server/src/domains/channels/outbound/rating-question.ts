import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Config } from '../../../config';
import type { Executor } from '../../../platform/db';
import { portalKey } from '../../portal/secrets';
import { tickets } from '../../tickets/ticket.schema';
import { contactNotifications } from '../channel.schema';
import type { ReplyButton } from '../whatsapp/graph-client';

/**
 * The satisfaction question sent with "resolved", answerable where the client reads it:
 * - WhatsApp: three reply buttons. Chosen over a 5-row list because buttons sit under the
 *   message and answer in one tap, where a list hides its choices behind a menu (open, pick,
 *   send); three plain answers with a face are easier for an elderly client than a 1–5 scale.
 *   They are stored on the same 1–5 scale (5, 3, 1), and a typed digit 1–5 still counts.
 * - SMS: "répondez par un chiffre de 1 à 5" (read by the inbound intake).
 * - Email: one link per score to a portal page that records it (no login needed).
 */
export const RATING_BUTTONS: ReplyButton[] = [
  { id: 'rating:5', title: '😊 Très satisfait' },
  { id: 'rating:3', title: '😐 Moyennement' },
  { id: 'rating:1', title: '🙁 Pas satisfait' },
];

/** The portal's words for each score (the rating form says the same). */
export const RATING_LABELS: Record<1 | 2 | 3 | 4 | 5, string> = {
  5: 'Très satisfait',
  4: 'Satisfait',
  3: 'Moyennement satisfait',
  2: 'Peu satisfait',
  1: 'Pas du tout satisfait',
};

/** How long after the question an answer on the channel still counts (the ticket may have been closed since). */
export const RATING_ANSWER_DAYS = 7;

// ---------------------------------------------------------------------------------------------
// Email links: a token that names the ticket, signed with the portal's secret
// ---------------------------------------------------------------------------------------------

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (b: Buffer) => b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

async function sign(db: Executor, ticketId: string): Promise<Buffer> {
  return createHmac('sha256', await portalKey(db, 'rating-link')).update(ticketId).digest().subarray(0, 16);
}

/**
 * The rating link's token: the ticket id and its signature, nothing else. It only lets someone
 * give the rating of that request, once; it opens no session and shows nothing of the request
 * but its number and subject.
 */
export async function ratingToken(db: Executor, ticketId: string): Promise<string> {
  return Buffer.concat([uuidBytes(ticketId), await sign(db, ticketId)]).toString('base64url');
}

/** The ticket a token names, or null when it is not one of ours. */
export async function ticketOfRatingToken(db: Executor, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 32) return null;
  const ticketId = uuidOf(raw.subarray(0, 16));
  const expected = await sign(db, ticketId);
  return timingSafeEqual(expected, raw.subarray(16)) ? ticketId : null;
}

export function ratingUrl(config: Pick<Config, 'publicUrl'>, token: string, score: number): string {
  return `${config.publicUrl}/avis?t=${token}&note=${score}`;
}

/**
 * `{{satisfaction}}` of the "resolved" template: how to answer, in the words of the channel the
 * message goes out on.
 */
export async function satisfactionText(db: Executor, config: Pick<Config, 'publicUrl'>, channel: 'email' | 'whatsapp' | 'sms', ticketId: string): Promise<string> {
  return satisfactionWords(config, channel, channel === 'email' ? await ratingToken(db, ticketId) : '');
}

/** The words themselves, for a given rating token (the admin's preview shows them with a sample one). */
export function satisfactionWords(config: Pick<Config, 'publicUrl'>, channel: 'email' | 'whatsapp' | 'sms', token: string): string {
  if (channel === 'whatsapp') return 'Touchez une réponse ci-dessous.';
  if (channel === 'sms') return 'Répondez à ce SMS par un chiffre de 1 (pas du tout satisfait) à 5 (très satisfait).';
  const lines = SCORES.map((n) => `${RATING_LABELS[n]} (${n} sur 5) : ${ratingUrl(config, token, n)}`);
  return `Cliquez sur votre réponse :\n${lines.join('\n')}`;
}

const SCORES = [5, 4, 3, 2, 1] as const;

/**
 * The same links for the HTML part of the email: large buttons that say the answer, rather than
 * five long addresses (the text part keeps the addresses for mail readers without HTML).
 */
export async function satisfactionHtml(db: Executor, config: Pick<Config, 'publicUrl'>, ticketId: string): Promise<string> {
  const token = await ratingToken(db, ticketId);
  const style = 'display:inline-block;margin:4px 0;padding:10px 16px;border:2px solid #1a4f8b;border-radius:8px;color:#1a4f8b;font-size:18px;text-decoration:none';
  const links = SCORES.map((n) => `<a href="${ratingUrl(config, token, n).replace(/&/g, '&amp;')}" style="${style}">${'★'.repeat(n)} ${RATING_LABELS[n]}</a>`);
  return `Cliquez sur votre réponse :<br>${links.join('<br>')}`;
}

// ---------------------------------------------------------------------------------------------
// Answers on a channel: which request they rate
// ---------------------------------------------------------------------------------------------

/**
 * The request a satisfaction answer on WhatsApp or SMS rates: the one whose question it answers
 * (the WhatsApp message it replies to), else the latest question sent to this client on this
 * channel within a week, as long as that request is still resolved or closed. The request may
 * have come by another channel (a web request told by WhatsApp), so the conversation's own
 * ticket is not the right guess. Null: the intake's usual choice applies.
 */
export async function ratedTicketFor(db: Executor, contactId: string, channel: 'whatsapp' | 'sms', inReplyTo: string | null): Promise<string | null> {
  const rows = await db
    .select({ ticketId: contactNotifications.ticketId })
    .from(contactNotifications)
    .innerJoin(tickets, eq(tickets.id, contactNotifications.ticketId))
    .where(
      and(
        eq(contactNotifications.contactId, contactId),
        eq(contactNotifications.template, 'resolved'),
        eq(contactNotifications.channel, channel),
        inArray(tickets.status, ['resolved', 'closed']),
        gt(contactNotifications.createdAt, sql`now() - make_interval(days => ${RATING_ANSWER_DAYS})`),
      ),
    )
    .orderBy(inReplyTo ? sql`coalesce(${contactNotifications.providerMessageId} = ${inReplyTo}, false) desc` : sql`1`, desc(contactNotifications.createdAt))
    .limit(1);
  return rows[0]?.ticketId ?? null;
}

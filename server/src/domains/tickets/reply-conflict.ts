import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../platform/db';
import { conflict, unprocessable } from '../../platform/errors';
import { staff } from '../auth/auth.schema';
import { messages } from './ticket.schema';
import type { TicketRow } from './ticket-store';

const SHOWN = 10;

/**
 * Collision detection for public replies: the sender says which message it read last
 * (`lastSeenMessageId`, null for "none yet"); if a client message or another reply has arrived
 * since, the reply is refused with what arrived, so the client does not get two answers or an
 * answer to an old question. Runs under the ticket's row lock, which every writer of messages
 * (replies, portal, channels) takes first: two replies sent at once cannot both pass.
 * "Since" is by the messages' time (their transaction's start): a message written after the
 * marker was read has a later one.
 */
export async function assertNoNewPublicMessages(tx: Tx, t: TicketRow, lastSeenMessageId: string | null): Promise<void> {
  let since: SQL | undefined;
  if (lastSeenMessageId !== null) {
    const [seen] = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.id, lastSeenMessageId), eq(messages.ticketId, t.id)));
    if (!seen) {
      throw unprocessable('LAST_SEEN_MESSAGE_UNKNOWN', `Le message ${lastSeenMessageId} n’est pas un message de la demande ${t.number}.`, [
        { field: 'body.lastSeenMessageId', problem: 'Indiquez l’identifiant d’un message de cette demande, ou null si vous n’en avez lu aucun.' },
      ]);
    }
    // Compared in SQL: PostgreSQL keeps microseconds that a JavaScript date would round off.
    since = sql`${messages.createdAt} > (select m.created_at from messages m where m.id = ${lastSeenMessageId})`;
  }
  const newer = await tx
    .select({ id: messages.id, authorKind: messages.authorKind, authorName: staff.name, channel: messages.channel, body: messages.body, createdAt: messages.createdAt })
    .from(messages)
    .leftJoin(staff, eq(staff.id, messages.authorStaffId))
    .where(and(eq(messages.ticketId, t.id), eq(messages.visibility, 'public'), since))
    .orderBy(desc(messages.createdAt))
    .limit(SHOWN + 1);
  if (!newer.length) return;
  const fromClient = newer.some((m) => m.authorKind === 'contact');
  const n = newer.length > SHOWN ? `Plus de ${SHOWN} messages sont arrivés` : newer.length === 1 ? 'Un message est arrivé' : `${newer.length} messages sont arrivés`;
  throw conflict(
    'REPLY_CONFLICT',
    `${n} sur la demande ${t.number} depuis votre dernière lecture${fromClient ? ', dont un du client' : ''} : relisez avant de répondre. Rien n’a été envoyé.`,
    {
      // The newest: what to send back as lastSeenMessageId to send anyway, having read them.
      latestMessageId: newer[0]!.id,
      more: newer.length > SHOWN,
      messages: newer
        .slice(0, SHOWN)
        .reverse()
        .map((m) => ({
          id: m.id,
          author: { kind: m.authorKind, name: m.authorName },
          channel: m.channel,
          createdAt: m.createdAt.toISOString(),
          excerpt: m.body.length > 200 ? `${m.body.slice(0, 199)}…` : m.body,
        })),
    },
  );
}

import { eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db';
import { notFound } from '../../platform/errors';
import type { TicketSnapshot } from '../../platform/events';
import { tickets } from './ticket.schema';

export type TicketRow = typeof tickets.$inferSelect;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER_RE = /^[A-Za-z]{2,6}-\d{1,12}$/;

/** Wherever an id is accepted, the number read over the phone is too (`NUM-10001`, any case). */
export function ticketWhere(ref: string) {
  const r = ref.trim();
  if (UUID_RE.test(r)) return eq(tickets.id, r.toLowerCase());
  if (NUMBER_RE.test(r)) return eq(tickets.number, r.toUpperCase());
  return null;
}

function missing(ref: string) {
  return notFound('TICKET_NOT_FOUND', `Aucune demande « ${ref} ».`);
}

export async function findTicket(db: Executor, ref: string): Promise<TicketRow> {
  const where = ticketWhere(ref);
  if (!where) throw missing(ref);
  const rows = await db.select().from(tickets).where(where).limit(1);
  if (!rows[0]) throw missing(ref);
  return rows[0];
}

/** Reads the ticket and locks it until the transaction ends, so concurrent changes apply one after the other. */
export async function lockTicket(tx: Executor, ref: string): Promise<TicketRow> {
  const where = ticketWhere(ref);
  if (!where) throw missing(ref);
  const rows = await tx.select().from(tickets).where(where).limit(1).for('update');
  if (!rows[0]) throw missing(ref);
  return rows[0];
}

export async function saveTicket(tx: Executor, id: string, set: Partial<typeof tickets.$inferInsert>): Promise<TicketRow> {
  const [row] = await tx
    .update(tickets)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(tickets.id, id))
    .returning();
  return row!;
}

export function snapshot(t: TicketRow): TicketSnapshot {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    level: t.level,
    queueId: t.queueId,
    assigneeId: t.assigneeId,
    cyberEmergency: t.cyberEmergency,
  };
}

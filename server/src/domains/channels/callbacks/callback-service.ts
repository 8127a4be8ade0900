import { and, asc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../../platform/context';
import type { Executor } from '../../../platform/db';
import { conflict, notFound, unprocessable } from '../../../platform/errors';
import { notifyStaff, recordEvent, type Actor } from '../../../platform/events';
import { staff } from '../../auth/auth.schema';
import { contactIdentities, contacts } from '../../contacts/contact.schema';
import { normalizePhone } from '../../contacts/identities';
import { loadQueue } from '../../queues/queue-service';
import { isOpen, nextOpening } from '../../scheduling/business-hours';
import { pickAgent } from '../../tickets/routing';
import { tickets } from '../../tickets/ticket.schema';
import { findTicket, snapshot } from '../../tickets/ticket-store';
import { callbacks } from '../channel.schema';

export type CallbackRow = typeof callbacks.$inferSelect;
export type CallbackSource = CallbackRow['source'];
export type CallbackOutcome = NonNullable<CallbackRow['outcome']>;

export interface CallbackRequest {
  contactId?: string | null;
  /** Ticket id or number. */
  ticket?: string | null;
  phone?: string | null;
  source: CallbackSource;
  reason?: string;
  /** Wished time; it must fall inside business hours. Absent: now if open, else the next opening. */
  dueAt?: Date | null;
  ownerId?: string | null;
  /** The IVR call that asked for it: one callback per call, whatever Twilio retries. */
  callSid?: string | null;
}

/**
 * « Rappel » : a task for one agent (the ticket's assignee, else the least-loaded available
 * agent of the ticket's level) to call the client back, due inside business hours. The portal
 * and the IVR call this inside their own transaction.
 */
export async function requestCallback(ctx: AppContext, tx: Executor, input: CallbackRequest, actor: Actor): Promise<{ callback: CallbackRow; created: boolean }> {
  const ticket = input.ticket ? await findTicket(tx, input.ticket) : null;
  const contactId = ticket?.contactId ?? input.contactId ?? null;
  if (!contactId) throw unprocessable('CONTACT_REQUIRED', 'Indiquez la demande (ticket) ou le client (contactId) à rappeler.', { field: 'body.ticket' });
  const [contact] = await tx.select({ id: contacts.id, name: contacts.name }).from(contacts).where(eq(contacts.id, contactId));
  if (!contact) throw notFound('CONTACT_NOT_FOUND', `Aucun contact ${contactId}.`);
  if (ticket && input.contactId && ticket.contactId !== input.contactId) throw unprocessable('CONTACT_MISMATCH', `La demande ${ticket.number} n’est pas celle de ce client.`, { field: 'body.contactId' });

  let phone: string | null = input.phone ? normalizePhone(input.phone, 'phone') : null;
  if (!phone) {
    const [id] = await tx
      .select({ value: contactIdentities.value })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.contactId, contactId), inArray(contactIdentities.kind, ['phone', 'whatsapp'])))
      .orderBy(sql`case when ${contactIdentities.kind} = 'phone' then 0 else 1 end`, asc(contactIdentities.createdAt))
      .limit(1);
    phone = id?.value ?? null;
  }
  if (!phone) throw unprocessable('PHONE_REQUIRED', 'Ce client n’a pas de numéro de téléphone : indiquez le numéro à rappeler.', { field: 'body.phone' });

  const rules = await loadQueue(tx, ticket?.queueId ?? null);
  const now = new Date();
  let dueAt = input.dueAt ?? now;
  if (dueAt.getTime() < now.getTime() - 60_000) throw unprocessable('CALLBACK_IN_PAST', 'L’heure de rappel est déjà passée.', { field: 'body.dueAt' });
  if (!isOpen(rules.calendar, dueAt)) {
    const next = nextOpening(rules.calendar, dueAt);
    if (input.dueAt) {
      throw unprocessable('CALLBACK_OUTSIDE_HOURS', `La hotline est fermée à cette heure-là.${next ? ` Prochaine ouverture : ${next.toISOString()}.` : ''}`, { field: 'body.dueAt', nextOpening: next?.toISOString() ?? null });
    }
    if (next) dueAt = next;
  }

  let ownerId = input.ownerId ?? null;
  if (ownerId) await assertOwner(tx, ownerId);
  else ownerId = ticket?.assigneeId ?? (await pickAgent(tx, ticket?.level ?? 1, null));

  const inserted = await tx
    .insert(callbacks)
    .values({ contactId, ticketId: ticket?.id ?? null, phone, ownerId, dueAt, source: input.source, reason: input.reason?.trim() ?? '', callSid: input.callSid ?? null })
    .onConflictDoNothing()
    .returning();
  if (!inserted[0]) {
    const [existing] = await tx.select().from(callbacks).where(eq(callbacks.callSid, input.callSid!));
    return { callback: existing!, created: false };
  }
  const cb = inserted[0];
  if (ticket) await recordEvent(tx, snapshot(ticket), 'callback.requested', actor, { callbackId: cb.id, dueAt: cb.dueAt.toISOString(), ownerId, source: cb.source, phone });
  await notifyStaff(tx, {
    kind: 'callback.requested',
    audience: ownerId ? { staffIds: [ownerId] } : { roles: ['agent', 'supervisor'] },
    title: `Rappel à faire : ${contact.name}`,
    ...(ticket ? { ticketId: ticket.id, number: ticket.number } : {}),
    data: { callbackId: cb.id, dueAt: cb.dueAt.toISOString(), phone, source: cb.source },
  });
  await callbacksChanged(tx, cb.id);
  return { callback: cb, created: true };
}

/** Every console showing callbacks (mine and the team's) refreshes, on every node. */
async function callbacksChanged(tx: Executor, callbackId: string): Promise<void> {
  await notifyStaff(tx, { kind: 'callback.changed', audience: { roles: [...CALLBACK_VIEWERS] }, title: '', quiet: true, data: { callbackId } });
}

const CALLBACK_VIEWERS = ['admin', 'supervisor', 'agent'] as const;

async function assertOwner(tx: Executor, ownerId: string): Promise<void> {
  const [s] = await tx.select({ role: staff.role, active: staff.active }).from(staff).where(eq(staff.id, ownerId));
  if (!s || !s.active) throw notFound('STAFF_NOT_FOUND', `Aucun membre actif de l’équipe ${ownerId}.`);
  if (s.role === 'admin') throw unprocessable('OWNER_NOT_ALLOWED', 'Un rappel est confié à un conseiller, un technicien ou un superviseur, pas à un administrateur.', { field: 'body.ownerId' });
}

export async function completeCallback(ctx: AppContext, id: string, actor: Actor & { kind: 'staff' }, outcome: CallbackOutcome, note: string | null): Promise<CallbackRow> {
  return ctx.db.transaction(async (tx) => {
    const [cb] = await tx.select().from(callbacks).where(eq(callbacks.id, id)).for('update');
    if (!cb) throw notFound('CALLBACK_NOT_FOUND', `Aucun rappel ${id}.`);
    if (cb.status !== 'pending') throw conflict('CALLBACK_CLOSED', 'Ce rappel est déjà traité.', { status: cb.status });
    const [saved] = await tx
      .update(callbacks)
      .set({ status: outcome === 'cancelled' ? 'cancelled' : 'done', outcome, note, completedAt: new Date(), completedBy: actor.id, ownerId: cb.ownerId ?? actor.id })
      .where(eq(callbacks.id, id))
      .returning();
    if (cb.ticketId) {
      const [t] = await tx.select().from(tickets).where(eq(tickets.id, cb.ticketId));
      if (t) await recordEvent(tx, snapshot(t), 'callback.completed', actor, { callbackId: id, outcome, ...(note ? { note } : {}) });
    }
    await callbacksChanged(tx, id);
    return saved!;
  });
}

export async function updateCallback(ctx: AppContext, id: string, actor: Actor & { kind: 'staff' }, patch: { ownerId?: string | null; dueAt?: Date }): Promise<CallbackRow> {
  return ctx.db.transaction(async (tx) => {
    const [cb] = await tx.select().from(callbacks).where(eq(callbacks.id, id)).for('update');
    if (!cb) throw notFound('CALLBACK_NOT_FOUND', `Aucun rappel ${id}.`);
    if (cb.status !== 'pending') throw conflict('CALLBACK_CLOSED', 'Ce rappel est déjà traité.', { status: cb.status });
    const set: Partial<CallbackRow> = {};
    if (patch.ownerId !== undefined) {
      if (patch.ownerId) await assertOwner(tx, patch.ownerId);
      set.ownerId = patch.ownerId;
    }
    if (patch.dueAt) {
      const [t] = cb.ticketId ? await tx.select({ queueId: tickets.queueId }).from(tickets).where(eq(tickets.id, cb.ticketId)) : [];
      const rules = await loadQueue(tx, t?.queueId ?? null);
      if (!isOpen(rules.calendar, patch.dueAt)) {
        const next = nextOpening(rules.calendar, patch.dueAt);
        throw unprocessable('CALLBACK_OUTSIDE_HOURS', `La hotline est fermée à cette heure-là.${next ? ` Prochaine ouverture : ${next.toISOString()}.` : ''}`, { field: 'body.dueAt', nextOpening: next?.toISOString() ?? null });
      }
      set.dueAt = patch.dueAt;
    }
    const [saved] = await tx.update(callbacks).set(set).where(eq(callbacks.id, id)).returning();
    if (cb.ticketId) {
      const [t] = await tx.select().from(tickets).where(eq(tickets.id, cb.ticketId));
      if (t) await recordEvent(tx, snapshot(t), 'callback.updated', actor, { callbackId: id, ...(set.ownerId !== undefined ? { ownerId: set.ownerId } : {}), ...(set.dueAt ? { dueAt: set.dueAt.toISOString() } : {}) });
    }
    if (set.ownerId) {
      await notifyStaff(tx, { kind: 'callback.assigned', audience: { staffIds: [set.ownerId] }, title: 'Un rappel vous est confié', data: { callbackId: id, dueAt: saved!.dueAt.toISOString() } });
    }
    await callbacksChanged(tx, id);
    return saved!;
  });
}

export interface CallbackQuery {
  status?: CallbackRow['status'];
  owner?: string;
  ticket?: string;
  dueBefore?: string;
  dueAfter?: string;
  limit?: number;
}

export async function listCallbacks(db: Executor, q: CallbackQuery, me: string) {
  const conds: (SQL | undefined)[] = [];
  conds.push(eq(callbacks.status, q.status ?? 'pending'));
  if (q.owner === 'me') conds.push(eq(callbacks.ownerId, me));
  else if (q.owner === 'none') conds.push(sql`${callbacks.ownerId} is null`);
  else if (q.owner) conds.push(eq(callbacks.ownerId, q.owner));
  if (q.ticket) conds.push(eq(callbacks.ticketId, (await findTicket(db, q.ticket)).id));
  if (q.dueBefore) conds.push(lte(callbacks.dueAt, new Date(q.dueBefore)));
  if (q.dueAfter) conds.push(gte(callbacks.dueAt, new Date(q.dueAfter)));
  const rows = await db
    .select({ cb: callbacks, contactName: contacts.name, number: tickets.number, ownerName: staff.name })
    .from(callbacks)
    .innerJoin(contacts, eq(contacts.id, callbacks.contactId))
    .leftJoin(tickets, eq(tickets.id, callbacks.ticketId))
    .leftJoin(staff, eq(staff.id, callbacks.ownerId))
    .where(and(...conds))
    .orderBy(asc(callbacks.dueAt))
    .limit(q.limit ?? 50);
  return rows.map((r) => callbackView(r.cb, { contactName: r.contactName, number: r.number, ownerName: r.ownerName }));
}

export async function getCallbackView(db: Executor, id: string) {
  const rows = await db
    .select({ cb: callbacks, contactName: contacts.name, number: tickets.number, ownerName: staff.name })
    .from(callbacks)
    .innerJoin(contacts, eq(contacts.id, callbacks.contactId))
    .leftJoin(tickets, eq(tickets.id, callbacks.ticketId))
    .leftJoin(staff, eq(staff.id, callbacks.ownerId))
    .where(eq(callbacks.id, id));
  const r = rows[0];
  if (!r) throw notFound('CALLBACK_NOT_FOUND', `Aucun rappel ${id}.`);
  return callbackView(r.cb, { contactName: r.contactName, number: r.number, ownerName: r.ownerName });
}

export function callbackView(cb: CallbackRow, extra: { contactName: string; number: string | null; ownerName: string | null }) {
  return {
    id: cb.id,
    status: cb.status,
    source: cb.source,
    phone: cb.phone,
    reason: cb.reason,
    dueAt: cb.dueAt.toISOString(),
    contact: { id: cb.contactId, name: extra.contactName },
    ticket: cb.ticketId ? { id: cb.ticketId, number: extra.number! } : null,
    owner: cb.ownerId ? { id: cb.ownerId, name: extra.ownerName } : null,
    outcome: cb.outcome,
    note: cb.note,
    createdAt: cb.createdAt.toISOString(),
    completedAt: cb.completedAt?.toISOString() ?? null,
    completedBy: cb.completedBy,
  };
}

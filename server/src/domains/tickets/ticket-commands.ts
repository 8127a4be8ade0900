import { and, eq } from 'drizzle-orm';
import { canTransition, STATUS_LABELS_FR, type TicketStatus } from '../../../../common/src/tickets';
import type { AppContext } from '../../platform/context';
import type { Executor, Tx } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { recordEvent, type Actor } from '../../platform/events';
import { staff } from '../auth/auth.schema';
import { loadQueue } from '../queues/queue-service';
import { slaAfterPriorityChange, slaAfterStatusChange, slaColumns } from './sla-clock';
import { checklistItems, messages } from './ticket.schema';
import type { MessageInput, QualifyInput, StatusInput } from './ticket.schemas';
import { lockTicket, saveTicket, snapshot, type TicketRow } from './ticket-store';
import { queueReplyDelivery, replyDeliveryFields } from '../channels/outbound/queue-delivery';
import { attachFilesToMessage } from './message-attachments';
import { assertNoNewPublicMessages } from './reply-conflict';

export function mutateTicket<T = TicketRow>(ctx: AppContext, ref: string, fn: (tx: Tx, t: TicketRow) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => fn(tx, await lockTicket(tx, ref)));
}

/** The single gate for status changes; an illegal one is a 409 that says what is possible. */
export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  if (from === to) throw conflict('STATUS_UNCHANGED', `La demande est déjà « ${STATUS_LABELS_FR[to]} ».`);
  if (!canTransition(from, to)) {
    throw conflict('ILLEGAL_TRANSITION', `Impossible de passer de « ${STATUS_LABELS_FR[from]} » à « ${STATUS_LABELS_FR[to]} ».`, { from, to });
  }
}

export function assertOpenForWork(t: TicketRow): void {
  if (t.status === 'closed') throw conflict('TICKET_CLOSED', `La demande ${t.number} est clôturée : elle ne peut plus être modifiée.`);
}

/** Changes the status with its side effects (SLA clock, resolution dates) and its event. */
export async function applyStatus(
  tx: Executor,
  t: TicketRow,
  to: TicketStatus,
  actor: Actor,
  extra: { reason?: string; vendor?: { name: string; reference?: string } } = {},
): Promise<TicketRow> {
  assertTransition(t.status, to);
  if (to === 'waiting_on_third_party' && !extra.vendor && !t.vendorName) {
    throw unprocessable('VENDOR_REQUIRED', 'Indiquez le tiers attendu (vendor.name), par exemple l’éditeur du logiciel.', { field: 'vendor.name' });
  }
  const now = new Date();
  const rules = await loadQueue(tx, t.queueId);
  const sla = slaAfterStatusChange(rules.calendar, t, to, now);
  const saved = await saveTicket(tx, t.id, {
    status: to,
    ...slaColumns(sla),
    resolvedAt: to === 'resolved' ? now : to === 'closed' ? (t.resolvedAt ?? now) : null,
    closedAt: to === 'closed' ? now : null,
    ...(extra.vendor ? { vendorName: extra.vendor.name, vendorReference: extra.vendor.reference ?? null } : {}),
    ...(to === 'open' && t.status === 'awaiting_audit' ? { policyHolds: [] } : {}),
  });
  await recordEvent(tx, snapshot(saved), 'ticket.status_changed', actor, {
    from: t.status,
    to,
    ...(extra.reason ? { reason: extra.reason } : {}),
    ...(extra.vendor ? { vendor: extra.vendor } : {}),
    ...((t.status === 'resolved' || t.status === 'closed') && to !== 'closed' ? { reopened: true } : {}),
  });
  return saved;
}

export function changeStatus(ctx: AppContext, ref: string, actor: Actor, input: StatusInput): Promise<TicketRow> {
  return mutateTicket(ctx, ref, (tx, t) => applyStatus(tx, t, input.status, actor, input));
}

export function qualifyTicket(ctx: AppContext, ref: string, actor: Actor, input: QualifyInput): Promise<TicketRow> {
  return mutateTicket(ctx, ref, async (tx, t) => {
    assertOpenForWork(t);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const set: Partial<TicketRow> = {};
    const track = <K extends keyof TicketRow>(key: K, value: TicketRow[K] | undefined) => {
      if (value === undefined) return;
      const same = Array.isArray(value) ? JSON.stringify(value) === JSON.stringify(t[key]) : value === t[key];
      if (same) return;
      changes[key] = { from: t[key], to: value };
      set[key] = value;
    };
    track('type', input.type);
    track('category', input.category);
    track('level', input.level);
    track('tags', input.tags);
    track('subject', input.subject?.trim());
    if (input.queue !== undefined) {
      const target = await loadQueue(tx, input.queue);
      track('queueId', target.queue.id);
    }
    if (input.priority !== undefined && input.priority !== t.priority) {
      const rules = await loadQueue(tx, set.queueId ?? t.queueId);
      changes.priority = { from: t.priority, to: input.priority };
      Object.assign(set, { priority: input.priority }, slaColumns(slaAfterPriorityChange(rules.calendar, rules.slaPolicy, t, input.priority, new Date())));
    }
    let saved = Object.keys(set).length ? await saveTicket(tx, t.id, set) : t;
    await recordEvent(tx, snapshot(saved), 'ticket.qualified', actor, { changes });
    // Qualifying a new request is what opens it.
    if (saved.status === 'new') saved = await applyStatus(tx, saved, 'open', actor);
    return saved;
  });
}

export function assignTicket(ctx: AppContext, ref: string, actor: Actor & { kind: 'staff' }, assigneeRef: string | null): Promise<TicketRow> {
  return mutateTicket(ctx, ref, async (tx, t) => {
    assertOpenForWork(t);
    const assigneeId = assigneeRef === 'me' ? actor.id : assigneeRef;
    if (assigneeId === t.assigneeId) {
      throw conflict('ASSIGNEE_UNCHANGED', assigneeId ? 'La demande est déjà attribuée à cette personne.' : 'La demande n’est attribuée à personne.');
    }
    if (assigneeId) {
      const rows = await tx
        .select({ id: staff.id, role: staff.role, level: staff.level, active: staff.active, name: staff.name })
        .from(staff)
        .where(eq(staff.id, assigneeId))
        .limit(1);
      const s = rows[0];
      if (!s || !s.active) throw notFound('STAFF_NOT_FOUND', `Aucun membre actif de l’équipe ${assigneeId}.`);
      if (s.role === 'admin') throw unprocessable('ASSIGNEE_NOT_ALLOWED', 'Un administrateur ne traite pas de demande : choisissez un conseiller.');
      if (s.role === 'agent' && (s.level ?? 0) < t.level) {
        throw conflict('LEVEL_TOO_LOW', `${s.name} est de niveau ${s.level} ; cette demande demande le niveau ${t.level}.`, { assigneeLevel: s.level, ticketLevel: t.level });
      }
    }
    const saved = await saveTicket(tx, t.id, { assigneeId });
    await recordEvent(tx, snapshot(saved), assigneeId ? 'ticket.assigned' : 'ticket.unassigned', actor, {
      from: t.assigneeId,
      assigneeId,
      ...(assigneeId === actor.id ? { taken: true } : {}),
    });
    return saved;
  });
}

export function addStaffMessage(ctx: AppContext, ref: string, actor: Actor & { kind: 'staff' }, input: MessageInput) {
  return mutateTicket(ctx, ref, async (tx, t) => {
    assertOpenForWork(t);
    if (input.visibility === 'public' && input.lastSeenMessageId !== undefined) await assertNoNewPublicMessages(tx, t, input.lastSeenMessageId);
    const [msg] = await tx
      .insert(messages)
      .values({ ticketId: t.id, authorKind: 'staff', authorStaffId: actor.id, visibility: input.visibility, channel: t.channel, body: input.body, ...replyDeliveryFields(t.channel, input.visibility) })
      .returning();
    const files = await attachFilesToMessage(tx, t.id, msg!.id, input.attachmentIds ?? []);
    // A public reply goes out on the client's channel (channels domain), by a job queued in this transaction.
    await queueReplyDelivery(ctx, tx, t, msg!, files);
    const firstReply = input.visibility === 'public' && !t.firstRespondedAt;
    const saved = await saveTicket(tx, t.id, firstReply ? { firstRespondedAt: msg!.createdAt } : {});
    await recordEvent(tx, snapshot(saved), input.visibility === 'public' ? 'message.added' : 'note.added', actor, {
      messageId: msg!.id,
      excerpt: input.body.slice(0, 140),
    });
    return { ticket: saved, message: msg!, files };
  });
}

export function checkItem(ctx: AppContext, ref: string, itemId: string, actor: Actor & { kind: 'staff' }, checked: boolean) {
  return mutateTicket(ctx, ref, async (tx, t) => {
    assertOpenForWork(t);
    const [item] = await tx
      .update(checklistItems)
      .set({ checkedAt: checked ? new Date() : null, checkedBy: checked ? actor.id : null })
      .where(and(eq(checklistItems.id, itemId), eq(checklistItems.ticketId, t.id)))
      .returning();
    if (!item) throw notFound('CHECKLIST_ITEM_NOT_FOUND', `Aucun élément ${itemId} sur la demande ${t.number}.`);
    await recordEvent(tx, snapshot(t), checked ? 'checklist.item_checked' : 'checklist.item_unchecked', actor, { itemId, label: item.label, kind: item.kind });
    return t;
  });
}

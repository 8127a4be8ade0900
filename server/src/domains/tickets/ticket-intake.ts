import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context';
import type { Executor } from '../../platform/db';
import { notFound, unprocessable } from '../../platform/errors';
import { recordEvent, SYSTEM, type Actor } from '../../platform/events';
import { contacts } from '../contacts/contact.schema';
import { matchOrCreateContact } from '../contacts/contact-service';
import { loadQueue, type QueueWithRules } from '../queues/queue-service';
import { startSla } from '../scheduling/sla';
import { slaColumns } from './sla-clock';
import { pickAgent } from './routing';
import { tickets, type PolicyHold } from './ticket.schema';
import type { CreateTicketInput } from './ticket.schemas';
import { snapshot, type TicketRow } from './ticket-store';

async function intakeContact(tx: Executor, input: CreateTicketInput) {
  if (input.contactId) {
    const rows = await tx
      .select({ id: contacts.id, trainedOn: contacts.trainedOn, auditCompletedAt: contacts.auditCompletedAt })
      .from(contacts)
      .where(eq(contacts.id, input.contactId))
      .limit(1);
    if (!rows[0]) throw notFound('CONTACT_NOT_FOUND', `Aucun contact ${input.contactId}.`);
    return rows[0];
  }
  if (!input.contact) throw unprocessable('CONTACT_REQUIRED', 'Indiquez contactId ou contact (nom et téléphone ou email).', { field: 'contact' });
  const { id } = await matchOrCreateContact(tx, input.contact);
  const rows = await tx
    .select({ id: contacts.id, trainedOn: contacts.trainedOn, auditCompletedAt: contacts.auditCompletedAt })
    .from(contacts)
    .where(eq(contacts.id, id))
    .limit(1);
  return rows[0]!;
}

/** OCM's conditions of access: the request is recorded anyway, but held with the reasons shown. */
export function policyHolds(rules: QueueWithRules, contact: { trainedOn: string[]; auditCompletedAt: Date | null }): PolicyHold[] {
  const holds: PolicyHold[] = [];
  const q = rules.queue;
  if (q.requiresAudit && !contact.auditCompletedAt) {
    holds.push({ code: 'AUDIT_REQUIRED', message: `Nouveau client : un audit préalable du parc informatique est requis avant la prise en charge par « ${q.name} ».` });
  }
  if (q.requiresTraining) {
    const trained = contact.trainedOn.some((s) => s.localeCompare(q.requiresTraining!, 'fr', { sensitivity: 'base' }) === 0);
    if (!trained) holds.push({ code: 'TRAINING_REQUIRED', message: `Le client n’est pas enregistré comme formé au logiciel « ${q.requiresTraining} ».` });
  }
  return holds;
}

/**
 * One request in, in one transaction: contact matched or created, queue and level,
 * intake policies, SLA due times in business hours, auto-assignment, timeline events.
 */
export async function createTicket(ctx: AppContext, actor: Actor, input: CreateTicketInput): Promise<TicketRow> {
  return ctx.db.transaction(async (tx) => {
    const contact = await intakeContact(tx, input);
    const rules = await loadQueue(tx, input.queue ?? null);
    const now = new Date();
    const priority = input.priority ?? 'normal';
    const level = input.level ?? rules.queue.defaultLevel;
    const holds = policyHolds(rules, contact);
    const sla = startSla(rules.calendar, rules.slaPolicy, priority, now);
    const assigneeId = holds.length ? null : await pickAgent(tx, level, rules.queue.requiredSkill);

    const [row] = await tx
      .insert(tickets)
      .values({
        seq: sql`nextval('ticket_number_seq')`,
        number: sql`${ctx.config.ticketPrefix} || '-' || currval('ticket_number_seq')`,
        subject: input.subject.trim(),
        description: input.description ?? '',
        channel: input.channel,
        type: input.type ?? 'request',
        category: input.category ?? null,
        priority,
        level,
        queueId: rules.queue.id,
        assigneeId,
        contactId: contact.id,
        tags: input.tags ?? [],
        status: holds.length ? 'awaiting_audit' : 'new',
        policyHolds: holds,
        ...slaColumns(sla),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const ticket = row!;
    await recordEvent(tx, snapshot(ticket), 'ticket.created', actor, {
      channel: ticket.channel,
      queue: rules.queue.slug,
      level,
      priority,
      ...(holds.length ? { policyHolds: holds } : {}),
    });
    if (assigneeId) await recordEvent(tx, snapshot(ticket), 'ticket.assigned', SYSTEM, { assigneeId, auto: true });
    return ticket;
  });
}

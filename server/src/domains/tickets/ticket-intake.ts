import { and, eq, getTableColumns, inArray, ne } from 'drizzle-orm';
import type { AppContext } from '../../platform/context';
import { notFound, unprocessable } from '../../platform/errors';
import { notifyContact } from '../../platform/contact-notifications';
import { publishSignals, type Actor } from '../../platform/events';
import { guardSecrets, secretWarningMessage, type SecretKind } from '../knowledge/guard';
import { detectEmergency } from '../knowledge/triage/emergency';
import { contactIdentities, contacts } from '../contacts/contact.schema';
import type { ContactView } from '../contacts/contact.schemas';
import { identitiesOf } from '../contacts/contact-service';
import { cachedQueue } from '../queues/queue-service';
import { startSla } from '../scheduling/sla';
import { intakeNotifyingAtCommit, intakeReturningSignals, type IntakeRow, type IntakeValues } from './intake-statement';
import { tickets, type PossibleEmergency } from './ticket.schema';
import type { CreateTicketInput } from './ticket.schemas';
import type { TicketRow } from './ticket-store';

/** OCM's conditions of access, worded for the agent who sees the held request. */
export const HOLD_MESSAGES = {
  audit: (queue: string) => `Nouveau client : un audit préalable du parc informatique est requis avant la prise en charge par « ${queue} ».`,
  training: (software: string) => `Le client n’est pas enregistré comme formé au logiciel « ${software} ».`,
};

export interface Intake {
  ticket: TicketRow;
  contact: ContactView;
  assignee: { id: string; name: string; level: number | null } | null;
  queue: { id: string; slug: string; name: string };
}

const ticketColumns = getTableColumns(tickets);

/** Turns the ticket row returned as JSON by the intake statement into the typed row. */
function ticketFromJson(j: Record<string, unknown>): TicketRow {
  const row: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(ticketColumns)) {
    const v = j[col.name];
    row[key] = v === null || v === undefined ? null : col.columnType === 'PgTimestamp' ? new Date(v as string) : v;
  }
  return row as TicketRow;
}

/** Who brings a request in; a contact without an id is the one the intake matches or creates. */
export type IntakeActor = Actor | { kind: 'contact'; id: null };

/** What an intake's statement is sent with, and what is needed once it has run. */
export interface PreparedIntake {
  values: IntakeValues;
  idents: { kind: string; value: string }[];
  masked: { kind: SecretKind; reason: string }[];
  queue: Intake['queue'];
}

/**
 * Everything an intake decides in Node before its statement: the queue's rules, SLA due times
 * in business hours, secrets masked, the emergency triage. Shared by createTicket and by the
 * statements that extend the intake (intake-statement.ts, IntakeExtension).
 */
export async function prepareIntake(ctx: AppContext, actor: IntakeActor, input: CreateTicketInput): Promise<PreparedIntake> {
  if (!input.contactId && !input.contact) {
    throw unprocessable('CONTACT_REQUIRED', 'Indiquez contactId ou contact (nom et téléphone ou email).', { field: 'contact' });
  }
  const idents = input.contact ? identitiesOf(input.contact) : [];
  const rules = await cachedQueue(ctx, input.queue ?? null);
  const q = rules.queue;
  const now = new Date();
  const priority = input.priority ?? 'normal';
  const level = input.level ?? q.defaultLevel;
  const sla = startSla(rules.calendar, rules.slaPolicy, priority, now);
  const actorId = actor.kind === 'system' ? null : actor.id;
  // Nothing a client typed by mistake (card number, password, code) reaches the database.
  const subject = guardSecrets(input.subject.trim());
  const description = guardSecrets(input.description ?? '');
  const masked = [...subject.findings, ...description.findings].map((f) => ({ kind: f.kind, reason: f.reason }));
  const emergency = detectEmergency(`${input.subject}\n${input.description ?? ''}`);
  const possibleEmergency: PossibleEmergency | null = emergency.suspected
    ? { score: emergency.score, reasons: emergency.reasons.map((r) => ({ code: r.code, label: r.label, excerpt: guardSecrets(r.excerpt).text })), at: now.toISOString() }
    : null;
  const createdData = { channel: input.channel, queue: q.slug, level, priority, ...(masked.length ? { secretsMasked: masked } : {}) };
  return {
    idents,
    masked,
    queue: { id: q.id, slug: q.slug, name: q.name },
    values: {
      identities: JSON.stringify(idents),
      contactId: input.contactId ?? null,
      contactName: input.contact?.name.trim() ?? '',
      contactPreferredChannel: input.contact?.preferredChannel ?? null,
      contactNotes: input.contact?.notes ?? '',
      requiresAudit: q.requiresAudit,
      auditHold: HOLD_MESSAGES.audit(q.name),
      requiresTraining: q.requiresTraining,
      trainingHold: q.requiresTraining ? HOLD_MESSAGES.training(q.requiresTraining) : '',
      level,
      skill: q.requiredSkill,
      prefix: ctx.config.ticketPrefix,
      subject: subject.text,
      description: description.text,
      channel: input.channel,
      type: input.type ?? 'request',
      category: input.category ?? null,
      priority,
      queueId: q.id,
      tags: JSON.stringify(input.tags ?? []),
      possibleEmergency: possibleEmergency ? JSON.stringify(possibleEmergency) : null,
      firstResponseDueAt: sla.firstResponseDueAt?.toISOString() ?? null,
      resolutionDueAt: sla.resolutionDueAt?.toISOString() ?? null,
      now: now.toISOString(),
      actorKind: actor.kind,
      actorId,
      createdData: JSON.stringify(createdData),
    },
  };
}

/**
 * One request in, as ONE statement (one round trip, one commit, see intake-statement.ts):
 * contact matched or created with its identities, intake policies, auto-assignment to the
 * least-loaded agent, the ticket with its SLA due times, and its timeline events announced to
 * every node. Intake is the hot path of a hotline; the same rules as the rest of the code, in SQL.
 */
export async function createTicket(ctx: AppContext, actor: Actor, input: CreateTicketInput): Promise<Intake> {
  const prepared = await prepareIntake(ctx, actor, input);
  // On its own on PostgreSQL, intake commits and then announces its events (publishSignals: with
  // the NOTIFY inside, PostgreSQL would commit intakes one at a time). In a caller's transaction
  // the NOTIFYs stay in the statement and go out with the caller's commit, or not at all; so they
  // do on PGlite, where one connection commits one transaction at a time anyway.
  const signalsAfterCommit = ctx.database.kind === 'postgres' && ctx.db === ctx.database.db;
  const run = signalsAfterCommit ? intakeReturningSignals : intakeNotifyingAtCommit;
  const result = await run(ctx.database, ctx.db, prepared.values);
  const row = result.rows[0];
  if (!row) throw notFound('CONTACT_NOT_FOUND', `Aucun contact ${input.contactId}.`);
  return finishIntake(ctx, actor, prepared, row);
}

/**
 * After an intake statement has run: its events announced (when it returned their signals),
 * a contact created twice by a race merged, the contact as the API shows it, and the client told
 * about a secret they sent.
 */
export async function finishIntake(ctx: AppContext, actor: IntakeActor, prepared: PreparedIntake, row: IntakeRow): Promise<Intake> {
  const { idents, masked } = prepared;
  if (row.signals) {
    // The ticket is stored: a failed announcement must not make the caller send it again.
    await publishSignals(ctx.database, row.signals).catch((err: unknown) => console.error('[tickets] intake signals not sent:', (err as Error).message));
  }
  let ticket = ticketFromJson(row.ticket);
  let contactId = ticket.contactId;
  if (row.created && row.attached < row.expected) {
    // Two first requests from the same new person at the same instant: keep the contact
    // that won the identity, move this ticket to it, and drop the empty duplicate.
    contactId = await mergeRacedContact(ctx, ticket.id, ticket.contactId, idents);
    ticket = { ...ticket, contactId };
  }
  const c = row.contact as { id: string; name: string; preferredChannel: ContactView['preferredChannel']; notes: string; trainedOn: string[]; auditCompletedAt: string | null; createdAt: string; identities: { kind: string; value: string }[] };
  const contact: ContactView = {
    id: contactId,
    name: c.name,
    phones: c.identities.filter((i) => i.kind === 'phone').map((i) => i.value),
    emails: c.identities.filter((i) => i.kind === 'email').map((i) => i.value),
    whatsappId: c.identities.find((i) => i.kind === 'whatsapp')?.value ?? null,
    preferredChannel: c.preferredChannel,
    notes: c.notes,
    trainedOn: c.trainedOn,
    auditCompletedAt: c.auditCompletedAt ? new Date(c.auditCompletedAt).toISOString() : null,
    createdAt: new Date(c.createdAt).toISOString(),
  };
  if (masked.length && actor.kind !== 'staff') {
    // The client sent it themselves: tell them kindly, on their channel, never to do it again.
    await ctx.db.transaction((tx) =>
      notifyContact(ctx, tx, { contactId, ticketId: ticket.id, template: 'secret_warning', variables: { number: ticket.number, message: secretWarningMessage([...new Set(masked.map((m) => m.kind))]) } }),
    );
  }
  return { ticket, contact, assignee: row.agent, queue: prepared.queue };
}

async function mergeRacedContact(ctx: AppContext, ticketId: string, orphanId: string, idents: { kind: string; value: string }[]): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const owners = await tx
      .select({ contactId: contactIdentities.contactId })
      .from(contactIdentities)
      .where(and(ne(contactIdentities.contactId, orphanId), inArray(contactIdentities.value, idents.map((i) => i.value))))
      .limit(1);
    const winner = owners[0]?.contactId;
    if (!winner) return orphanId;
    await tx.update(tickets).set({ contactId: winner }).where(eq(tickets.contactId, orphanId));
    await tx.delete(contactIdentities).where(eq(contactIdentities.contactId, orphanId));
    await tx.delete(contacts).where(eq(contacts.id, orphanId));
    return winner;
  });
}

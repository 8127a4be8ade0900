import { and, eq, getTableColumns, inArray, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context';
import { runPrepared } from '../../platform/prepared';
import { notFound, unprocessable } from '../../platform/errors';
import { notifyContact } from '../../platform/contact-notifications';
import { NOTIFICATIONS_CHANNEL, signalSql, type Actor } from '../../platform/events';
import { guardSecrets, secretWarningMessage } from '../knowledge/guard';
import { detectEmergency } from '../knowledge/triage/emergency';
import { contactIdentities, contacts } from '../contacts/contact.schema';
import type { ContactView } from '../contacts/contact.schemas';
import { identitiesOf } from '../contacts/contact-service';
import { cachedQueue } from '../queues/queue-service';
import { startSla } from '../scheduling/sla';
import { agentChoiceSql } from './routing';
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

interface IntakeRow {
  ticket: Record<string, unknown>;
  contact: Record<string, unknown>;
  agent: { id: string; name: string; level: number } | null;
  created: boolean;
  expected: number;
  attached: number;
  notified: number;
}


/** Turns the ticket row returned as JSON by the intake statement into the typed row. */
function ticketFromJson(j: Record<string, unknown>): TicketRow {
  const row: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(ticketColumns)) {
    const v = j[col.name];
    row[key] = v === null || v === undefined ? null : col.columnType === 'PgTimestamp' ? new Date(v as string) : v;
  }
  return row as TicketRow;
}


/**
 * One request in, as ONE statement (one round trip, one commit): contact matched or created
 * with its identities, intake policies, auto-assignment to the least-loaded agent, the
 * ticket with its SLA due times, and its timeline events announced to every node.
 * Intake is the hot path of a hotline; the same rules as the rest of the code, in SQL.
 */
export async function createTicket(ctx: AppContext, actor: Actor, input: CreateTicketInput): Promise<Intake> {
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

  const result = await runPrepared<IntakeRow>(ctx.database, ctx.db, 'relais_intake_v1', sql`
    with
    wanted as (
      select x->>'kind' as kind, x->>'value' as value from jsonb_array_elements(${JSON.stringify(idents)}::jsonb) x
    ),
    known as (
      select ci.contact_id as id from contact_identities ci join wanted w on ci.kind::text = w.kind and ci.value = w.value limit 1
    ),
    existing as (
      select c.id, c.name, c.preferred_channel, c.notes, c.trained_on, c.audit_completed_at, c.created_at, false as created
      from contacts c where c.id = coalesce(${input.contactId ?? null}::uuid, (select id from known))
    ),
    inserted as (
      insert into contacts (name, preferred_channel, notes)
      select ${input.contact?.name.trim() ?? ''}, ${input.contact?.preferredChannel ?? null}::channel_kind, ${input.contact?.notes ?? ''}
      where ${input.contactId ?? null}::uuid is null and not exists (select 1 from existing)
      returning id, name, preferred_channel, notes, trained_on, audit_completed_at, created_at, true as created
    ),
    contact as (select * from existing union all select * from inserted),
    attached as (
      insert into contact_identities (contact_id, kind, value)
      select contact.id, w.kind::identity_kind, w.value from contact, wanted w
      on conflict do nothing
      returning kind::text as kind, value
    ),
    holds as (
      select
        (case when ${q.requiresAudit}::boolean and contact.audit_completed_at is null
           then jsonb_build_array(jsonb_build_object('code', 'AUDIT_REQUIRED', 'message', ${HOLD_MESSAGES.audit(q.name)}::text)) else '[]'::jsonb end)
        || (case when ${q.requiresTraining}::text is not null
                  and not exists (select 1 from unnest(contact.trained_on) tr where lower(unaccent(tr)) = lower(unaccent(${q.requiresTraining}::text)))
           then jsonb_build_array(jsonb_build_object('code', 'TRAINING_REQUIRED', 'message', ${q.requiresTraining ? HOLD_MESSAGES.training(q.requiresTraining) : ''}::text)) else '[]'::jsonb end)
        as list
      from contact
    ),
    agent as (${agentChoiceSql(level, q.requiredSkill)}),
    num as (select nextval('ticket_number_seq') as seq),
    t as (
      insert into tickets (seq, number, subject, description, channel, type, category, priority, level, queue_id, assignee_id,
                           contact_id, tags, status, policy_holds, possible_emergency, first_response_due_at, resolution_due_at, created_at, updated_at)
      select num.seq, ${ctx.config.ticketPrefix} || '-' || num.seq, ${subject.text}, ${description.text},
             ${input.channel}::channel_kind, ${input.type ?? 'request'}::ticket_type, ${input.category ?? null}, ${priority}::ticket_priority,
             ${level}, ${q.id}::uuid,
             case when holds.list = '[]'::jsonb then (select id from agent) end,
             contact.id, array(select jsonb_array_elements_text(${JSON.stringify(input.tags ?? [])}::jsonb)),
             (case when holds.list = '[]'::jsonb then 'new' else 'awaiting_audit' end)::ticket_status, holds.list,
             ${possibleEmergency ? JSON.stringify(possibleEmergency) : null}::jsonb,
             ${sla.firstResponseDueAt?.toISOString() ?? null}::timestamptz, ${sla.resolutionDueAt?.toISOString() ?? null}::timestamptz,
             ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
      from contact, holds, num
      returning *
    ),
    ev as (
      insert into ticket_events (ticket_id, type, actor_kind, actor_id, data, created_at)
      select t.id, 'ticket.created', ${actor.kind}::actor_kind, ${actorId}::uuid,
             ${JSON.stringify(createdData)}::jsonb || (case when t.policy_holds = '[]'::jsonb then '{}'::jsonb else jsonb_build_object('policyHolds', t.policy_holds) end),
             ${now.toISOString()}::timestamptz
      from t
      union all
      select t.id, 'ticket.assigned', 'system'::actor_kind, null, jsonb_build_object('assigneeId', t.assignee_id, 'auto', true), ${now.toISOString()}::timestamptz
      from t where t.assignee_id is not null
      union all
      select t.id, 'triage.possible_emergency', 'system'::actor_kind, null, t.possible_emergency, ${now.toISOString()}::timestamptz
      from t where t.possible_emergency is not null
      returning id, type, created_at
    ),
    alerted as (
      -- Level-3 agents and supervisors see a suspected emergency at once; an agent confirms with the red button.
      select pg_notify(${NOTIFICATIONS_CHANNEL}, json_build_object(
        'kind', 'possible_cyber_emergency', 'audience', json_build_object('agentLevel', 3, 'roles', json_build_array('supervisor')),
        'title', 'Urgence cyber possible : ' || t.number || ' — ' || t.subject, 'ticketId', t.id, 'number', t.number)::text)
      from t where t.possible_emergency is not null
    ),
    notified as (
      select ${signalSql({
        eventId: sql`ev.id`,
        at: sql`ev.created_at`,
        type: sql`ev.type`,
        ticketId: sql`t.id::text`,
        number: sql`t.number`,
        status: sql`t.status::text`,
        level: sql`t.level::int`,
        queueId: sql`t.queue_id::text`,
        assigneeId: sql`t.assignee_id::text`,
        cyberEmergency: sql`t.cyber_emergency`,
      })} from ev, t order by ev.id
    )
    select to_jsonb(t) as ticket,
           jsonb_build_object('id', contact.id, 'name', contact.name, 'preferredChannel', contact.preferred_channel, 'notes', contact.notes,
             'trainedOn', to_jsonb(contact.trained_on), 'auditCompletedAt', contact.audit_completed_at, 'createdAt', contact.created_at,
             'identities', coalesce((select jsonb_agg(jsonb_build_object('kind', x.kind, 'value', x.value))
                                     from (select kind::text as kind, value from contact_identities where contact_id = contact.id
                                           union select kind, value from attached) x), '[]'::jsonb)) as contact,
           (select to_jsonb(agent) from agent where agent.id = t.assignee_id) as agent,
           contact.created,
           (select count(*) from wanted)::int as expected,
           (select count(*) from attached)::int as attached,
           (select count(*) from notified)::int + (select count(*) from alerted)::int as notified
    from t, contact`);

  const row = result.rows[0];
  if (!row) throw notFound('CONTACT_NOT_FOUND', `Aucun contact ${input.contactId}.`);
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
  return { ticket, contact, assignee: row.agent, queue: { id: q.id, slug: q.slug, name: q.name } };
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

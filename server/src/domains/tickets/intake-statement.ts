import { sql, type SQL } from 'drizzle-orm';
import { NOTIFICATIONS_CHANNEL, signalPayloadSql, signalSql } from '../../platform/events';
import { preparedStatement } from '../../platform/prepared';
import { agentChoiceSql } from './routing';

/** What one intake brings to its statement; JSON values as text. */
export interface IntakeValues extends Record<string, unknown> {
  /** `[{kind, value}]` of the caller's phone, email, WhatsApp id. */
  identities: string;
  contactId: string | null;
  contactName: string;
  contactPreferredChannel: string | null;
  contactNotes: string;
  requiresAudit: boolean;
  auditHold: string;
  requiresTraining: string | null;
  trainingHold: string;
  level: number;
  skill: string | null;
  prefix: string;
  subject: string;
  description: string;
  channel: string;
  type: string;
  category: string | null;
  priority: string;
  queueId: string;
  tags: string;
  possibleEmergency: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  now: string;
  actorKind: string;
  actorId: string | null;
  createdData: string;
}

export interface IntakeRow {
  ticket: Record<string, unknown>;
  contact: Record<string, unknown>;
  agent: { id: string; name: string; level: number } | null;
  created: boolean;
  expected: number;
  attached: number;
  notified: number;
  /** The ticket's event signals, when they are announced after the commit. */
  signals: string[] | null;
}

const v = (name: keyof IntakeValues & string) => sql.placeholder(name);

const signal = {
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
};

/**
 * What a caller adds to the intake statement to do its own writes in the same round trip and
 * commit (the channels' first message of someone unknown: channels/inbound/new-conversation.ts).
 * Placeholders in these fragments are filled from the same values object.
 */
export interface IntakeExtension {
  /** CTEs placed first (each followed by a comma), e.g. a lock to take before anything is written. */
  before?: SQL;
  /** When false, the statement writes nothing and returns no row (read from `before`'s CTEs). */
  gate?: SQL;
  /** CTEs placed after the ticket `t` and its `contact` (each preceded by a comma). */
  after?: SQL;
  /** More timeline events, `union all select ticket_id, type, actor_kind, actor_id, data, created_at …`, announced like the ticket's. */
  events?: SQL;
  /** More columns of the result row (each preceded by a comma). */
  columns?: SQL;
}

/**
 * One request in, as ONE statement (one round trip, one commit): contact matched or created
 * with its identities, intake policies, auto-assignment to the least-loaded agent, the
 * ticket with its SLA due times, and its timeline events. Written once per process, with a
 * placeholder for each value. `signalsAfterCommit`: the events' signals are returned for
 * publishSignals instead of NOTIFYed by the statement.
 */
export const intakeSql = (signalsAfterCommit: boolean, x: IntakeExtension = {}) => sql`
    with
    ${x.before ?? sql``}
    wanted as (
      select (x->>'kind')::identity_kind as kind, x->>'value' as value from jsonb_array_elements(${v('identities')}::jsonb) x
    ),
    known as (
      -- One (kind, value) index probe per identity: the LIMIT keeps the lateral from being flattened into a
      -- join, which the statement's generic plan (made once, when the table may be small) could turn into
      -- a scan of every identity.
      select k.contact_id as id from wanted w
      cross join lateral (select ci.contact_id from contact_identities ci where ci.kind = w.kind and ci.value = w.value limit 1) k
      limit 1
    ),
    existing as (
      select c.id, c.name, c.preferred_channel, c.notes, c.trained_on, c.audit_completed_at, c.created_at, false as created
      from contacts c where c.id = coalesce(${v('contactId')}::uuid, (select id from known))
    ),
    inserted as (
      insert into contacts (name, preferred_channel, notes)
      select ${v('contactName')}, ${v('contactPreferredChannel')}::channel_kind, ${v('contactNotes')}
      where ${v('contactId')}::uuid is null and not exists (select 1 from existing)${x.gate ? sql` and ${x.gate}` : sql``}
      returning id, name, preferred_channel, notes, trained_on, audit_completed_at, created_at, true as created
    ),
    contact as (${x.gate ? sql`select * from (select * from existing union all select * from inserted) c where ${x.gate}` : sql`select * from existing union all select * from inserted`}),
    attached as (
      insert into contact_identities (contact_id, kind, value)
      select contact.id, w.kind, w.value from contact, wanted w
      on conflict do nothing
      returning kind::text as kind, value
    ),
    holds as (
      select
        (case when ${v('requiresAudit')}::boolean and contact.audit_completed_at is null
           then jsonb_build_array(jsonb_build_object('code', 'AUDIT_REQUIRED', 'message', ${v('auditHold')}::text)) else '[]'::jsonb end)
        || (case when ${v('requiresTraining')}::text is not null
                  and not exists (select 1 from unnest(contact.trained_on) tr where lower(unaccent(tr)) = lower(unaccent(${v('requiresTraining')}::text)))
           then jsonb_build_array(jsonb_build_object('code', 'TRAINING_REQUIRED', 'message', ${v('trainingHold')}::text)) else '[]'::jsonb end)
        as list
      from contact
    ),
    agent as (${agentChoiceSql(sql`${v('level')}`, sql`${v('skill')}`)}),
    num as (select nextval('ticket_number_seq') as seq),
    t as (
      insert into tickets (seq, number, subject, description, channel, type, category, priority, level, queue_id, assignee_id,
                           contact_id, tags, status, policy_holds, possible_emergency, first_response_due_at, resolution_due_at, created_at, updated_at)
      select num.seq, ${v('prefix')} || '-' || num.seq, ${v('subject')}, ${v('description')},
             ${v('channel')}::channel_kind, ${v('type')}::ticket_type, ${v('category')}, ${v('priority')}::ticket_priority,
             ${v('level')}, ${v('queueId')}::uuid,
             case when holds.list = '[]'::jsonb then (select id from agent) end,
             contact.id, array(select jsonb_array_elements_text(${v('tags')}::jsonb)),
             (case when holds.list = '[]'::jsonb then 'new' else 'awaiting_audit' end)::ticket_status, holds.list,
             ${v('possibleEmergency')}::jsonb,
             ${v('firstResponseDueAt')}::timestamptz, ${v('resolutionDueAt')}::timestamptz,
             ${v('now')}::timestamptz, ${v('now')}::timestamptz
      from contact, holds, num
      returning *
    )
    ${x.after ?? sql``},
    ev as (
      insert into ticket_events (ticket_id, type, actor_kind, actor_id, data, created_at)
      -- A contact actor without an id is the request's own contact (matched or created above).
      select t.id, 'ticket.created', ${v('actorKind')}::actor_kind,
             coalesce(${v('actorId')}::uuid, case when ${v('actorKind')}::actor_kind = 'contact' then t.contact_id end),
             ${v('createdData')}::jsonb || (case when t.policy_holds = '[]'::jsonb then '{}'::jsonb else jsonb_build_object('policyHolds', t.policy_holds) end),
             ${v('now')}::timestamptz
      from t
      union all
      select t.id, 'ticket.assigned', 'system'::actor_kind, null, jsonb_build_object('assigneeId', t.assignee_id, 'auto', true), ${v('now')}::timestamptz
      from t where t.assignee_id is not null
      union all
      select t.id, 'triage.possible_emergency', 'system'::actor_kind, null, t.possible_emergency, ${v('now')}::timestamptz
      from t where t.possible_emergency is not null
      ${x.events ?? sql``}
      returning id, type, created_at
    ),
    alerted as (
      -- Level-3 agents and supervisors see a suspected emergency at once; an agent confirms with the red button.
      -- Always at commit: rare, and the one signal that must not be lost.
      select pg_notify(${NOTIFICATIONS_CHANNEL}, json_build_object(
        'kind', 'possible_cyber_emergency', 'audience', json_build_object('agentLevel', 3, 'roles', json_build_array('supervisor')),
        'title', 'Urgence cyber possible : ' || t.number || ' — ' || t.subject, 'ticketId', t.id, 'number', t.number)::text)
      from t where t.possible_emergency is not null
    ),
    notified as (
      ${signalsAfterCommit ? sql`select ev.id, ${signalPayloadSql(signal)} as payload from ev, t` : sql`select ${signalSql(signal)} from ev, t order by ev.id`}
    )
    -- The ticket without its search vector: nobody reads it from here.
    select to_jsonb(t) - 'search' as ticket,
           jsonb_build_object('id', contact.id, 'name', contact.name, 'preferredChannel', contact.preferred_channel, 'notes', contact.notes,
             'trainedOn', to_jsonb(contact.trained_on), 'auditCompletedAt', contact.audit_completed_at, 'createdAt', contact.created_at,
             'identities', coalesce((select jsonb_agg(jsonb_build_object('kind', x.kind, 'value', x.value))
                                     from (select kind::text as kind, value from contact_identities where contact_id = contact.id
                                           union all select kind, value from attached) x), '[]'::jsonb)) as contact,
           (select to_jsonb(agent) from agent where agent.id = t.assignee_id) as agent,
           contact.created,
           (select count(*) from wanted)::int as expected,
           (select count(*) from attached)::int as attached,
           (select count(*) from notified)::int + (select count(*) from alerted)::int as notified,
           ${signalsAfterCommit ? sql`(select jsonb_agg(payload order by id) from notified)` : sql`null::jsonb`} as signals
           ${x.columns ?? sql``}
    from t, contact`;

/** The intake statement whose NOTIFYs go out with its commit (or its caller's). */
export const intakeNotifyingAtCommit = preparedStatement<IntakeValues, IntakeRow>('relais_intake_v2', () => intakeSql(false));
/** The intake statement that returns its events' signals, for publishSignals after its own commit. */
export const intakeReturningSignals = preparedStatement<IntakeValues, IntakeRow>('relais_intake_signals_v2', () => intakeSql(true));

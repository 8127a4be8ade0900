import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../../platform/context';
import { NOTIFY_CONTACT_JOB, notifyContact } from '../../../platform/contact-notifications';
import type { Jobs } from '../../../platform/jobs';
import { preparedStatement } from '../../../platform/prepared';
import { MAGIC_LINK_TTL_DAYS, magicLinkUrl } from '../../portal/portal-session';
import { intakeSql, type IntakeRow, type IntakeValues } from '../../tickets/intake-statement';
import { finishIntake, prepareIntake } from '../../tickets/ticket-intake';
import { magicLinkFor } from '../outbound/portal-link';

/** What the first message of someone unknown brings to its statement, besides the intake's own values. */
interface NewConversationValues extends IntakeValues {
  lockKey: string;
  number: string;
  body: string;
  providerMessageId: string;
  inboxId: string | null;
  closeInbox: string | null;
  detailsKind: string | null;
  detailsSender: string | null;
  detailsSubject: string | null;
  detailsFullText: string | null;
  detailsData: string;
  eventType: string;
  eventData: string;
  confirm: boolean;
  dedupeKey: string;
  linkHash: string;
  linkExpiresAt: string;
  link: string;
  notifyChannel: string;
}

type NewConversationRow = IntakeRow & { message_id: string; inbox_closed: boolean; jobs: number };

const v = (name: keyof NewConversationValues & string) => sql.placeholder(name);

/**
 * The ticket intake statement (tickets/intake-statement.ts) extended with what the channel
 * intake writes for a first message, so that the whole of it is ONE statement, one round trip
 * and one commit: the per-sender lock and the sender looked up after it (relais_inbound_sender,
 * migration 0009), the contact with its identity, the ticket and its events, the message with
 * its details and its `message.received` event, the delivery closed, the magic link and the
 * `ticket_received` confirmation: its row (attempt 1) and pg-boss's own job row (with its
 * workers' wake-up) carrying what its first try needs, so that it sends with one statement.
 * A sender known by then writes nothing (no row): the channel intake's transaction takes over.
 * A message already stored (a replayed delivery) fails on its unique index and nothing stays.
 */
function newConversationSql(jobs: Jobs) {
  const job = jobs.insertSql(NOTIFY_CONTACT_JOB, sql`(select payload from job_data)`);
  return intakeSql(false, {
    before: sql`sender as (select relais_inbound_sender(${v('lockKey')}, ${v('number')}) as contact_id),`,
    gate: sql`not exists (select 1 from sender where contact_id is not null)`,
    after: sql`,
    m as (
      insert into messages (ticket_id, author_kind, visibility, channel, body, direction, provider_message_id)
      select t.id, 'contact', 'public', t.channel, ${v('body')}, 'inbound', ${v('providerMessageId')} from t
      returning id, ticket_id, created_at
    ),
    d as (
      insert into channel_message_details (message_id, inbox_id, kind, sender, subject, full_text, data)
      select m.id, ${v('inboxId')}::uuid, ${v('detailsKind')}, ${v('detailsSender')}, ${v('detailsSubject')}, ${v('detailsFullText')}, ${v('detailsData')}::jsonb
      from m where ${v('detailsKind')}::text is not null
    ),
    c as (
      update channel_inbox set state = 'processed', processed_at = now(), claimed_until = null, error = null,
        result = jsonb_build_object('outcome', 'created', 'ticket', (select number from t))
      where id = ${v('closeInbox')}::uuid and state = 'pending' and exists (select 1 from m)
      returning id
    ),
    link as (
      insert into portal_magic_links (contact_id, ticket_id, token_hash, created_at, expires_at)
      select t.contact_id, t.id, ${v('linkHash')}, ${v('now')}::timestamptz, ${v('linkExpiresAt')}::timestamptz
      from t where ${v('confirm')}::boolean
      returning contact_id, ticket_id
    ),
    notice as (
      insert into contact_notifications (contact_id, ticket_id, template, dedupe_key, attempts)
      select link.contact_id, link.ticket_id, 'ticket_received', ${v('dedupeKey')}, 1 from link
      returning id
    ),
    job_data as (
      select jsonb_build_array(jsonb_build_object('data', jsonb_build_object(
        'contactId', link.contact_id, 'ticketId', link.ticket_id, 'template', 'ticket_received', 'channel', ${v('notifyChannel')}::text,
        'variables', jsonb_build_object('number', t.number, 'subject', t.subject, 'link', ${v('link')}::text),
        'dedupeKey', ${v('dedupeKey')}::text,
        -- What the first try reads otherwise (deliverNotification): the contact as just written.
        -- Not when the contact lost a race for its identity (merged away after this statement).
        'prepared', case when (select count(*) from attached) = (select count(*) from wanted) then jsonb_build_object(
          'notificationId', notice.id,
          'reach', jsonb_build_object('name', contact.name, 'preferred', contact.preferred_channel, 'emails', '[]'::jsonb,
                                      'phones', case when t.channel = 'whatsapp' then '[]'::jsonb else jsonb_build_array(${v('number')}::text) end,
                                      'whatsapp', case when t.channel = 'whatsapp' then ${v('number')}::text end),
          'ticket', jsonb_build_object('id', t.id, 'number', t.number, 'subject', t.subject, 'channel', t.channel, 'status', t.status, 'level', t.level,
                                       'queueId', t.queue_id, 'assigneeId', t.assignee_id, 'cyberEmergency', t.cyber_emergency),
          'lastWhatsAppInbound', case when t.channel = 'whatsapp' then to_jsonb(m.created_at) end)
        end)))::text as payload
      from link, notice, t, contact, m
    ),
    job as (${job.insert}),
    woken as (${job.wake(sql`job`)})`,
    events: sql`
      union all
      select m.ticket_id, ${v('eventType')}, 'contact'::actor_kind, t.contact_id, jsonb_build_object('messageId', m.id) || ${v('eventData')}::jsonb, ${v('now')}::timestamptz
      from m, t`,
    columns: sql`,
           (select id from m) as message_id,
           exists (select 1 from c) as inbox_closed,
           (select count(*) from job)::int + (select count(*) from woken)::int as jobs`,
  });
}

/** Built once per process and per job queue table (read when the node's jobs start). */
const statements = new WeakMap<Jobs, ReturnType<typeof preparedStatement<NewConversationValues, NewConversationRow>>>();

function statementFor(jobs: Jobs) {
  let run = statements.get(jobs);
  if (!run) {
    // The events NOTIFY at commit, in the statement: its commit already NOTIFYs (the job's
    // wake-up), so announcing them after it (as createTicket does) would only add a round trip.
    run = preparedStatement<NewConversationValues, NewConversationRow>('relais_inbound_new', () => newConversationSql(jobs));
    statements.set(jobs, run);
  }
  return run;
}

export interface NewConversation {
  channel: 'whatsapp' | 'sms';
  /** The sender's number in E.164: their only identity (WhatsApp id or phone, by channel). */
  number: string;
  name: string;
  lockKey: string;
  subject: string;
  body: string;
  providerMessageId: string;
  queue: string | null;
  inboxId: string | null;
  closeInbox: boolean;
  details: { inboxId: string | null; kind: string; sender: string | null; subject: string | null; fullText: string | null; data: Record<string, unknown> } | null;
  eventType: string;
  eventData: Record<string, unknown>;
  confirm: boolean;
}

export interface NewConversationResult {
  ticketId: string;
  ticketNumber: string;
  contactId: string;
  messageId: string;
  inboxClosed: boolean;
}

/**
 * The first message of someone nobody knows by their number, in one statement (see
 * newConversationSql). Null when the sender turned out to be known once the lock was taken:
 * the caller's full transaction handles them.
 */
export async function startConversation(ctx: AppContext, c: NewConversation): Promise<NewConversationResult | null> {
  const prepared = await prepareIntake(
    ctx,
    { kind: 'contact', id: null },
    {
      contact: { name: c.name, preferredChannel: c.channel, ...(c.channel === 'whatsapp' ? { whatsappId: c.number } : { phone: c.number }) },
      subject: c.subject,
      description: c.body,
      channel: c.channel,
      ...(c.queue ? { queue: c.queue } : {}),
    },
  );
  // The link in the confirmation, as createMagicLink makes it (only its hash is stored).
  const token = randomBytes(24).toString('base64url');
  const now = new Date(prepared.values.now);
  const { rows } = await statementFor(ctx.jobs)(ctx.database, ctx.db, {
    ...prepared.values,
    lockKey: c.lockKey,
    number: c.number,
    body: c.body,
    providerMessageId: c.providerMessageId,
    inboxId: c.details?.inboxId ?? null,
    closeInbox: c.closeInbox ? c.inboxId : null,
    detailsKind: c.details?.kind ?? null,
    detailsSender: c.details?.sender ?? null,
    detailsSubject: c.details?.subject ?? null,
    detailsFullText: c.details?.fullText ?? null,
    detailsData: JSON.stringify(c.details?.data ?? {}),
    eventType: c.eventType,
    eventData: JSON.stringify(c.eventData),
    confirm: c.confirm,
    dedupeKey: `ticket_received:${randomUUID()}`,
    linkHash: createHash('sha256').update(token).digest('hex'),
    linkExpiresAt: new Date(now.getTime() + MAGIC_LINK_TTL_DAYS * 86_400_000).toISOString(),
    link: magicLinkUrl(ctx.config, token),
    notifyChannel: c.channel,
  });
  const row = rows[0];
  if (!row) return null;
  const intake = await finishIntake(ctx, { kind: 'contact', id: null }, prepared, row);
  if (c.confirm && intake.ticket.contactId !== (row.ticket as { contact_id: string }).contact_id) {
    // Someone else created this person at the same instant without the sender lock (the staff
    // API): the ticket moved to their contact and the link and confirmation went with the
    // duplicate, deleted. The client still gets theirs.
    const ticket = intake.ticket;
    await ctx.db.transaction(async (tx) =>
      notifyContact(ctx, tx, {
        contactId: ticket.contactId,
        ticketId: ticket.id,
        template: 'ticket_received',
        variables: { number: ticket.number, subject: ticket.subject, link: await magicLinkFor(ctx, tx, ticket.contactId, ticket.id) },
        channel: c.channel,
      }),
    );
  }
  return { ticketId: intake.ticket.id, ticketNumber: intake.ticket.number, contactId: intake.ticket.contactId, messageId: row.message_id, inboxClosed: row.inbox_closed };
}

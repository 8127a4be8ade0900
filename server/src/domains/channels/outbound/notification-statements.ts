import { sql } from 'drizzle-orm';
import type { Channel } from '../../../../../common/src/tickets';
import type { AppContext } from '../../../platform/context';
import { signalSql, type TicketSnapshot } from '../../../platform/events';
import { preparedStatement, runPrepared } from '../../../platform/prepared';
import type { Reach } from './reach';

/** A job that runs twice within this delay (a retried batch) sends once. */
export const NOTIFICATION_DEDUPE_MINUTES = 30;

/** What a notification's ticket brings to the message and to its timeline event. */
export interface NotificationTicket extends TicketSnapshot {
  subject: string;
  channel: Channel;
}

export interface NotificationStart {
  /** The row this try works on, its attempt already counted; null when a previous run already settled it. */
  notification: { id: string; attempts: number } | null;
  reach: Reach;
  ticket: NotificationTicket | null;
  /** When the client last wrote on WhatsApp (the 24-hour window); undefined when WhatsApp is not configured. */
  lastWhatsAppInbound: Date | null | undefined;
}

interface StartRow {
  name: string;
  preferred: Channel | null;
  identities: { kind: string; value: string }[] | string;
  ticket: NotificationTicket | string | null;
  notification: { id: string; status: string; attempts: number } | string | null;
  last_wa?: Date | string | null;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/**
 * One statement for what a notification needs before it can go out: the dedupe check (a row of
 * the same payload within the delay, settled: nothing to do), the row created or its attempt
 * counted, the contact's ways of being reached, the ticket, and the start of the WhatsApp
 * window. A data-modifying CTE runs once whether or not it is read, so the write is gated on the
 * contact and on the dedupe row inside the statement. Null when the contact no longer exists.
 */
export async function startNotification(ctx: AppContext, p: { contactId: string; ticketId: string | null; template: string; dedupeKey: string }): Promise<NotificationStart | null> {
  const lastWa = ctx.config.channels.whatsapp
    ? sql`, (select m.created_at from messages m join tickets mt on mt.id = m.ticket_id
             where mt.contact_id = ${p.contactId} and m.channel = 'whatsapp' and m.direction = 'inbound'
             order by m.created_at desc limit 1) as last_wa`
    : sql``;
  const { rows } = await runPrepared<StartRow>(
    ctx.database,
    ctx.db,
    ctx.config.channels.whatsapp ? 'notification_start_wa' : 'notification_start',
    sql`with c as (select name, preferred_channel from contacts where id = ${p.contactId}),
      t as (select id, number, subject, channel, status, level, queue_id, assignee_id, cyber_emergency from tickets where id = ${p.ticketId}),
      prev as (
        select id, status, attempts from contact_notifications
        where dedupe_key = ${p.dedupeKey} and created_at > now() - make_interval(mins => ${NOTIFICATION_DEDUPE_MINUTES})
        order by created_at desc limit 1
      ),
      ins as (
        insert into contact_notifications (contact_id, ticket_id, template, dedupe_key, attempts)
        select ${p.contactId}, (select id from t), ${p.template}, ${p.dedupeKey}, 1 from c
        where not exists (select 1 from prev)
        returning id, status, attempts
      ),
      upd as (
        update contact_notifications n set attempts = n.attempts + 1, updated_at = now()
        from prev where n.id = prev.id and prev.status = 'pending' and exists (select 1 from c)
        returning n.id, n.status, n.attempts
      )
      select c.name, c.preferred_channel as preferred,
        (select coalesce(json_agg(json_build_object('kind', i.kind, 'value', i.value) order by i.created_at), '[]'::json)
           from contact_identities i where i.contact_id = ${p.contactId}) as identities,
        (select json_build_object('id', t.id, 'number', t.number, 'subject', t.subject, 'channel', t.channel, 'status', t.status, 'level', t.level,
                                  'queueId', t.queue_id, 'assigneeId', t.assignee_id, 'cyberEmergency', t.cyber_emergency) from t) as ticket,
        coalesce((select row_to_json(x) from ins x), (select row_to_json(x) from upd x), (select row_to_json(x) from prev x)) as notification
        ${lastWa}
      from c`,
  );
  const row = rows[0];
  if (!row) return null;
  const ids = json(row.identities);
  const n = row.notification ? json(row.notification) : null;
  return {
    notification: n && n.status === 'pending' ? { id: n.id, attempts: Number(n.attempts) } : null,
    reach: {
      name: row.name,
      preferred: row.preferred,
      emails: ids.filter((i) => i.kind === 'email').map((i) => i.value),
      phones: ids.filter((i) => i.kind === 'phone').map((i) => i.value),
      whatsapp: ids.find((i) => i.kind === 'whatsapp')?.value ?? null,
    },
    ticket: row.ticket ? json(row.ticket) : null,
    lastWhatsAppInbound: ctx.config.channels.whatsapp ? (row.last_wa ? new Date(row.last_wa) : null) : undefined,
  };
}

interface SentValues extends Record<string, unknown> {
  id: string;
  channel: string;
  to: string;
  providerMessageId: string;
  withEvent: boolean;
  ticketId: string | null;
  number: string | null;
  status: string | null;
  level: number | null;
  queueId: string | null;
  assigneeId: string | null;
  cyberEmergency: boolean | null;
  data: string;
}

const sv = (name: keyof SentValues & string) => sql.placeholder(name);

/** Written once per process: every notification sent runs it (building and hashing it each time cost CPU). */
const sentStatement = preparedStatement<SentValues, never>(
  'notification_sent_v2',
  () => sql`with u as (
      update contact_notifications set status = 'sent', channel = ${sv('channel')}::channel_kind, recipient = ${sv('to')},
        provider_message_id = ${sv('providerMessageId')}, error = null, updated_at = now() where id = ${sv('id')}::uuid returning id
    ),
    e as (
      insert into ticket_events (ticket_id, type, actor_kind, actor_id, data)
      select ${sv('ticketId')}::uuid, 'notification.sent', 'system', null, ${sv('data')}::jsonb from u where ${sv('withEvent')}::boolean
      returning id, created_at
    )
    select ${signalSql({
      eventId: sql`e.id`,
      at: sql`e.created_at`,
      type: sql`'notification.sent'::text`,
      ticketId: sql`${sv('ticketId')}::text`,
      number: sql`${sv('number')}::text`,
      status: sql`${sv('status')}::text`,
      level: sql`${sv('level')}::int`,
      queueId: sql`${sv('queueId')}::text`,
      assigneeId: sql`${sv('assigneeId')}::text`,
      cyberEmergency: sql`${sv('cyberEmergency')}::boolean`,
    })}
    from e`,
);

/**
 * Records a notification as sent and, when it belongs to a ticket, its `notification.sent` event
 * with the live signal, as one statement: one atomic write, one round trip.
 */
export async function recordNotificationSent(
  ctx: AppContext,
  id: string,
  sent: { channel: 'email' | 'whatsapp' | 'sms'; to: string; providerMessageId: string },
  event: { ticket: TicketSnapshot; data: Record<string, unknown> } | null,
): Promise<void> {
  const t = event?.ticket;
  await sentStatement(ctx.database, ctx.db, {
    id,
    channel: sent.channel,
    to: sent.to,
    providerMessageId: sent.providerMessageId,
    withEvent: !!event,
    ticketId: t?.id ?? null,
    number: t?.number ?? null,
    status: t?.status ?? null,
    level: t?.level ?? null,
    queueId: t?.queueId ?? null,
    assigneeId: t?.assigneeId ?? null,
    cyberEmergency: t?.cyberEmergency ?? null,
    data: JSON.stringify(event?.data ?? {}),
  });
}

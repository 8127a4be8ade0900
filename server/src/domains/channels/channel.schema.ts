import { sql } from 'drizzle-orm';
import { check, customType, index, integer, jsonb, pgEnum, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { staff } from '../auth/auth.schema';
import { channelKind, contacts } from '../contacts/contact.schema';
import { queues } from '../queues/queue.schema';
import { deliveryStatus, messages, tickets } from '../tickets/ticket.schema';

/** Raw bytes (MIME messages may carry 8-bit parts that are not UTF-8). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const inboxSource = pgEnum('channel_inbox_source', ['whatsapp', 'twilio_sms', 'twilio_status', 'email']);
export const inboxState = pgEnum('channel_inbox_state', ['pending', 'processed', 'ignored', 'failed']);

/**
 * Every webhook delivery and inbound email, stored as received (signature already checked)
 * before it is acknowledged; a job turns it into messages. The unique key makes a replayed
 * delivery a no-op: Meta and Twilio retry until they get a 2xx.
 */
export const channelInbox = pgTable(
  'channel_inbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: inboxSource('source').notNull(),
    // Provider id (Twilio MessageSid, email Message-ID) or the SHA-256 of the raw body (WhatsApp batches).
    dedupeKey: text('dedupe_key').notNull(),
    raw: bytea('raw').notNull(),
    state: inboxState('state').notNull().default('pending'),
    attempts: smallint('attempts').notNull().default(0),
    // A worker holds the row while it processes it; an expired claim can be taken over.
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    error: text('error'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [unique('channel_inbox_source_key').on(t.source, t.dedupeKey), index('channel_inbox_pending_idx').on(t.receivedAt).where(sql`state = 'pending'`)],
);

/**
 * What a channel says about a message beyond its text: email subject and full original
 * (quotes included), WhatsApp type, location, button reply, call and voicemail data.
 */
export const channelMessageDetails = pgTable('channel_message_details', {
  messageId: uuid('message_id')
    .primaryKey()
    .references(() => messages.id, { onDelete: 'cascade' }),
  inboxId: uuid('inbox_id').references(() => channelInbox.id, { onDelete: 'set null' }),
  kind: text('kind').notNull(),
  sender: text('sender'),
  subject: text('subject'),
  fullText: text('full_text'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [
  // A WhatsApp status about one file of a multi-part reply is found by its wamid among the parts.
  index('channel_message_details_parts_idx').using('gin', sql`(${t.data} -> 'parts') jsonb_path_ops`).where(sql`kind = 'outbound_parts'`),
]);

/** Messages to a client from templates (confirmation, magic link, resolved…), with their delivery. */
export const contactNotifications = pgTable(
  'contact_notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    template: text('template').notNull(),
    // Hash of the job payload: a job run twice within minutes (a retried batch) sends once.
    dedupeKey: text('dedupe_key').notNull(),
    channel: channelKind('channel'),
    recipient: text('recipient'),
    providerMessageId: text('provider_message_id'),
    status: deliveryStatus('status').notNull().default('pending'),
    error: text('error'),
    attempts: smallint('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('contact_notifications_dedupe_idx').on(t.dedupeKey, t.createdAt),
    unique('contact_notifications_provider_key').on(t.channel, t.providerMessageId),
    index('contact_notifications_ticket_idx').on(t.ticketId),
    // The satisfaction question a client's answer replies to: their latest, per template.
    index('contact_notifications_contact_idx').on(t.contactId, t.template, t.createdAt),
  ],
);

/** The secret in `support+<token>@domain`: a reply from any mail client lands on its ticket. */
export const emailReplyTokens = pgTable('email_reply_tokens', {
  token: text('token').primaryKey(),
  ticketId: uuid('ticket_id')
    .notNull()
    .unique()
    .references(() => tickets.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const callSource = pgEnum('call_source', ['ivr', 'console']);
export const callDirection = pgEnum('call_direction', ['inbound', 'outbound']);

/**
 * One phone call recorded on a ticket: through the IVR (Twilio call sid, numbers, status callback)
 * or timed by an agent in the console (staff, start/end, note; no provider id).
 */
export const calls = pgTable(
  'calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Null for calls recorded from the console; unique among Twilio's.
    callSid: text('call_sid').unique(),
    source: callSource('source').notNull().default('ivr'),
    direction: callDirection('direction').notNull().default('inbound'),
    fromNumber: text('from_number'),
    toNumber: text('to_number'),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    queueId: uuid('queue_id').references(() => queues.id),
    // The agent who took or made the call (console); null for the IVR.
    staffId: uuid('staff_id').references(() => staff.id),
    // ivr → queued (a queue chosen) / callback / voicemail; then completed, busy, no-answer…; console: completed.
    outcome: text('outcome').notNull().default('ivr'),
    status: text('status'),
    durationSeconds: integer('duration_seconds'),
    recordingUrl: text('recording_url'),
    note: text('note'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    index('calls_contact_idx').on(t.contactId, t.startedAt),
    index('calls_ticket_idx').on(t.ticketId, t.startedAt),
    check('calls_ended_after_start', sql`${t.endedAt} is null or ${t.endedAt} >= ${t.startedAt}`),
  ],
);

export const callbackStatus = pgEnum('callback_status', ['pending', 'done', 'cancelled']);
export const callbackOutcome = pgEnum('callback_outcome', ['reached', 'no_answer', 'voicemail', 'wrong_number', 'cancelled']);
export const callbackSource = pgEnum('callback_source', ['ivr', 'portal', 'whatsapp', 'console']);

/** « Rappel » : a task owned by one agent, due inside business hours, closed with its outcome. */
export const callbacks = pgTable(
  'callbacks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    phone: text('phone').notNull(),
    ownerId: uuid('owner_id').references(() => staff.id),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: callbackStatus('status').notNull().default('pending'),
    source: callbackSource('source').notNull(),
    reason: text('reason').notNull().default(''),
    outcome: callbackOutcome('outcome'),
    note: text('note'),
    callSid: text('call_sid').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: uuid('completed_by').references(() => staff.id),
  },
  (t) => [index('callbacks_owner_idx').on(t.ownerId, t.status, t.dueAt), index('callbacks_due_idx').on(t.status, t.dueAt)],
);

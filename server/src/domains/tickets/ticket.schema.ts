import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../../../../common/src/tickets';
import { staff } from '../auth/auth.schema';
import { channelKind, contacts } from '../contacts/contact.schema';
import { queues } from '../queues/queue.schema';
import { tsvector } from '../../platform/column-types';

export const ticketStatus = pgEnum('ticket_status', TICKET_STATUSES);
export const ticketPriority = pgEnum('ticket_priority', TICKET_PRIORITIES);
export const ticketType = pgEnum('ticket_type', TICKET_TYPES);
export const messageVisibility = pgEnum('message_visibility', ['public', 'internal']);
export const actorKind = pgEnum('actor_kind', ['staff', 'contact', 'system']);
// Channels: which way a message travelled and where its outbound delivery stands (sent, delivered, read by the client…).
export const messageDirection = pgEnum('message_direction', ['inbound', 'outbound']);
export const deliveryStatus = pgEnum('delivery_status', ['pending', 'sent', 'delivered', 'read', 'failed']);

// Five digits are easy to read over the phone; the sequence never hands out the same number twice.
export const ticketNumberSeq = pgSequence('ticket_number_seq', { startWith: 10001, minValue: 10001 });

export interface PolicyHold {
  code: 'AUDIT_REQUIRED' | 'TRAINING_REQUIRED';
  message: string;
}

export interface PossibleEmergency {
  score: number;
  reasons: { code: string; label: string; excerpt: string }[];
  at: string;
}

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).notNull().unique(),
    number: text('number').notNull().unique(),
    subject: text('subject').notNull(),
    description: text('description').notNull().default(''),
    channel: channelKind('channel').notNull(),
    type: ticketType('type').notNull().default('request'),
    category: text('category'),
    priority: ticketPriority('priority').notNull().default('normal'),
    level: smallint('level').notNull(),
    queueId: uuid('queue_id').notNull().references(() => queues.id),
    assigneeId: uuid('assignee_id').references(() => staff.id),
    contactId: uuid('contact_id').notNull().references(() => contacts.id),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    status: ticketStatus('status').notNull().default('new'),
    cyberEmergency: boolean('cyber_emergency').notNull().default(false),
    cyberEmergencyAt: timestamp('cyber_emergency_at', { withTimezone: true }),
    vendorName: text('vendor_name'),
    vendorReference: text('vendor_reference'),
    policyHolds: jsonb('policy_holds').$type<PolicyHold[]>().notNull().default([]),
    // Set by triage when the text looks like a scam or an attack in progress: shown in red, one click from the red button.
    possibleEmergency: jsonb('possible_emergency').$type<PossibleEmergency | null>(),
    firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }),
    firstRespondedAt: timestamp('first_responded_at', { withTimezone: true }),
    slaPausedAt: timestamp('sla_paused_at', { withTimezone: true }),
    slaRemainingSeconds: integer('sla_remaining_seconds'),
    firstResponseBreachedAt: timestamp('first_response_breached_at', { withTimezone: true }),
    resolutionBreachedAt: timestamp('resolution_breached_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('fr_unaccent', coalesce(number, '') || ' ' || coalesce(subject, '')), 'A') || setweight(to_tsvector('fr_unaccent', coalesce(description, '')), 'B')`,
      ),
  },
  (t) => [
    index('tickets_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('tickets_status_idx').on(t.status),
    index('tickets_queue_idx').on(t.queueId, t.status),
    index('tickets_assignee_idx').on(t.assigneeId, t.status),
    index('tickets_contact_idx').on(t.contactId),
    index('tickets_search_idx').using('gin', t.search),
    index('tickets_resolution_due_idx').on(t.resolutionDueAt).where(sql`resolution_breached_at is null`),
    index('tickets_first_response_due_idx').on(t.firstResponseDueAt).where(sql`first_responded_at is null and first_response_breached_at is null`),
    // Level 3's list of possible emergencies nobody has confirmed or dismissed, oldest first (ticket-queries.ts).
    index('tickets_possible_emergency_idx')
      .on(t.createdAt, t.id)
      .where(sql`possible_emergency is not null and not cyber_emergency and status not in ('resolved', 'closed')`),
  ],
);

export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    actorKind: actorKind('actor_kind').notNull(),
    actorId: uuid('actor_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.id)],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    authorKind: actorKind('author_kind').notNull(),
    authorStaffId: uuid('author_staff_id').references(() => staff.id),
    visibility: messageVisibility('visibility').notNull(),
    channel: channelKind('channel').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('fr_unaccent', body)`),
    // Channels: null for internal notes and for replies read on the portal only.
    direction: messageDirection('direction'),
    // WhatsApp wamid, Twilio message/call sid, email Message-ID: one message per provider id (replayed webhooks).
    providerMessageId: text('provider_message_id'),
    deliveryStatus: deliveryStatus('delivery_status'),
    deliveryError: text('delivery_error'),
    deliveryAttempts: smallint('delivery_attempts').notNull().default(0),
    deliveryUpdatedAt: timestamp('delivery_updated_at', { withTimezone: true }),
  },
  (t) => [
    index('messages_ticket_idx').on(t.ticketId, t.createdAt),
    index('messages_search_idx').using('gin', t.search),
    uniqueIndex('messages_provider_message_idx').on(t.channel, t.providerMessageId).where(sql`provider_message_id is not null`),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storagePath: text('storage_path').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('attachments_ticket_idx').on(t.ticketId)],
);

export const checklistItems = pgTable(
  'ticket_checklist_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    // 'first_instructions' for the red button; procedures add their own kind later.
    kind: text('kind').notNull(),
    source: text('source'),
    position: smallint('position').notNull(),
    label: text('label').notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    checkedBy: uuid('checked_by').references(() => staff.id),
  },
  (t) => [index('checklist_ticket_idx').on(t.ticketId, t.kind, t.position)],
);

import { Type, type Static, type TSchema } from 'typebox';
import { CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../../../../common/src/tickets';
import { ContactInput, ContactView } from '../contacts/contact.schemas';
import { SLA_FILTERS } from './sla-filter';

// A JSON-schema enum typed as the union of its values (OpenAPI shows it as an enum).
export const literals = <T extends readonly string[]>(values: T, opts: { description?: string } = {}) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Status = literals(TICKET_STATUSES);
export const Priority = literals(TICKET_PRIORITIES);
export const TicketTypeSchema = literals(TICKET_TYPES);
export const ChannelSchema = literals(CHANNELS);
export const SlaFilterSchema = literals(SLA_FILTERS);
export const LevelSchema = Type.Integer({ minimum: 1, maximum: 3 });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 });

export const TicketRef = Type.Object({
  ref: Type.String({ minLength: 1, maxLength: 64, description: 'Ticket id (uuid) or number (NUM-10001)' }),
});

export const CreateTicketInput = Type.Object(
  {
    contactId: Type.Optional(Type.String({ format: 'uuid' })),
    contact: Type.Optional(ContactInput),
    subject: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Type.String({ maxLength: 50000 })),
    channel: ChannelSchema,
    type: Type.Optional(TicketTypeSchema),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    priority: Type.Optional(Priority),
    level: Type.Optional(LevelSchema),
    queue: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Queue slug or id; default queue when absent' })),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);
export type CreateTicketInput = Static<typeof CreateTicketInput>;

export const QualifyInput = Type.Object(
  {
    type: Type.Optional(TicketTypeSchema),
    category: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    priority: Type.Optional(Priority),
    level: Type.Optional(LevelSchema),
    queue: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    tags: Type.Optional(Tags),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type QualifyInput = Static<typeof QualifyInput>;

export const AssignInput = Type.Object(
  {
    assigneeId: Type.Union([Type.String({ format: 'uuid' }), Type.Literal('me'), Type.Null()], {
      description: 'Staff id, "me" to take the ticket, or null to release it',
    }),
  },
  { additionalProperties: false },
);

export const MessageInput = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: 50000 }),
    visibility: Type.Union([Type.Literal('public'), Type.Literal('internal')]),
    attachmentIds: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), {
        maxItems: 10,
        uniqueItems: true,
        description: 'Files already uploaded to the ticket (POST /tickets/:ref/attachments) to send with the reply: as media on WhatsApp, MIME attachments by email; an SMS gives a link to them',
      }),
    ),
    lastSeenMessageId: Type.Optional(
      Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
        description:
          'Collision detection for public replies: the id of the latest message of the ticket you have read (null: none yet). If a client message or another public reply has arrived since, nothing is written and the answer is 409 REPLY_CONFLICT, whose error.details lists them (messages: id, author, channel, createdAt, excerpt) with latestMessageId: read them, then send again with that id to reply anyway. Leave it out to send without the check; ignored for internal notes.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type MessageInput = Static<typeof MessageInput>;

export const VendorInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const StatusInput = Type.Object(
  {
    status: Status,
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    vendor: Type.Optional(VendorInput),
  },
  { additionalProperties: false },
);
export type StatusInput = Static<typeof StatusInput>;

export const EscalateInput = Type.Object(
  {
    to: Type.Union([Type.Literal(2), Type.Literal(3), Type.Literal('vendor')]),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
    vendor: Type.Optional(VendorInput),
  },
  { additionalProperties: false },
);
export type EscalateInput = Static<typeof EscalateInput>;

export const CyberEmergencyInput = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
  { additionalProperties: false },
);

export const DismissPossibleEmergencyInput = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 500, description: 'Why this is not an emergency, in a few words (kept in the timeline)' }) },
  { additionalProperties: false },
);

export const ChecklistPatch = Type.Object({ checked: Type.Boolean() }, { additionalProperties: false });

export const SlaView = Type.Object({
  firstResponseDueAt: Nullable(Type.String({ format: 'date-time' })),
  resolutionDueAt: Nullable(Type.String({ format: 'date-time' })),
  firstRespondedAt: Nullable(Type.String({ format: 'date-time' })),
  firstResponseBreached: Type.Boolean(),
  resolutionBreached: Type.Boolean(),
  paused: Type.Boolean(),
  resolutionRemainingSeconds: Nullable(Type.Integer()),
});

export const ChecklistItemView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  label: Type.String(),
  position: Type.Integer(),
  checked: Type.Boolean(),
  checkedAt: Nullable(Type.String({ format: 'date-time' })),
  checkedBy: Nullable(Type.String()),
});

export const TicketView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String(),
  subject: Type.String(),
  description: Type.String(),
  status: Status,
  statusLabel: Type.String(),
  channel: ChannelSchema,
  type: TicketTypeSchema,
  category: Nullable(Type.String()),
  priority: Priority,
  level: Type.Integer(),
  queue: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }),
  assignee: Nullable(Type.Object({ id: Type.String(), name: Type.String(), level: Nullable(Type.Integer()) })),
  contactId: Type.String(),
  contact: Type.Optional(ContactView),
  tags: Type.Array(Type.String()),
  cyberEmergency: Type.Boolean(),
  cyberEmergencyAt: Nullable(Type.String({ format: 'date-time' })),
  vendor: Nullable(Type.Object({ name: Type.String(), reference: Nullable(Type.String()) })),
  policyHolds: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
  possibleEmergency: Nullable(
    Type.Object({ score: Type.Number(), reasons: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), excerpt: Type.String() })), at: Type.String() }, { description: 'Set by triage: looks like a scam or an attack in progress' }),
  ),
  sla: SlaView,
  checklist: Type.Optional(Type.Array(ChecklistItemView)),
  verificationCode: Type.Optional(
    Type.String({ pattern: '^[0-9]{4}$', description: 'Code the client also sees in the portal today (Europe/Paris day): read it out so they know the call is genuine. On single-ticket answers.' }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type TicketView = Static<typeof TicketView>;

export const TicketListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Status, Type.Array(Status, { maxItems: 10 })])),
    level: Type.Optional(LevelSchema),
    queue: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Staff id, "me", or "none" for unassigned' })),
    cyberEmergency: Type.Optional(Type.Boolean()),
    contactId: Type.Optional(Type.String({ format: 'uuid' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    possibleEmergency: Type.Optional(
      literals(['unconfirmed'] as const, {
        description:
          'unconfirmed: open tickets the triage flagged as a possible cyber emergency that nobody has confirmed (red button) or dismissed yet. Sorted oldest first (unless sla is given too).',
      }),
    ),
    sla: Type.Optional(
      Type.Union([SlaFilterSchema, Type.Array(SlaFilterSchema, { maxItems: 2 })], {
        description:
          'Open tickets whose deadline (first response until given, then resolution) is breached, or due within the hour (due_soon, clock running). Repeat for both. Sorted by that deadline, soonest first.',
      }),
    ),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  },
  { additionalProperties: false },
);
export type TicketListQuery = Static<typeof TicketListQuery>;

export const EventView = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  actor: Type.Object({ kind: Type.String(), id: Nullable(Type.String()), name: Nullable(Type.String()) }),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
});

export const MessageView = Type.Object({
  id: Type.String(),
  visibility: Type.String(),
  channel: Type.String(),
  body: Type.String(),
  author: Type.Object({ kind: Type.String(), id: Nullable(Type.String()), name: Nullable(Type.String()) }),
  createdAt: Type.String({ format: 'date-time' }),
  direction: Nullable(Type.String({ description: 'inbound (from the client on a channel), outbound (a public reply), null for notes' })),
  delivery: Nullable(
    Type.Object({
      status: Type.String({ description: 'pending, sent, delivered, read or failed' }),
      error: Nullable(Type.String()),
      updatedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  attachments: Type.Array(Type.Object({ id: Type.String(), filename: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer() })),
});

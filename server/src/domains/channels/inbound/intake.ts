import { and, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { ACTIVE_STATUSES, type TicketStatus } from '../../../../../common/src/tickets';
import type { AppContext } from '../../../platform/context';
import type { DB, Tx } from '../../../platform/db';
import { AppError } from '../../../platform/errors';
import { recordEvent, signalSql, type Actor } from '../../../platform/events';
import { notifyContact } from '../../../platform/contact-notifications';
import { pgErrorCode, UNIQUE_VIOLATION } from '../../../platform/pg-errors';
import { preparedStatement } from '../../../platform/prepared';
import { contactIdentities } from '../../contacts/contact.schema';
import { matchOrCreateContact } from '../../contacts/contact-service';
import { normalizeEmail, normalizePhone } from '../../contacts/identities';
import type { SecretKind } from '../../knowledge/guard';
import { portalRatings } from '../../portal/portal.schema';
import { ratedTicketFor } from '../outbound/rating-question';
import { removeStored, safeFilename, storeAttachment, type StoredFile } from '../../tickets/attachment-storage';
import { applyStatus } from '../../tickets/ticket-commands';
import { createTicket } from '../../tickets/ticket-intake';
import { attachments, messages, tickets } from '../../tickets/ticket.schema';
import { lockTicket, snapshot, type TicketRow } from '../../tickets/ticket-store';
import { emailReplyTokens } from '../channel.schema';
import { magicLinkFor } from '../outbound/portal-link';
import { startConversation } from './new-conversation';
import { guardInbound } from './secret-guard';

export type InboundChannel = 'email' | 'whatsapp' | 'sms' | 'phone';

/**
 * A client's message after a resolution reopens the ticket (as Zendesk and most helpdesks do:
 * "it is not solved" rarely comes with the right words), unless it is a satisfaction answer or a
 * reaction. Past this many days, a new message starts a new ticket instead.
 */
export const REOPEN_WINDOW_DAYS = 7;

export interface InboundSender {
  /** E.164 or a French national number; invalid or hidden numbers are passed as null. */
  phone?: string | null;
  email?: string | null;
  /** WhatsApp id (the number in international form); also matches a contact known by that phone. */
  whatsappId?: string | null;
  name?: string | null;
}

export interface InboundAttachment {
  filename: string;
  bytes: Buffer;
}

export interface InboundDetails {
  kind: string;
  sender?: string | null;
  subject?: string | null;
  fullText?: string | null;
  data?: Record<string, unknown>;
}

export interface InboundMessage {
  channel: InboundChannel;
  /** WhatsApp wamid, Twilio MessageSid / CallSid / RecordingSid, email Message-ID. */
  providerMessageId: string;
  from: InboundSender;
  /** What the client wrote (for email: the new text, quotes and signature removed). */
  text: string;
  /** Email threading signals, tried in this order: reply-address token, Message-IDs, ticket number in the subject. */
  thread?: { replyToken?: string | null; messageIds?: string[]; ticketNumbers?: string[] };
  /** Subject of a new ticket; derived from the text when absent. */
  subject?: string | null;
  /** Queue of a new ticket (phone menu); the default queue otherwise. */
  queue?: string | null;
  attachments?: InboundAttachment[];
  details?: InboundDetails;
  inboxId?: string | null;
  /** The delivery holds only this message: mark it processed in the same transaction (one commit less). */
  closeInbox?: boolean;
  /** Timeline event type (default `message.received`; calls use `call.received`, `voicemail.received`). */
  eventType?: string;
  /** Reactions and the like: recorded, but they do not reopen a resolved ticket. */
  passive?: boolean;
  /** A satisfaction answer (1–5) read by the channel: recorded, no reopening. */
  rating?: number | null;
  /** Send the "ticket received" confirmation when a ticket is created (default true). */
  confirm?: boolean;
}

export interface InboundResult {
  outcome: 'created' | 'threaded' | 'duplicate';
  ticketId: string;
  ticketNumber: string;
  contactId: string;
  messageId: string;
  masked: SecretKind[];
  refusedAttachments: string[];
  /** The inbox row was marked processed with the message. */
  inboxClosed?: boolean;
}

class DuplicateDelivery extends Error {}

/**
 * The one intake of every channel: contact matched by phone / email / WhatsApp id, message
 * threaded into the client's ticket (or a new ticket), attachments stored, timeline event
 * announced to every console, status moved when the client answers. Idempotent on the
 * provider's message id: a replayed delivery returns `duplicate` and changes nothing.
 */
export async function receiveInbound(ctx: AppContext, input: InboundMessage): Promise<InboundResult> {
  // With files to store, a replay is caught before writing them; otherwise the unique index does it.
  if (input.attachments?.length) {
    const known = await findDuplicate(ctx.db, input.channel, input.providerMessageId);
    if (known) return known;
  }

  const guarded = guardInbound(input.text, (input.attachments ?? []).map((a) => a.filename));
  const stored: (StoredFile & { filename: string })[] = [];
  const refused: string[] = [];
  for (const [i, a] of (input.attachments ?? []).entries()) {
    const filename = safeFilename(guarded.filenames[i] ?? 'fichier');
    if (!a.bytes.length) continue;
    if (a.bytes.length > ctx.config.maxAttachmentBytes) {
      refused.push(`${filename} (trop volumineux)`);
      continue;
    }
    try {
      stored.push({ ...(await storeAttachment(ctx.config.dataDir, a.bytes, filename)), filename });
    } catch (err) {
      if (err instanceof AppError && err.code === 'ATTACHMENT_TYPE_REFUSED') refused.push(`${filename} (type non accepté)`);
      else throw err;
    }
  }
  let body = guarded.text.trim();
  if (refused.length) body += `${body ? '\n\n' : ''}[Pièces jointes non conservées : ${refused.join(', ')}]`;
  if (!body) body = stored.length ? `[${stored.length > 1 ? `${stored.length} pièces jointes` : 'Pièce jointe'}]` : '[Message sans texte]';
  const eventData = {
    channel: input.channel,
    excerpt: body.slice(0, 140),
    ...(guarded.kinds.length ? { secretsMasked: guarded.kinds } : {}),
  };

  // The everyday case: a client writing again in their ongoing WhatsApp or SMS conversation
  // (a satisfaction answer may be about another request: findTarget knows which).
  if (!stored.length && !guarded.kinds.length && input.rating == null && (input.channel === 'whatsapp' || input.channel === 'sms')) {
    const threaded = await threadIntoConversation(ctx, input, body, eventData);
    if (threaded === UNKNOWN_SENDER) {
      // Nobody has this number: their first message starts the conversation in one statement.
      const started = await startNewConversation(ctx, input, body, eventData);
      if (started) return { ...started, refusedAttachments: refused };
    } else if (threaded) return { ...threaded, refusedAttachments: refused };
  }

  try {
    return await ctx.db.transaction(async (tx) => {
      const txCtx: AppContext = { ...ctx, db: tx as unknown as DB };
      // One person's messages taken by two nodes at once must not make two tickets: the second
      // waits here, then finds the first one's ticket.
      const sender = senderKey(input);
      if (sender) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`relais.inbound:${sender}`}, 0))`);
      const target = await findTarget(tx, input, ctx.config.ticketPrefix);
      let ticket = target.ticket;
      const contactId = target.contactId;
      const actor: Actor = { kind: 'contact', id: contactId };
      let created = false;
      if (!ticket) {
        const intake = await createTicket(txCtx, actor, {
          contactId,
          subject: subjectFor(input, body),
          description: body,
          channel: input.channel,
          ...(input.queue ? { queue: input.queue } : {}),
        });
        // Inserted by this transaction: nobody else sees it before the commit, no lock to take.
        ticket = intake.ticket;
        created = true;
      }

      const rating = input.rating ?? null;
      const rates = rating !== null && (ticket.status === 'resolved' || ticket.status === 'closed');
      const moves = !created && !rates && (ticket.status === 'waiting_on_contact' || (ticket.status === 'resolved' && input.passive !== true));
      // The hot path in one statement (message, details, event + NOTIFY, ticket touched, delivery
      // closed); with files, the event waits for their ids.
      const inserted = await insertInboundMessage(tx, ticket, {
        channel: input.channel,
        body,
        providerMessageId: input.providerMessageId,
        details: detailsOf(input),
        event: stored.length ? null : { type: input.eventType ?? 'message.received', contactId, data: eventData },
        touch: !created && !rates && !moves,
        closeInbox: input.closeInbox && input.inboxId ? { id: input.inboxId, result: { outcome: created ? 'created' : 'threaded', ticket: ticket.number } } : null,
      });
      // Another worker stored the same delivery meanwhile: undo everything done here.
      if (!inserted) throw new DuplicateDelivery();
      const msg = { id: inserted.messageId };
      if (stored.length) {
        const files = await tx
          .insert(attachments)
          .values(stored.map((s) => ({ ticketId: ticket!.id, messageId: msg.id, filename: s.filename, contentType: s.contentType, sizeBytes: s.sizeBytes, sha256: s.sha256, storagePath: s.storagePath })))
          .returning({ id: attachments.id, filename: attachments.filename, contentType: attachments.contentType });
        await recordEvent(tx, snapshot(ticket), input.eventType ?? 'message.received', actor, { messageId: msg.id, ...eventData, attachments: files });
      }

      if (rates) {
        // One rating per request, in the portal's table: the first answer counts, on any channel.
        const saved = await tx.insert(portalRatings).values({ ticketId: ticket.id, contactId, score: rating }).onConflictDoNothing().returning({ score: portalRatings.score });
        if (saved.length) await recordEvent(tx, snapshot(ticket), 'rating.added', actor, { score: rating, channel: input.channel, messageId: msg.id });
      } else if (moves) {
        ticket = await moveOnClientMessage(tx, ticket, actor, input.passive === true);
      }

      if (created && input.confirm !== false) {
        await notifyContact(txCtx, tx, {
          contactId,
          ticketId: ticket.id,
          template: 'ticket_received',
          variables: { number: ticket.number, subject: ticket.subject, link: await magicLinkFor(ctx, tx, contactId, ticket.id) },
          channel: input.channel === 'phone' ? 'sms' : input.channel,
        });
      }
      if (guarded.kinds.length) {
        await notifyContact(txCtx, tx, {
          contactId,
          ticketId: ticket.id,
          template: 'secret_warning',
          variables: { number: ticket.number, message: guarded.warning },
          channel: input.channel === 'phone' ? 'sms' : input.channel,
        });
      }

      const inboxClosed = inserted.inboxClosed;

      return {
        inboxClosed,
        outcome: created ? 'created' : 'threaded',
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        contactId,
        messageId: msg.id,
        masked: guarded.kinds,
        refusedAttachments: refused,
      } satisfies InboundResult;
    });
  } catch (err) {
    await Promise.all(stored.map((s) => removeStored(ctx.config.dataDir, s.storagePath)));
    if (err instanceof DuplicateDelivery) {
      const dup = await findDuplicate(ctx.db, input.channel, input.providerMessageId);
      if (dup) return dup;
    }
    throw err;
  }
}

/** The client answered: the ball is back in our court; after a resolution, the ticket reopens. */
async function moveOnClientMessage(tx: Tx, t: TicketRow, actor: Actor, passive: boolean): Promise<TicketRow> {
  if (t.status === 'waiting_on_contact') return applyStatus(tx, t, 'in_progress', actor, { reason: 'Réponse du client' });
  // Back to "open" like the portal's « Ce n’est pas résolu », so the team sees it again.
  if (t.status === 'resolved' && !passive) return applyStatus(tx, t, 'open', actor, { reason: 'Le client a répondu après la résolution' });
  return t;
}

function detailsOf(input: InboundMessage): FusedInsert['details'] {
  if (!input.details && !input.inboxId) return null;
  return {
    inboxId: input.inboxId ?? null,
    kind: input.details?.kind ?? input.channel,
    sender: input.details?.sender ?? null,
    subject: input.details?.subject ?? null,
    fullText: input.details?.fullText != null ? guardInbound(input.details.fullText).text : null,
    data: input.details?.data ?? {},
  };
}

/**
 * The hot path of WhatsApp and SMS, as ONE statement (one round trip, one commit): the sender
 * known by exactly this identity, their ongoing ticket on this channel (the same choice as
 * findTarget, locked), and — when the message changes nothing but the ticket's date — the
 * message, its details, the timeline event announced to every node and the delivery closed.
 * Anything else (new client, new ticket, a status to move, a duplicate to report) returns
 * null, and the full transaction below does it.
 */
async function threadIntoConversation(ctx: AppContext, input: InboundMessage, body: string, eventData: Record<string, unknown>): Promise<Omit<InboundResult, 'refusedAttachments'> | typeof UNKNOWN_SENDER | null> {
  const kind = input.channel === 'whatsapp' ? 'whatsapp' : 'phone';
  const number = input.channel === 'whatsapp' ? safePhone(input.from.whatsappId ? `+${input.from.whatsappId.replace(/^\+/, '')}` : null) : safePhone(input.from.phone);
  if (!number) return null;
  const d = detailsOf(input);
  const rows = await threadStatement(ctx.database, ctx.db, {
    kind,
    number,
    channel: input.channel,
    body,
    providerMessageId: input.providerMessageId,
    hasDetails: d !== null,
    inboxId: d?.inboxId ?? null,
    detailsKind: d?.kind ?? '',
    detailsSender: d?.sender ?? null,
    detailsSubject: d?.subject ?? null,
    detailsFullText: d?.fullText ?? null,
    detailsData: JSON.stringify(d?.data ?? {}),
    closeInbox: input.closeInbox && input.inboxId ? input.inboxId : null,
    type: input.eventType ?? 'message.received',
    eventData: JSON.stringify(eventData),
  });
  const row = rows.rows[0];
  if (row && !row.contact_id) return UNKNOWN_SENDER;
  if (!row?.ticket_id || !row.contact_id || !row.number) return null;
  if (!row.message_id) return findDuplicate(ctx.db, input.channel, input.providerMessageId);
  return { outcome: 'threaded', ticketId: row.ticket_id, ticketNumber: row.number, contactId: row.contact_id, messageId: row.message_id, masked: [], inboxClosed: row.closed };
}

interface ThreadValues extends Record<string, unknown> {
  kind: 'whatsapp' | 'phone';
  number: string;
  channel: string;
  body: string;
  providerMessageId: string;
  hasDetails: boolean;
  inboxId: string | null;
  detailsKind: string;
  detailsSender: string | null;
  detailsSubject: string | null;
  detailsFullText: string | null;
  detailsData: string;
  closeInbox: string | null;
  type: string;
  eventData: string;
}

const tv = (name: keyof ThreadValues & string) => sql.placeholder(name);

/**
 * threadIntoConversation's statement, written once per process (building and hashing it for
 * every message cost about 0.2 ms of CPU) and prepared once per connection (planning these
 * CTEs costs more than running them).
 */
const threadStatement = preparedStatement<ThreadValues, { contact_id: string | null; ticket_id: string | null; number: string | null; message_id: string | null; closed: boolean }>(
  'relais_inbound_thread',
  () => sql`
    with
    who as (
      select contact_id, kind from contact_identities
      where kind in ('phone', 'whatsapp') and value = ${tv('number')}
      order by case when kind = ${tv('kind')}::identity_kind then 0 else 1 end, created_at
      limit 1
    ),
    t as (
      select tickets.* from tickets
      where tickets.contact_id = (select contact_id from who where kind = ${tv('kind')}::identity_kind)
        and ${tickets.channel} = ${tv('channel')}::channel_kind and ${reusable()}
      order by tickets.updated_at desc
      limit 1
      for update
    ),
    ok as (select * from t where status not in ('waiting_on_contact', 'resolved', 'closed')),
    m as (
      insert into messages (ticket_id, author_kind, visibility, channel, body, direction, provider_message_id)
      select ok.id, 'contact', 'public', ${tv('channel')}::channel_kind, ${tv('body')}, 'inbound', ${tv('providerMessageId')} from ok
      on conflict do nothing
      returning id, ticket_id
    ),
    d as (
      insert into channel_message_details (message_id, inbox_id, kind, sender, subject, full_text, data)
      select m.id, ${tv('inboxId')}::uuid, ${tv('detailsKind')}, ${tv('detailsSender')}, ${tv('detailsSubject')}, ${tv('detailsFullText')}, ${tv('detailsData')}::jsonb
      from m where ${tv('hasDetails')}::boolean
    ),
    u as (
      update tickets set updated_at = now() where id = (select ticket_id from m)
    ),
    c as (
      update channel_inbox set state = 'processed', processed_at = now(), claimed_until = null, error = null,
        result = jsonb_build_object('outcome', 'threaded', 'ticket', (select number from ok))
      where id = ${tv('closeInbox')}::uuid and state = 'pending' and exists (select 1 from m)
      returning id
    ),
    e as (
      insert into ticket_events (ticket_id, type, actor_kind, actor_id, data)
      select m.ticket_id, ${tv('type')}, 'contact', (select contact_id from who), jsonb_build_object('messageId', m.id) || ${tv('eventData')}::jsonb
      from m
      returning id, created_at
    ),
    n as (
      select ${signalSql({
        eventId: sql`e.id`,
        at: sql`e.created_at`,
        type: sql`${tv('type')}::text`,
        ticketId: sql`ok.id::text`,
        number: sql`ok.number`,
        status: sql`ok.status::text`,
        level: sql`ok.level::int`,
        queueId: sql`ok.queue_id::text`,
        assigneeId: sql`ok.assignee_id::text`,
        cyberEmergency: sql`ok.cyber_emergency`,
      })} from e, ok
    )
    select (select contact_id from who) as contact_id, ok.id as ticket_id, ok.number, (select id from m) as message_id,
           exists (select 1 from c) as closed, (select count(*) from n) as notified
    from (select 1) as one left join ok on true`,
);

/** threadIntoConversation's answer when no contact has the sender's number. */
const UNKNOWN_SENDER = 'unknown sender' as const;

/**
 * A first message from a number nobody has, with nothing else to do than start the conversation
 * (no email to match too): contact, ticket, message, confirmation in one statement
 * (new-conversation.ts). Null when the sender became known meanwhile: the full transaction below
 * takes over, as it does for everything else.
 */
async function startNewConversation(ctx: AppContext, input: InboundMessage, body: string, eventData: Record<string, unknown>): Promise<Omit<InboundResult, 'refusedAttachments'> | null> {
  const channel = input.channel === 'whatsapp' ? 'whatsapp' : 'sms';
  const whatsapp = safePhone(input.from.whatsappId ? `+${input.from.whatsappId.replace(/^\+/, '')}` : null);
  const phone = safePhone(input.from.phone);
  const number = channel === 'whatsapp' ? whatsapp : phone;
  const sender = senderKey(input);
  // One identity only, the one the conversation is on; anything richer goes through matchSender.
  if (!number || !sender || input.from.email || (whatsapp && phone && whatsapp !== phone) || (channel === 'sms' && whatsapp)) return null;
  const started = await startConversation(ctx, {
    channel,
    number,
    name: (input.from.name ?? '').trim().slice(0, 200) || number,
    lockKey: `relais.inbound:${sender}`,
    subject: subjectFor(input, body),
    body,
    providerMessageId: input.providerMessageId,
    queue: input.queue ?? null,
    inboxId: input.inboxId ?? null,
    closeInbox: input.closeInbox === true && !!input.inboxId,
    details: detailsOf(input),
    eventType: input.eventType ?? 'message.received',
    eventData,
    confirm: input.confirm !== false,
  }).catch(async (err: unknown) => {
    // This message is stored already (a replayed delivery whose sender's number has changed
    // since): the statement wrote nothing.
    if (pgErrorCode(err) === UNIQUE_VIOLATION && (await findDuplicate(ctx.db, input.channel, input.providerMessageId))) return null;
    throw err;
  });
  return started ? { outcome: 'created', ticketId: started.ticketId, ticketNumber: started.ticketNumber, contactId: started.contactId, messageId: started.messageId, masked: [], inboxClosed: started.inboxClosed } : null;
}

interface FusedInsert {
  channel: InboundChannel;
  body: string;
  providerMessageId: string;
  details: { inboxId: string | null; kind: string; sender: string | null; subject: string | null; fullText: string | null; data: Record<string, unknown> } | null;
  event: { type: string; contactId: string; data: Record<string, unknown> } | null;
  touch: boolean;
  closeInbox: { id: string; result: Record<string, unknown> } | null;
}

/**
 * One statement, one round trip: the message (nothing at all if its provider id is already
 * stored), its channel details, the timeline event announced to every node at commit (same
 * signal as recordEvent), the ticket's updated_at, and the inbox delivery marked processed.
 */
async function insertInboundMessage(tx: Tx, t: TicketRow, f: FusedInsert): Promise<{ messageId: string; inboxClosed: boolean } | null> {
  const d = f.details;
  const e = f.event;
  const rows = await tx.execute<{ id: string; closed: boolean }>(sql`
    with m as (
      insert into messages (ticket_id, author_kind, visibility, channel, body, direction, provider_message_id)
      values (${t.id}::uuid, 'contact', 'public', ${f.channel}::channel_kind, ${f.body}, 'inbound', ${f.providerMessageId})
      on conflict do nothing
      returning id
    ),
    d as (
      insert into channel_message_details (message_id, inbox_id, kind, sender, subject, full_text, data)
      select m.id, ${d?.inboxId ?? null}::uuid, ${d?.kind ?? ''}, ${d?.sender ?? null}, ${d?.subject ?? null}, ${d?.fullText ?? null}, ${JSON.stringify(d?.data ?? {})}::jsonb
      from m where ${d !== null}
    ),
    u as (
      update tickets set updated_at = now() where id = ${t.id}::uuid and ${f.touch} and exists (select 1 from m)
    ),
    c as (
      update channel_inbox set state = 'processed', processed_at = now(), claimed_until = null, error = null, result = ${JSON.stringify(f.closeInbox?.result ?? {})}::jsonb
      where id = ${f.closeInbox?.id ?? null}::uuid and state = 'pending' and exists (select 1 from m)
      returning id
    ),
    e as (
      insert into ticket_events (ticket_id, type, actor_kind, actor_id, data)
      select ${t.id}::uuid, ${e?.type ?? ''}, 'contact', ${e?.contactId ?? null}::uuid, jsonb_build_object('messageId', m.id) || ${JSON.stringify(e?.data ?? {})}::jsonb
      from m where ${e !== null}
      returning id, created_at
    ),
    n as (
      select ${signalSql({
        eventId: sql`e.id`,
        at: sql`e.created_at`,
        type: sql`${e?.type ?? ''}::text`,
        ticketId: sql`${t.id}::text`,
        number: sql`${t.number}::text`,
        status: sql`${t.status}::text`,
        level: sql`${t.level}::int`,
        queueId: sql`${t.queueId}::text`,
        assigneeId: sql`${t.assigneeId}::text`,
        cyberEmergency: sql`${t.cyberEmergency}::boolean`,
      })} from e
    )
    select m.id, exists (select 1 from c) as closed, (select count(*) from n) as notified from m`);
  const row = rows.rows[0];
  return row ? { messageId: row.id, inboxClosed: row.closed } : null;
}

async function findDuplicate(db: DB, channel: InboundChannel, providerMessageId: string): Promise<InboundResult | null> {
  const rows = await db
    .select({ messageId: messages.id, ticketId: tickets.id, number: tickets.number, contactId: tickets.contactId })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(and(eq(messages.channel, channel), eq(messages.providerMessageId, providerMessageId)))
    .limit(1);
  const r = rows[0];
  return r ? { outcome: 'duplicate', ticketId: r.ticketId, ticketNumber: r.number, contactId: r.contactId, messageId: r.messageId, masked: [], refusedAttachments: [] } : null;
}

interface Target {
  contactId: string;
  ticket: TicketRow | null;
}

const reusable = () =>
  and(
    ne(tickets.status, 'closed'),
    or(ne(tickets.status, 'resolved'), gt(tickets.resolvedAt, sql`now() - make_interval(days => ${REOPEN_WINDOW_DAYS})`), isNull(tickets.resolvedAt)),
  );

/**
 * WhatsApp and SMS: a conversation; the client's latest ticket on that channel that is still
 * going (a satisfaction answer may also land on one closed since it was asked).
 */
function conversationTicket(input: InboundMessage) {
  const rating = input.rating != null;
  return and(
    eq(tickets.channel, input.channel),
    rating ? or(reusable(), and(eq(tickets.status, 'closed'), gt(tickets.closedAt, sql`now() - make_interval(days => ${REOPEN_WINDOW_DAYS})`))) : reusable(),
  )!;
}

/** Which ticket the message belongs to, and who wrote it. */
async function findTarget(tx: Tx, input: InboundMessage, prefix: string): Promise<Target> {
  if (input.channel === 'email' && input.thread) {
    // A reply token or one of our Message-IDs is a secret only the recipient of our mail knows:
    // the ticket is the one it names, whoever forwarded it.
    const byToken = input.thread.replyToken
      ? await tx.select({ id: emailReplyTokens.ticketId }).from(emailReplyTokens).where(eq(emailReplyTokens.token, input.thread.replyToken)).limit(1)
      : [];
    const byIds =
      !byToken[0] && input.thread.messageIds?.length
        ? await tx
            .select({ id: messages.ticketId })
            .from(messages)
            .where(and(eq(messages.channel, 'email'), inArray(messages.providerMessageId, input.thread.messageIds)))
            .orderBy(desc(messages.createdAt))
            .limit(1)
        : [];
    const id = byToken[0]?.id ?? byIds[0]?.id;
    if (id) {
      const t = await lockTicket(tx, id);
      if (t.status !== 'closed') return { contactId: t.contactId, ticket: t };
      return { contactId: t.contactId, ticket: null };
    }
  }

  const { id: contactId, created } = await matchSender(tx, input);
  // Someone we did not know has no ticket yet.
  if (created) return { contactId, ticket: null };

  if (input.channel === 'email') {
    // A ticket number in the subject is guessable: only the ticket's own client may thread by it.
    const numbers = (input.thread?.ticketNumbers ?? []).filter((n) => n.startsWith(`${prefix}-`));
    if (numbers.length) {
      const rows = await tx
        .select({ id: tickets.id })
        .from(tickets)
        .where(and(inArray(tickets.number, numbers), eq(tickets.contactId, contactId), reusable()))
        .orderBy(desc(tickets.updatedAt))
        .limit(1);
      if (rows[0]) return { contactId, ticket: await lockTicket(tx, rows[0].id) };
    }
    return { contactId, ticket: null };
  }

  if (input.channel === 'phone') {
    const active = ACTIVE_STATUSES as readonly TicketStatus[];
    const rows = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .where(
        and(
          eq(tickets.contactId, contactId),
          inArray(tickets.status, [...active]),
          input.queue ? sql`${tickets.queueId} = (select id from queues where slug = ${input.queue} or id::text = ${input.queue})` : undefined,
        ),
      )
      .orderBy(desc(tickets.updatedAt))
      .limit(1);
    return { contactId, ticket: rows[0] ? await lockTicket(tx, rows[0].id) : null };
  }

  // A satisfaction answer rates the request its question was about, whatever channel that came by.
  if (input.rating != null) {
    const rated = await ratedTicketFor(tx, contactId, input.channel, (input.details?.data as { inReplyTo?: string } | undefined)?.inReplyTo ?? null);
    if (rated) return { contactId, ticket: await lockTicket(tx, rated) };
  }

  const rows = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.contactId, contactId), conversationTicket(input)))
    .orderBy(desc(tickets.updatedAt))
    .limit(1)
    // Read and locked in one statement: the message, status and event apply to it in turn.
    .for('update');
  return { contactId, ticket: rows[0] ?? null };
}

function safePhone(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    return normalizePhone(value);
  } catch {
    return null;
  }
}

function safeEmail(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    return normalizeEmail(value);
  } catch {
    return null;
  }
}

/** Who wrote, as matchSender first looks them up: the number (WhatsApp id or phone) in E.164, else the email. */
function senderKey(input: InboundMessage): string | null {
  return safePhone(input.from.whatsappId ? `+${input.from.whatsappId.replace(/^\+/, '')}` : null) ?? safePhone(input.from.phone) ?? safeEmail(input.from.email);
}

/**
 * The same person whichever way they reach us: a WhatsApp number matches the contact known by
 * that phone number (and the other way round), but only the identity actually used is added, so
 * an SMS sender is never assumed to have WhatsApp.
 */
async function matchSender(tx: Tx, input: InboundMessage): Promise<{ id: string; created: boolean }> {
  const phone = safePhone(input.from.phone);
  const whatsapp = safePhone(input.from.whatsappId ? `+${input.from.whatsappId.replace(/^\+/, '')}` : null);
  const email = safeEmail(input.from.email);
  const number = whatsapp ?? phone;
  const own: { kind: 'phone' | 'email' | 'whatsapp'; value: string }[] = [];
  if (whatsapp) own.push({ kind: 'whatsapp', value: whatsapp });
  if (phone) own.push({ kind: 'phone', value: phone });
  if (email) own.push({ kind: 'email', value: email });

  const conds = [];
  if (number) conds.push(and(inArray(contactIdentities.kind, ['phone', 'whatsapp']), eq(contactIdentities.value, number)));
  if (email) conds.push(and(eq(contactIdentities.kind, 'email'), eq(contactIdentities.value, email)));
  if (conds.length) {
    const rows = await tx
      .select({ contactId: contactIdentities.contactId, kind: contactIdentities.kind, value: contactIdentities.value })
      .from(contactIdentities)
      .where(or(...conds))
      // The exact identity first (a WhatsApp id over a phone), then the oldest contact.
      .orderBy(sql`case when ${contactIdentities.kind} = ${own[0]?.kind ?? 'phone'} then 0 else 1 end`, contactIdentities.createdAt)
      .limit(1);
    const found = rows[0]?.contactId;
    if (found) {
      // Known by another identity (a WhatsApp number first seen as a phone): remember this one too.
      const missing = own.filter((i) => !(i.kind === rows[0]!.kind && i.value === rows[0]!.value));
      if (missing.length) await tx.insert(contactIdentities).values(missing.map((i) => ({ contactId: found, ...i }))).onConflictDoNothing();
      return { id: found, created: false };
    }
  }
  const name = (input.from.name ?? '').trim().slice(0, 200) || number || email || 'Correspondant inconnu';
  const preferredChannel = input.channel === 'phone' ? 'phone' : input.channel;
  // Created, or found after all (another intake created them meanwhile).
  return matchOrCreateContact(tx, {
    name,
    preferredChannel,
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
    ...(whatsapp ? { whatsappId: whatsapp } : {}),
  });
}

/** A new ticket's subject: the email subject (without Re:/TR:), else the first words of the message. */
function subjectFor(input: InboundMessage, body: string): string {
  const raw = (input.subject ?? '').replace(/^\s*((re|tr|fw|fwd|réf|ref)\s*:\s*)+/i, '').trim();
  if (raw) return raw.slice(0, 300);
  const firstLine = body.split('\n').find((l) => l.trim())?.trim() ?? '';
  const label = { whatsapp: 'Message WhatsApp', sms: 'SMS', email: 'Email', phone: 'Appel' }[input.channel];
  if (!firstLine || firstLine.startsWith('[')) return label;
  return firstLine.length > 80 ? `${firstLine.slice(0, 77).trimEnd()}…` : firstLine;
}


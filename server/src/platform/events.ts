import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from './db';
import { preparedStatement } from './prepared';

export const EVENTS_CHANNEL = 'relais_events';
export const NOTIFICATIONS_CHANNEL = 'relais_notifications';

export type Actor = { kind: 'staff'; id: string } | { kind: 'contact'; id: string } | { kind: 'system' };
export const SYSTEM: Actor = { kind: 'system' };

/** What every app node receives for each ticket event; small, so consoles refetch what they need. */
export interface TicketEventSignal {
  id: number;
  ticketId: string;
  number: string;
  type: string;
  status: string;
  level: number;
  queueId: string;
  assigneeId: string | null;
  cyberEmergency: boolean;
  at: string;
}

export interface TicketSnapshot {
  id: string;
  number: string;
  status: string;
  level: number;
  queueId: string;
  assigneeId: string | null;
  cyberEmergency: boolean;
}

/**
 * Writes a timeline row and signals every app node, in one statement of the caller's
 * transaction: NOTIFY is delivered at commit, so a rolled-back change is never announced.
 */
export async function recordEvent(
  tx: Executor,
  ticket: TicketSnapshot,
  type: string,
  actor: Actor,
  data: Record<string, unknown> = {},
): Promise<void> {
  const actorId = actor.kind === 'system' ? null : actor.id;
  await tx.execute(sql`
    with e as (
      insert into ticket_events (ticket_id, type, actor_kind, actor_id, data)
      values (${ticket.id}, ${type}, ${actor.kind}, ${actorId}, ${JSON.stringify(data)}::jsonb)
      returning id, created_at
    )
    select ${signalSql({
      eventId: sql`e.id`,
      at: sql`e.created_at`,
      type: sql`${type}::text`,
      ticketId: sql`${ticket.id}::text`,
      number: sql`${ticket.number}::text`,
      status: sql`${ticket.status}::text`,
      level: sql`${ticket.level}::int`,
      queueId: sql`${ticket.queueId}::text`,
      assigneeId: sql`${ticket.assigneeId}::text`,
      cyberEmergency: sql`${ticket.cyberEmergency}::boolean`,
    })}
    from e`);
}

type SignalFields = Record<'eventId' | 'at' | 'type' | 'ticketId' | 'number' | 'status' | 'level' | 'queueId' | 'assigneeId' | 'cyberEmergency', SQL>;

/** The NOTIFY that carries a TicketEventSignal; one shape for every statement that writes events. */
export function signalSql(f: SignalFields): SQL {
  return sql`pg_notify(${EVENTS_CHANNEL}, ${signalPayloadSql(f)})`;
}

/** A TicketEventSignal as text, for a statement that announces its events after its commit (publishSignals). */
export function signalPayloadSql(f: SignalFields): SQL {
  return sql`json_build_object(
      'id', ${f.eventId}, 'ticketId', ${f.ticketId}, 'number', ${f.number}, 'type', ${f.type},
      'status', ${f.status}, 'level', ${f.level}, 'queueId', ${f.queueId},
      'assigneeId', ${f.assigneeId}, 'cyberEmergency', ${f.cyberEmergency}, 'at', ${f.at})::text`;
}

/**
 * Announces TicketEventSignals (signalPayloadSql) to every app node, in order, once their
 * transaction has committed. PostgreSQL serialises the commits of all transactions that NOTIFY
 * (a cluster-wide lock held until the commit is flushed to disk), so a hot path that writes
 * many small transactions commits faster when it announces after its commit than with the
 * NOTIFY inside. The price: a process that dies between the commit and this call loses the
 * live signal, not the change (a console reloads its queue at the next signal or reconnection).
 * Resolves once the signals are sent.
 */
export function publishSignals(database: Database, payloads: readonly string[]): Promise<void> {
  if (!payloads.length) return Promise.resolve();
  let outbox = outboxes.get(database);
  if (!outbox) outboxes.set(database, (outbox = new SignalOutbox(database)));
  return outbox.add(payloads);
}

const sendSignals = preparedStatement<{ payloads: string }, never>('relais_signals', () => sql`
  select pg_notify(${EVENTS_CHANNEL}, s) from jsonb_array_elements_text(${sql.placeholder('payloads')}::jsonb) with ordinality x(s, n) order by n`);

/**
 * One statement at a time per node: signals published while one is being sent leave together
 * with the next, so a busy node sends one statement for many tickets instead of one each.
 * Batches go out in the order they were filled, and a ticket's signals stay in one batch.
 */
class SignalOutbox {
  private queued: string[] = [];
  private next: Promise<void> | null = null;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(private readonly database: Database) {}

  add(payloads: readonly string[]): Promise<void> {
    this.queued.push(...payloads);
    this.next ??= this.inFlight.then(() => this.send());
    return this.next;
  }

  private async send(): Promise<void> {
    const payloads = this.queued;
    this.queued = [];
    this.next = null;
    const sending = sendSignals(this.database, this.database.db, { payloads: JSON.stringify(payloads) });
    this.inFlight = sending.catch(() => undefined);
    await sending;
  }
}

const outboxes = new WeakMap<Database, SignalOutbox>();

export interface Audience {
  roles?: string[];
  /** Agents of exactly this level (plus the roles above). */
  agentLevel?: number;
  staffIds?: string[];
}

export interface NotificationSignal {
  kind: string;
  audience: Audience;
  title: string;
  ticketId?: string;
  number?: string;
  data?: Record<string, unknown>;
  /** A refresh signal for open screens (a list changed), not something to show to a person. */
  quiet?: boolean;
}

/** Sends a notification to the consoles of an audience, at commit. */
export async function notifyStaff(tx: Executor, signal: NotificationSignal): Promise<void> {
  await tx.execute(sql`select pg_notify(${NOTIFICATIONS_CHANNEL}, ${JSON.stringify(signal)})`);
}

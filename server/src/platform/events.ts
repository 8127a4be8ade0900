import { sql } from 'drizzle-orm';
import type { Executor } from './db';

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
    select pg_notify(${EVENTS_CHANNEL}, json_build_object(
      'id', e.id, 'ticketId', ${ticket.id}::text, 'number', ${ticket.number}::text, 'type', ${type}::text,
      'status', ${ticket.status}::text, 'level', ${ticket.level}::int, 'queueId', ${ticket.queueId}::text,
      'assigneeId', ${ticket.assigneeId}::text, 'cyberEmergency', ${ticket.cyberEmergency}::boolean,
      'at', e.created_at)::text)
    from e`);
}

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
}

/** Sends a notification to the consoles of an audience, at commit. */
export async function notifyStaff(tx: Executor, signal: NotificationSignal): Promise<void> {
  await tx.execute(sql`select pg_notify(${NOTIFICATIONS_CHANNEL}, ${JSON.stringify(signal)})`);
}

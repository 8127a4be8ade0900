import { randomUUID } from 'node:crypto';
import type { Database } from './db';
import { EVENTS_CHANNEL, NOTIFICATIONS_CHANNEL, type NotificationSignal, type TicketEventSignal } from './events';
import { DEFAULT_PRESENCE_TTL, parsePresence, PRESENCE_CHANNEL, PresenceRoster, presenceTicket, publishPresence, type PresenceInput, type PresenceSignal, type PresenceViewer } from './presence';

export interface RealtimeViewer {
  staffId: string;
  role: string;
  level: number | null;
  /** Shown to colleagues on the ticket they have open (presence). */
  name?: string;
}

export type RealtimeMessage =
  | { type: 'ticket.event'; event: TicketEventSignal }
  | { type: 'notification'; notification: NotificationSignal }
  | { type: 'presence'; ticketId: string; viewers: PresenceViewer[] }
  | { type: 'error'; code: string; message: string };

interface Subscriber {
  id: string;
  viewer: RealtimeViewer;
  send: (msg: RealtimeMessage) => void;
  /** Tickets this socket said it has open: it receives their presence, and "left" for each when it closes. */
  watching: Set<string>;
  /** Client messages are handled one after the other, in the order sent. */
  queue: Promise<void>;
  tokens: number;
  refilledAt: number;
}

export interface Subscription {
  id: string;
  /** A text frame from the console; any problem is answered with an error frame, never thrown. */
  receive(data: string): void;
  close(): void;
}

/** A console has a handful of ticket tabs open at most; this bounds what one socket can make every node hold. */
export const MAX_WATCHED_TICKETS = 10;
const MAX_FRAME_BYTES = 2048;
// Token bucket per socket: a burst of 20 messages, then 2 a second (typing sends one every 2 s or so).
const BURST = 20;
const REFILL_PER_SECOND = 2;

/** Technicians only follow the tickets they are assigned; every other staff member sees the hotline live. */
export function canSeeEvent(viewer: RealtimeViewer, event: Pick<TicketEventSignal, 'assigneeId'>): boolean {
  if (viewer.role === 'technician') return event.assigneeId === viewer.staffId;
  return true;
}

export function isInAudience(viewer: RealtimeViewer, n: NotificationSignal): boolean {
  const a = n.audience;
  if (a.staffIds?.includes(viewer.staffId)) return true;
  if (a.roles?.includes(viewer.role)) return true;
  if (a.agentLevel !== undefined && viewer.role === 'agent' && viewer.level === a.agentLevel) return true;
  return false;
}

/**
 * The per-node hub: it holds only this node's sockets. Every node listens to PostgreSQL,
 * so an event committed through any node reaches the consoles connected to all of them.
 */
export class RealtimeHub {
  private subscribers = new Set<Subscriber>();
  private unlisten: Array<() => Promise<void>> = [];
  private database: Database | null = null;
  private roster = new PresenceRoster();
  private sweep: ReturnType<typeof setInterval> | null = null;
  /** How long presence lasts without a repeat; signals carry it, so the sending node decides. */
  presenceTtl = { ...DEFAULT_PRESENCE_TTL };

  async start(database: Database): Promise<void> {
    this.database = database;
    this.unlisten.push(
      await database.listen(EVENTS_CHANNEL, (payload) => this.dispatch(payload, 'event')),
      await database.listen(NOTIFICATIONS_CHANNEL, (payload) => this.dispatch(payload, 'notification')),
      await database.listen(PRESENCE_CHANNEL, (payload) => this.dispatch(payload, 'presence')),
    );
    this.sweep = setInterval(() => this.expirePresence(), 1000);
    this.sweep.unref();
  }

  async stop(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
    for (const fn of this.unlisten) await fn();
    this.unlisten = [];
    this.subscribers.clear();
  }

  subscribe(viewer: RealtimeViewer, send: Subscriber['send']): Subscription {
    const sub: Subscriber = { id: randomUUID(), viewer, send, watching: new Set(), queue: Promise.resolve(), tokens: BURST, refilledAt: Date.now() };
    this.subscribers.add(sub);
    return {
      id: sub.id,
      receive: (data) => this.receive(sub, data),
      close: () => {
        this.subscribers.delete(sub);
        // The tab is gone: its colleagues see it leave now rather than when its presence expires.
        for (const ticketId of sub.watching) void this.announce(sub, { ticketId, state: 'left' }, null).catch(() => {});
        sub.watching.clear();
      },
    };
  }

  get size(): number {
    return this.subscribers.size;
  }

  private safeSend(sub: Subscriber, msg: RealtimeMessage): void {
    try {
      sub.send(msg);
    } catch {
      // One broken socket must not stop the others from being served.
    }
  }

  private refuse(sub: Subscriber, code: string, message: string): void {
    this.safeSend(sub, { type: 'error', code, message });
  }

  private receive(sub: Subscriber, data: string): void {
    const now = Date.now();
    sub.tokens = Math.min(BURST, sub.tokens + ((now - sub.refilledAt) / 1000) * REFILL_PER_SECOND);
    sub.refilledAt = now;
    if (sub.tokens < 1) return this.refuse(sub, 'RATE_LIMITED', 'Trop de messages : ralentissez.');
    sub.tokens -= 1;
    if (data.length > MAX_FRAME_BYTES) return this.refuse(sub, 'INVALID_MESSAGE', `Message trop long (${MAX_FRAME_BYTES} octets au plus).`);
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return this.refuse(sub, 'INVALID_MESSAGE', 'Le message n’est pas du JSON.');
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return this.refuse(sub, 'INVALID_MESSAGE', 'Le message doit être un objet JSON.');
    const type = (msg as { type?: unknown }).type;
    if (type !== 'presence') return this.refuse(sub, 'INVALID_MESSAGE', `Type de message inconnu : ${JSON.stringify(type ?? null)?.slice(0, 40)}.`);
    const input = parsePresence(msg as Record<string, unknown>);
    if (typeof input === 'string') return this.refuse(sub, 'INVALID_MESSAGE', input);
    sub.queue = sub.queue
      .then(() => this.presence(sub, input))
      .catch(() => this.refuse(sub, 'UNAVAILABLE', 'Présence momentanément indisponible.'));
  }

  private async presence(sub: Subscriber, input: PresenceInput): Promise<void> {
    if (!this.subscribers.has(sub)) return;
    if (input.state === 'left') {
      // Only this socket's own entry can be removed, and only where it announced itself.
      if (sub.watching.delete(input.ticketId)) await this.announce(sub, input, this.roster.assigneeOf(input.ticketId));
      return;
    }
    if (!sub.watching.has(input.ticketId) && sub.watching.size >= MAX_WATCHED_TICKETS) {
      return this.refuse(sub, 'TOO_MANY_TICKETS', `Présence limitée à ${MAX_WATCHED_TICKETS} demandes ouvertes à la fois.`);
    }
    const ticket = await presenceTicket(this.database!.db, input.ticketId);
    // Same answer for a missing ticket and one a technician may not see: nothing to probe.
    if (!ticket || !canSeeEvent(sub.viewer, ticket)) {
      if (sub.watching.delete(input.ticketId)) await this.announce(sub, { ticketId: input.ticketId, state: 'left' }, ticket?.assigneeId ?? null);
      return this.refuse(sub, 'TICKET_NOT_FOUND', 'Aucune demande visible avec cet identifiant.');
    }
    sub.watching.add(input.ticketId);
    await this.announce(sub, input, ticket.assigneeId);
  }

  private async announce(sub: Subscriber, input: PresenceInput, assigneeId: string | null): Promise<void> {
    const v = sub.viewer;
    const signal: PresenceSignal = {
      ticketId: input.ticketId,
      assigneeId,
      conn: sub.id,
      staff: { id: v.staffId, name: v.name ?? '', role: v.role, level: v.level },
      state: input.state,
      ...(input.composing ? { composing: input.composing } : {}),
      ttlMs: this.presenceTtl.viewingMs,
      ...(input.state === 'typing' ? { typingTtlMs: this.presenceTtl.typingMs } : {}),
    };
    if (this.database) await publishPresence(this.database.db, signal);
  }

  private expirePresence(): void {
    for (const ticketId of this.roster.expire()) this.pushPresence(ticketId);
  }

  /** The ticket's roster to this node's sockets that have it open; one a technician may no longer see gets an empty one. */
  private pushPresence(ticketId: string): void {
    const assigneeId = this.roster.assigneeOf(ticketId);
    const viewers = this.roster.viewers(ticketId);
    for (const sub of this.subscribers) {
      if (!sub.watching.has(ticketId)) continue;
      this.safeSend(sub, { type: 'presence', ticketId, viewers: canSeeEvent(sub.viewer, { assigneeId }) ? viewers : [] });
    }
  }

  private dispatch(payload: string, kind: 'event' | 'notification' | 'presence'): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (kind === 'presence') {
      if (this.roster.apply(parsed)) this.pushPresence((parsed as PresenceSignal).ticketId);
      return;
    }
    if (kind === 'event') {
      const event = parsed as TicketEventSignal;
      if (this.roster.setAssignee(event.ticketId, event.assigneeId)) this.pushPresence(event.ticketId);
    }
    for (const sub of this.subscribers) {
      if (kind === 'event') {
        const event = parsed as TicketEventSignal;
        if (canSeeEvent(sub.viewer, event)) this.safeSend(sub, { type: 'ticket.event', event });
      } else {
        const notification = parsed as NotificationSignal;
        if (isInAudience(sub.viewer, notification)) this.safeSend(sub, { type: 'notification', notification });
      }
    }
  }
}

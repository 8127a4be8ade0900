import type { Database } from './db';
import { EVENTS_CHANNEL, NOTIFICATIONS_CHANNEL, type NotificationSignal, type TicketEventSignal } from './events';

export interface RealtimeViewer {
  staffId: string;
  role: string;
  level: number | null;
}

export type RealtimeMessage =
  | { type: 'ticket.event'; event: TicketEventSignal }
  | { type: 'notification'; notification: NotificationSignal };

interface Subscriber {
  viewer: RealtimeViewer;
  send: (msg: RealtimeMessage) => void;
}

/** Technicians only follow the tickets they are assigned; every other staff member sees the hotline live. */
export function canSeeEvent(viewer: RealtimeViewer, event: TicketEventSignal): boolean {
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

  async start(database: Database): Promise<void> {
    this.unlisten.push(
      await database.listen(EVENTS_CHANNEL, (payload) => this.dispatch(payload, 'event')),
      await database.listen(NOTIFICATIONS_CHANNEL, (payload) => this.dispatch(payload, 'notification')),
    );
  }

  async stop(): Promise<void> {
    for (const fn of this.unlisten) await fn();
    this.unlisten = [];
    this.subscribers.clear();
  }

  subscribe(viewer: RealtimeViewer, send: Subscriber['send']): () => void {
    const sub = { viewer, send };
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  get size(): number {
    return this.subscribers.size;
  }

  private dispatch(payload: string, kind: 'event' | 'notification'): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    for (const sub of this.subscribers) {
      try {
        if (kind === 'event') {
          const event = parsed as TicketEventSignal;
          if (canSeeEvent(sub.viewer, event)) sub.send({ type: 'ticket.event', event });
        } else {
          const notification = parsed as NotificationSignal;
          if (isInAudience(sub.viewer, notification)) sub.send({ type: 'notification', notification });
        }
      } catch {
        // One broken socket must not stop the others from being served.
      }
    }
  }
}

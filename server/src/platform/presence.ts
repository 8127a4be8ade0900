import { sql } from 'drizzle-orm';
import type { Executor } from './db';

/**
 * Presence on a ticket page (collision detection): who else has it open, who is writing a reply
 * or a note. Nothing is stored: each console says where it is over its WebSocket and repeats it
 * (heartbeat); the node NOTIFYs it on this channel, and every node keeps a roster of what it heard,
 * each entry expiring unless repeated. A closed tab or a crashed node leaves no ghost for longer
 * than the time to live, and any number of nodes agree because they all hear the same channel.
 */
export const PRESENCE_CHANNEL = 'relais_presence';

export const PRESENCE_STATES = ['viewing', 'typing', 'left'] as const;
export const COMPOSING = ['public', 'internal'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];
export type Composing = (typeof COMPOSING)[number];

/** The console repeats "viewing" every 15 s and "typing" every 2 s or so while keys are pressed. */
export const DEFAULT_PRESENCE_TTL = { viewingMs: 35_000, typingMs: 6_000 };
// A signal can never ask to be kept longer than this, whatever a node sends.
const MAX_TTL_MS = 120_000;

/** What a console sends: `{type: 'presence', ticketId, state, composing?}`. */
export interface PresenceInput {
  ticketId: string;
  state: PresenceState;
  composing?: Composing;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEYS = new Set(['type', 'ticketId', 'state', 'composing']);

/** Strict reading of a client message: the input, or why it is refused (sent back as an error frame). */
export function parsePresence(msg: Record<string, unknown>): PresenceInput | string {
  const extra = Object.keys(msg).find((k) => !KEYS.has(k));
  if (extra) return `Champ inconnu « ${extra} ».`;
  const { ticketId, state, composing } = msg;
  if (typeof ticketId !== 'string' || !UUID_RE.test(ticketId)) return 'ticketId doit être l’identifiant (uuid) d’une demande.';
  if (typeof state !== 'string' || !(PRESENCE_STATES as readonly string[]).includes(state)) return `state doit valoir ${PRESENCE_STATES.join(', ')}.`;
  if (composing !== undefined) {
    if (state !== 'typing') return 'composing ne va qu’avec state = typing.';
    if (typeof composing !== 'string' || !(COMPOSING as readonly string[]).includes(composing)) return `composing doit valoir ${COMPOSING.join(' ou ')}.`;
  }
  return { ticketId, state: state as PresenceState, ...(composing ? { composing: composing as Composing } : {}) };
}

export interface PresenceStaff {
  id: string;
  name: string;
  role: string;
  level: number | null;
}

/** What travels between nodes. `conn` names one socket (a staff member may have two tabs open). */
export interface PresenceSignal {
  ticketId: string;
  /** The ticket's assignee when the sender's node looked it up: technicians only see their own tickets. */
  assigneeId: string | null;
  conn: string;
  staff: PresenceStaff;
  state: PresenceState;
  composing?: Composing;
  /** How long the person counts as on the page without a repeat; and, when typing, as typing. */
  ttlMs: number;
  typingTtlMs?: number;
}

/** One person on a ticket, as the consoles show them. */
export interface PresenceViewer {
  staffId: string;
  name: string;
  role: string;
  level: number | null;
  /** What they are writing right now, if anything. */
  typing: Composing | null;
}

export async function publishPresence(db: Executor, signal: PresenceSignal): Promise<void> {
  await db.execute(sql`select pg_notify(${PRESENCE_CHANNEL}, ${JSON.stringify(signal)})`);
}

/** The ticket a console announces itself on (id and assignee), or null when there is none. */
export async function presenceTicket(db: Executor, ticketId: string): Promise<{ id: string; assigneeId: string | null } | null> {
  const res = await db.execute(sql`select id, assignee_id from tickets where id = ${ticketId}`);
  const row = (res as unknown as { rows: { id: string; assignee_id: string | null }[] }).rows[0];
  return row ? { id: row.id, assigneeId: row.assignee_id } : null;
}

interface Entry {
  staff: PresenceStaff;
  typing: Composing | null;
  typingUntil: number;
  until: number;
}

interface TicketRoster {
  assigneeId: string | null;
  entries: Map<string, Entry>;
}

function isSignal(v: unknown): v is PresenceSignal {
  const s = v as PresenceSignal;
  return (
    !!s &&
    typeof s.ticketId === 'string' &&
    typeof s.conn === 'string' &&
    typeof s.staff?.id === 'string' &&
    typeof s.staff.name === 'string' &&
    (PRESENCE_STATES as readonly string[]).includes(s.state) &&
    typeof s.ttlMs === 'number'
  );
}

/** What this node has heard on the presence channel, entry by entry, each with its expiry. */
export class PresenceRoster {
  private tickets = new Map<string, TicketRoster>();

  /** Applies a signal; true when what the consoles see changed (a refresh only pushes the expiry back). */
  apply(raw: unknown, now = Date.now()): boolean {
    if (!isSignal(raw)) return false;
    const s = raw;
    const clamp = (ms: unknown) => (typeof ms === 'number' && Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_TTL_MS) : 0);
    let t = this.tickets.get(s.ticketId);
    if (s.state === 'left') {
      const removed = t?.entries.delete(s.conn) ?? false;
      if (t && !t.entries.size) this.tickets.delete(s.ticketId);
      return removed;
    }
    if (!t) {
      t = { assigneeId: s.assigneeId ?? null, entries: new Map() };
      this.tickets.set(s.ticketId, t);
    }
    t.assigneeId = s.assigneeId ?? null;
    const before = t.entries.get(s.conn);
    const typing = s.state === 'typing' ? (s.composing ?? 'public') : null;
    t.entries.set(s.conn, {
      staff: { id: s.staff.id, name: s.staff.name, role: String(s.staff.role), level: typeof s.staff.level === 'number' ? s.staff.level : null },
      typing,
      typingUntil: typing ? now + clamp(s.typingTtlMs) : 0,
      until: now + clamp(s.ttlMs),
    });
    return !before || before.typing !== typing;
  }

  /** Drops what was not repeated in time; returns the tickets whose roster changed. */
  expire(now = Date.now()): string[] {
    const changed: string[] = [];
    for (const [ticketId, t] of this.tickets) {
      let touched = false;
      for (const [conn, e] of t.entries) {
        if (e.until <= now) {
          t.entries.delete(conn);
          touched = true;
        } else if (e.typing && e.typingUntil <= now) {
          e.typing = null;
          touched = true;
        }
      }
      if (!t.entries.size) this.tickets.delete(ticketId);
      if (touched) changed.push(ticketId);
    }
    return changed;
  }

  /** A ticket changed hands: technicians' right to see its presence follows the assignee. */
  setAssignee(ticketId: string, assigneeId: string | null): boolean {
    const t = this.tickets.get(ticketId);
    if (!t || t.assigneeId === assigneeId) return false;
    t.assigneeId = assigneeId;
    return true;
  }

  assigneeOf(ticketId: string): string | null {
    return this.tickets.get(ticketId)?.assigneeId ?? null;
  }

  /** One line per person (several tabs count once), typing if any of their tabs is. */
  viewers(ticketId: string): PresenceViewer[] {
    const byStaff = new Map<string, PresenceViewer>();
    for (const e of this.tickets.get(ticketId)?.entries.values() ?? []) {
      const v = byStaff.get(e.staff.id);
      if (v) v.typing = v.typing ?? e.typing;
      else byStaff.set(e.staff.id, { staffId: e.staff.id, name: e.staff.name, role: e.staff.role, level: e.staff.level, typing: e.typing });
    }
    return [...byStaff.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  }
}

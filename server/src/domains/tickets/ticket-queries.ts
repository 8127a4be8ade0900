import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { STATUS_LABELS_FR } from '../../../../common/src/tickets';
import type { DB, Executor } from '../../platform/db';
import { badRequest } from '../../platform/errors';
import { staff } from '../auth/auth.schema';
import type { StaffPrincipal } from '../auth/auth-context';
import { getContacts } from '../contacts/contact-service';
import { verificationCodeFor } from '../portal/verification-code';
import { queues } from '../queues/queue.schema';
import { slaCondition, slaDueAt } from './sla-filter';
import { slaViewOf } from './sla-clock';
import { checklistItems, messages, ticketEvents, tickets } from './ticket.schema';
import type { TicketListQuery, TicketView } from './ticket.schemas';
import { findTicket, type TicketRow } from './ticket-store';
import { filesByMessage, type MessageFile } from './message-attachments';

export async function toViews(db: Executor, rows: TicketRow[], opts: { withContact?: boolean; withChecklist?: boolean } = {}): Promise<TicketView[]> {
  if (!rows.length) return [];
  const queueIds = [...new Set(rows.map((r) => r.queueId))];
  const staffIds = [...new Set(rows.map((r) => r.assigneeId).filter((x): x is string => !!x))];
  const [qs, ss, contacts, items] = await Promise.all([
    db.select({ id: queues.id, slug: queues.slug, name: queues.name }).from(queues).where(inArray(queues.id, queueIds)),
    staffIds.length ? db.select({ id: staff.id, name: staff.name, level: staff.level }).from(staff).where(inArray(staff.id, staffIds)) : [],
    opts.withContact ? getContacts(db, [...new Set(rows.map((r) => r.contactId))]) : [],
    opts.withChecklist
      ? db.select().from(checklistItems).where(inArray(checklistItems.ticketId, rows.map((r) => r.id))).orderBy(asc(checklistItems.kind), asc(checklistItems.position))
      : [],
  ]);
  const now = new Date();
  return rows.map((t) => {
    const a = t.assigneeId ? ss.find((x) => x.id === t.assigneeId) : undefined;
    return buildView(t, {
      queue: qs.find((x) => x.id === t.queueId)!,
      assignee: a ?? null,
      contact: contacts.find((c) => c.id === t.contactId),
      checklist: opts.withChecklist ? items.filter((i) => i.ticketId === t.id) : undefined,
      now,
    });
  });
}

type ChecklistRow = typeof checklistItems.$inferSelect;

/** The API's view of a ticket from its row and the pieces around it (no query). */
export function buildView(
  t: TicketRow,
  parts: {
    queue: { id: string; slug: string; name: string };
    assignee: { id: string; name: string; level: number | null } | null;
    contact?: TicketView['contact'];
    checklist?: ChecklistRow[];
    now?: Date;
  },
): TicketView {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    description: t.description,
    status: t.status,
    statusLabel: STATUS_LABELS_FR[t.status],
    channel: t.channel,
    type: t.type,
    category: t.category,
    priority: t.priority,
    level: t.level,
    queue: parts.queue,
    assignee: parts.assignee ? { id: parts.assignee.id, name: parts.assignee.name, level: parts.assignee.level } : null,
    contactId: t.contactId,
    ...(parts.contact ? { contact: parts.contact } : {}),
    tags: t.tags,
    cyberEmergency: t.cyberEmergency,
    cyberEmergencyAt: t.cyberEmergencyAt?.toISOString() ?? null,
    vendor: t.vendorName ? { name: t.vendorName, reference: t.vendorReference } : null,
    policyHolds: t.policyHolds,
    possibleEmergency: t.possibleEmergency,
    sla: slaViewOf(t, parts.now ?? new Date()),
    ...(parts.checklist
      ? {
          checklist: parts.checklist.map((i) => ({
            id: i.id,
            kind: i.kind,
            label: i.label,
            position: i.position,
            checked: i.checkedAt !== null,
            checkedAt: i.checkedAt?.toISOString() ?? null,
            checkedBy: i.checkedBy,
          })),
        }
      : {}),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    resolvedAt: t.resolvedAt?.toISOString() ?? null,
    closedAt: t.closedAt?.toISOString() ?? null,
  };
}

export async function ticketView(db: Executor, row: TicketRow): Promise<TicketView> {
  const [[v], verificationCode] = await Promise.all([toViews(db, [row], { withContact: true, withChecklist: true }), verificationCodeFor(db, row.id)]);
  return { ...v!, verificationCode };
}

/** What a principal may read: technicians only their own tickets; the desk sees everything. */
export function visibleTo(p: StaffPrincipal): SQL | undefined {
  return p.role === 'technician' ? eq(tickets.assigneeId, p.id) : undefined;
}

export async function getVisibleTicket(db: Executor, ref: string, p: StaffPrincipal): Promise<TicketRow> {
  const t = await findTicket(db, ref);
  if (p.role === 'technician' && t.assigneeId !== p.id) {
    // Same answer as a missing ticket: a technician cannot probe others' tickets.
    return findTicket(db, '00000000-0000-0000-0000-000000000000');
  }
  return t;
}

/**
 * The orders a list can take: newest first (default), the SLA deadline when filtering on it, and
 * oldest first for the unconfirmed possible emergencies (the one waiting longest is seen first).
 * Each has its own cursor, so a cursor of another order is refused rather than misread.
 */
type Order = 'newest' | 'sla' | 'oldest';
type Cursor = { c: string; i: string } | { d: string | null; i: string } | { o: string; i: string };
const UUID_RE = /^[0-9a-f-]{36}$/;
function encodeCursor(t: TicketRow, order: Order): string {
  const v: Cursor = order === 'sla' ? { d: slaDueOf(t)?.toISOString() ?? null, i: t.id } : order === 'oldest' ? { o: t.createdAt.toISOString(), i: t.id } : { c: t.createdAt.toISOString(), i: t.id };
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}
function decodeCursor(s: string, order: Order): Cursor {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString()) as Record<string, unknown>;
    if (typeof v.i !== 'string' || !UUID_RE.test(v.i)) throw new Error();
    const isTime = (x: unknown): x is string => typeof x === 'string' && !Number.isNaN(Date.parse(x));
    if (order === 'sla' && 'd' in v && (v.d === null || isTime(v.d))) return { d: v.d, i: v.i };
    if (order === 'oldest' && isTime(v.o)) return { o: v.o, i: v.i };
    if (order === 'newest' && isTime(v.c)) return { c: v.c, i: v.i };
    throw new Error();
  } catch {
    throw badRequest('INVALID_CURSOR', 'Le paramètre cursor est invalide : reprenez celui renvoyé par la page précédente, avec les mêmes filtres.', { field: 'querystring.cursor' });
  }
}

/** Flagged by triage (text or the portal's urgent button), neither confirmed by the red button nor dismissed (the flag is then cleared), still open. */
const unconfirmedPossibleEmergency: SQL = sql`(${tickets.possibleEmergency} is not null and not ${tickets.cyberEmergency} and ${tickets.status} not in ('resolved', 'closed'))`;

/** The same deadline as `slaDueAt`, from a loaded row. */
function slaDueOf(t: TicketRow): Date | null {
  return !t.firstRespondedAt && t.firstResponseDueAt ? t.firstResponseDueAt : t.resolutionDueAt;
}

/** After the cursor in "deadline, soonest first; no deadline last" order. */
function afterSlaCursor(c: { d: string | null; i: string }): SQL {
  if (c.d === null) return sql`(${slaDueAt} is null and ${tickets.id} > ${c.i})`;
  const d = sql`${c.d}::timestamptz`;
  return sql`(${slaDueAt} > ${d} or (${slaDueAt} = ${d} and ${tickets.id} > ${c.i}) or ${slaDueAt} is null)`;
}

/**
 * French full-text search: stemmed and accent-insensitive over subject, description and messages,
 * plus exact ticket number, the contact's name (typo-tolerant) and phone digits.
 */
function searchCondition(q: string): SQL {
  const term = q.trim();
  const digits = term.replace(/\D/g, '');
  const parts: SQL[] = [
    sql`${tickets.search} @@ websearch_to_tsquery('fr_unaccent', ${term})`,
    sql`exists (select 1 from messages m where m.ticket_id = ${tickets.id} and m.search @@ websearch_to_tsquery('fr_unaccent', ${term}))`,
    sql`exists (select 1 from contacts c where c.id = ${tickets.contactId} and (lower(unaccent(c.name)) like lower(unaccent(${'%' + term + '%'})) or similarity(lower(unaccent(c.name)), lower(unaccent(${term}))) > 0.35))`,
  ];
  if (/^[A-Za-z]{2,6}-\d+$/.test(term)) parts.push(eq(tickets.number, term.toUpperCase()));
  if (digits.length >= 6) {
    parts.push(sql`exists (select 1 from contact_identities i where i.contact_id = ${tickets.contactId} and i.kind in ('phone','whatsapp') and i.value like ${'%' + digits.replace(/^0/, '').slice(-9)})`);
  }
  return or(...parts)!;
}

export async function listTickets(db: DB, p: StaffPrincipal, q: TicketListQuery) {
  const limit = q.limit ?? 25;
  const sla = q.sla === undefined ? null : Array.isArray(q.sla) ? q.sla : [q.sla];
  const order: Order = sla?.length ? 'sla' : q.possibleEmergency ? 'oldest' : 'newest';
  const conds: (SQL | undefined)[] = [visibleTo(p)];
  if (q.status) conds.push(inArray(tickets.status, Array.isArray(q.status) ? q.status : [q.status]));
  if (q.level) conds.push(eq(tickets.level, q.level));
  if (q.cyberEmergency !== undefined) conds.push(eq(tickets.cyberEmergency, q.cyberEmergency));
  if (q.contactId) conds.push(eq(tickets.contactId, q.contactId));
  if (q.queue) conds.push(sql`${tickets.queueId} = (select id from queues where slug = ${q.queue} or id::text = ${q.queue})`);
  if (q.assignee === 'none') conds.push(isNull(tickets.assigneeId));
  else if (q.assignee === 'me') conds.push(eq(tickets.assigneeId, p.id));
  else if (q.assignee) {
    if (!/^[0-9a-f-]{36}$/i.test(q.assignee)) throw badRequest('VALIDATION_FAILED', 'Champ « querystring.assignee » invalide : un identifiant, "me" ou "none".', { field: 'querystring.assignee' });
    conds.push(eq(tickets.assigneeId, q.assignee));
  }
  if (q.q) conds.push(searchCondition(q.q));
  if (sla?.length) conds.push(slaCondition(sla));
  if (q.possibleEmergency === 'unconfirmed') conds.push(unconfirmedPossibleEmergency);
  if (q.cursor) {
    const c = decodeCursor(q.cursor, order);
    if ('d' in c) conds.push(afterSlaCursor(c));
    else if ('o' in c) {
      const at = new Date(c.o);
      conds.push(or(gt(tickets.createdAt, at), and(eq(tickets.createdAt, at), gt(tickets.id, c.i))));
    } else {
      const at = new Date(c.c);
      conds.push(or(lt(tickets.createdAt, at), and(eq(tickets.createdAt, at), lt(tickets.id, c.i))));
    }
  }
  const rows = await db
    .select()
    .from(tickets)
    .where(and(...conds))
    // The SLA views work the most urgent deadline first, the possible emergencies the oldest first; every other list shows the newest first.
    .orderBy(...(order === 'sla' ? [sql`${slaDueAt} asc nulls last`, asc(tickets.id)] : order === 'oldest' ? [asc(tickets.createdAt), asc(tickets.id)] : [desc(tickets.createdAt), desc(tickets.id)]))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    // Lists name the client (with their phone and email) so a queue can be read without opening each ticket.
    items: await toViews(db, page, { withContact: true }),
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!, order) : null,
  };
}

export async function listEvents(db: DB, ticketId: string) {
  const rows = await db
    .select({ e: ticketEvents, staffName: staff.name })
    .from(ticketEvents)
    .leftJoin(staff, and(eq(ticketEvents.actorKind, 'staff'), eq(staff.id, ticketEvents.actorId)))
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.id));
  return rows.map(({ e, staffName }) => ({
    id: e.id,
    type: e.type,
    actor: { kind: e.actorKind, id: e.actorId, name: staffName },
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  }));
}

export async function listMessages(db: DB, ticketId: string) {
  const rows = await db
    .select({ m: messages, staffName: staff.name })
    .from(messages)
    .leftJoin(staff, eq(staff.id, messages.authorStaffId))
    .where(eq(messages.ticketId, ticketId))
    .orderBy(asc(messages.createdAt));
  const files = await filesByMessage(db, rows.map((r) => r.m.id));
  return rows.map(({ m, staffName }) => messageView(m, staffName, files.get(m.id)));
}

export function messageView(m: typeof messages.$inferSelect, staffName: string | null = null, files: MessageFile[] = []) {
  return {
    id: m.id,
    visibility: m.visibility,
    channel: m.channel,
    body: m.body,
    author: { kind: m.authorKind, id: m.authorStaffId, name: staffName },
    createdAt: m.createdAt.toISOString(),
    direction: m.direction,
    // Where a reply sent on the client's channel stands: pending, sent, delivered, read or failed (with the reason).
    delivery: m.deliveryStatus ? { status: m.deliveryStatus, error: m.deliveryError, updatedAt: m.deliveryUpdatedAt?.toISOString() ?? null } : null,
    attachments: files.map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, sizeBytes: f.sizeBytes })),
  };
}

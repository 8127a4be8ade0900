import { and, asc, eq, inArray } from 'drizzle-orm';
import type { TicketStatus } from '../../../../common/src/tickets';
import type { Executor } from '../../platform/db';
import { staff } from '../auth/auth.schema';
import { contacts } from '../contacts/contact.schema';
import { attachments, messages } from '../tickets/ticket.schema';
import type { TicketRow } from '../tickets/ticket-store';
import { portalRatings } from './portal.schema';
import { verificationCodeFor } from './verification-code';

/** The tag an agent looks for: the client pressed the urgent button, nobody has confirmed it yet. */
export const POSSIBLE_EMERGENCY_TAG = 'possible-urgence-cyber';

/** Words for the client, not the desk's vocabulary ("qualifiée", "en attente d’un tiers"). */
export const CLIENT_STATUS_LABELS: Record<TicketStatus, string> = {
  new: 'Reçue',
  awaiting_audit: 'Reçue, en cours de vérification',
  open: 'Prise en charge',
  in_progress: 'En cours de traitement',
  waiting_on_contact: 'En attente de votre réponse',
  waiting_on_third_party: 'En attente d’un partenaire',
  scheduled: 'Rendez-vous prévu',
  suspended: 'En pause',
  resolved: 'Résolue',
  closed: 'Terminée',
};

export const STEPS = [
  { key: 'contact', label: 'Demande reçue' },
  { key: 'qualification', label: 'Demande étudiée' },
  { key: 'follow_up', label: 'Suivi par un conseiller' },
  { key: 'resolution', label: 'Problème résolu' },
] as const;

/** 1 contact → 2 qualification → 3 follow-up → 4 resolution. */
export function stepOf(status: TicketStatus): 1 | 2 | 3 | 4 {
  switch (status) {
    case 'new':
    case 'awaiting_audit':
      return 1;
    case 'open':
      return 2;
    case 'resolved':
    case 'closed':
      return 4;
    default:
      return 3;
  }
}

/** Every step before the current one is done; once resolved, all four are. */
export function stepsOf(status: TicketStatus) {
  const step = stepOf(status);
  const finished = status === 'resolved' || status === 'closed';
  return STEPS.map((s, i) => ({ key: s.key, label: s.label, done: i + 1 < step || finished, current: i + 1 === step }));
}

export const isFinished = (status: TicketStatus) => status === 'resolved' || status === 'closed';

export interface PortalAttachmentView {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
}

export interface PortalMessageView {
  id: string;
  from: 'me' | 'adviser';
  authorName: string;
  body: string;
  createdAt: string;
  attachments: PortalAttachmentView[];
}

const TEAM_NAME = 'L’équipe d’assistance';

// Only the columns the portal reads: nothing else of a message or a file can leak by accident.
export const messageColumns = { id: messages.id, authorKind: messages.authorKind, body: messages.body, createdAt: messages.createdAt };
export type PortalMessageRow = { id: string; authorKind: 'staff' | 'contact' | 'system'; body: string; createdAt: Date };
const attachmentColumns = {
  id: attachments.id,
  messageId: attachments.messageId,
  uploadedBy: attachments.uploadedBy,
  filename: attachments.filename,
  contentType: attachments.contentType,
  sizeBytes: attachments.sizeBytes,
  storagePath: attachments.storagePath,
};

/** Advisers are shown by first name only; never an email, never a staff id. */
export function adviserName(name: string | null): string {
  const first = name?.trim().split(/\s+/)[0];
  return first || TEAM_NAME;
}

const attachmentView = (a: Pick<typeof attachments.$inferSelect, 'id' | 'filename' | 'contentType' | 'sizeBytes'>): PortalAttachmentView => ({ id: a.id, filename: a.filename, contentType: a.contentType, sizeBytes: a.sizeBytes });

/**
 * What the client may see of a request: public messages only (never internal notes), and the
 * files they sent or that came with a public message (never a file attached to a note).
 */
export async function visibleContent(db: Executor, ticketId: string) {
  const rows = await db
    .select({ m: messageColumns, staffName: staff.name })
    .from(messages)
    .leftJoin(staff, eq(staff.id, messages.authorStaffId))
    .where(and(eq(messages.ticketId, ticketId), eq(messages.visibility, 'public')))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const publicIds = new Set(rows.map((r) => r.m.id));
  const files = (await db.select(attachmentColumns).from(attachments).where(eq(attachments.ticketId, ticketId)).orderBy(asc(attachments.createdAt), asc(attachments.id))).filter((a) =>
    a.messageId ? publicIds.has(a.messageId) : a.uploadedBy === null,
  );
  return { rows, files };
}

export async function isAttachmentVisible(db: Executor, ticketId: string, attachmentId: string) {
  const [a] = await db.select(attachmentColumns).from(attachments).where(and(eq(attachments.id, attachmentId), eq(attachments.ticketId, ticketId))).limit(1);
  if (!a) return null;
  if (!a.messageId) return a.uploadedBy === null ? a : null;
  const [m] = await db.select({ visibility: messages.visibility }).from(messages).where(eq(messages.id, a.messageId)).limit(1);
  return m?.visibility === 'public' ? a : null;
}

export function messageView(m: PortalMessageRow, staffName: string | null, contactName: string, files: PortalAttachmentView[] = []): PortalMessageView {
  const mine = m.authorKind === 'contact';
  return {
    id: m.id,
    from: mine ? 'me' : 'adviser',
    authorName: mine ? contactName : m.authorKind === 'staff' ? adviserName(staffName) : TEAM_NAME,
    body: m.body,
    createdAt: m.createdAt.toISOString(),
    attachments: files,
  };
}

export async function requestDetail(db: Executor, t: TicketRow) {
  const [{ rows, files }, [contact], [rating], verificationCode] = await Promise.all([
    visibleContent(db, t.id),
    db.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, t.contactId)),
    db.select().from(portalRatings).where(eq(portalRatings.ticketId, t.id)),
    verificationCodeFor(db, t.id),
  ]);
  const status = t.status as TicketStatus;
  const finished = isFinished(status);
  return {
    number: t.number,
    subject: t.subject,
    description: t.description,
    status,
    statusLabel: CLIENT_STATUS_LABELS[status],
    step: stepOf(status),
    steps: stepsOf(status),
    verificationCode,
    messages: rows.map(({ m, staffName }) =>
      messageView(
        m,
        staffName,
        contact!.name,
        files.filter((f) => f.messageId === m.id).map(attachmentView),
      ),
    ),
    attachments: files.map(attachmentView),
    canReply: !finished,
    canRate: finished && !rating,
    canReopen: status === 'resolved',
    rating: rating ? { score: rating.score, comment: rating.comment } : null,
    cyberEmergency: t.cyberEmergency,
    possibleEmergency: t.tags.includes(POSSIBLE_EMERGENCY_TAG),
    // An adviser's first answer (a written reply or a call): without a written one, the client was called.
    answeredAt: t.firstRespondedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
export type RequestDetail = Awaited<ReturnType<typeof requestDetail>>;

export async function requestSummaries(db: Executor, rows: TicketRow[]) {
  const ids = rows.map((r) => r.id);
  const rated = ids.length ? new Set((await db.select({ id: portalRatings.ticketId }).from(portalRatings).where(inArray(portalRatings.ticketId, ids))).map((r) => r.id)) : new Set<string>();
  return rows.map((t) => {
    const status = t.status as TicketStatus;
    return {
      number: t.number,
      subject: t.subject,
      status,
      statusLabel: CLIENT_STATUS_LABELS[status],
      step: stepOf(status),
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
      rated: rated.has(t.id),
    };
  });
}

import type { Channel, TicketPriority, TicketStatus, TicketType } from '../../../common/src/tickets';

/** The staff API's views (the server's ticket, contact, queue and staff schemas), as the console reads them. */
export type StaffRole = 'admin' | 'supervisor' | 'agent' | 'technician';

export interface Staff {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  level: number | null;
  skills: string[];
  active: boolean;
  available: boolean;
  createdAt: string;
}

export interface Contact {
  id: string;
  name: string;
  phones: string[];
  emails: string[];
  whatsappId: string | null;
  preferredChannel: Channel | null;
  notes: string;
  trainedOn: string[];
  auditCompletedAt: string | null;
  createdAt: string;
}

export interface Sla {
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstRespondedAt: string | null;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  paused: boolean;
  resolutionRemainingSeconds: number | null;
}

export interface ChecklistItem {
  id: string;
  kind: string;
  label: string;
  position: number;
  checked: boolean;
  checkedAt: string | null;
  checkedBy: string | null;
}

export interface Ticket {
  id: string;
  number: string;
  subject: string;
  description: string;
  status: TicketStatus;
  statusLabel: string;
  channel: Channel;
  type: TicketType;
  category: string | null;
  priority: TicketPriority;
  level: number;
  queue: { id: string; slug: string; name: string };
  assignee: { id: string; name: string; level: number | null } | null;
  contactId: string;
  contact?: Contact;
  tags: string[];
  cyberEmergency: boolean;
  cyberEmergencyAt: string | null;
  vendor: { name: string; reference: string | null } | null;
  policyHolds: { code: string; message: string }[];
  /** Set by triage (or the portal's urgent button) until an agent confirms with the red button. */
  possibleEmergency?: { score: number; reasons: { code: string; label: string; excerpt: string }[]; at: string } | null;
  sla: Sla;
  checklist?: ChecklistItem[];
  /** Added by the portal work (GET /tickets/:ref); absent on older servers. */
  verificationCode?: string;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
}

export interface TicketEvent {
  id: number;
  type: string;
  actor: { kind: string; id: string | null; name: string | null };
  data: Record<string, unknown>;
  createdAt: string;
}

export interface Message {
  id: string;
  visibility: string;
  channel: string;
  body: string;
  author: { kind: string; id: string | null; name: string | null };
  createdAt: string;
  /** inbound (from the client on a channel), outbound (a public reply), null for notes. */
  direction?: string | null;
  /** Where a reply sent on the client's channel stands. */
  delivery?: { status: 'pending' | 'sent' | 'delivered' | 'read' | 'failed'; error: string | null; updatedAt: string | null } | null;
  attachments?: { id: string; filename: string; contentType: string; sizeBytes: number }[];
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  messageId: string | null;
  createdAt: string;
}

export interface Queue {
  id: string;
  slug: string;
  name: string;
  menuKey: number | null;
  defaultLevel: number;
  calendarId: string;
  requiredSkill: string | null;
  requiresTraining: string | null;
  requiresAudit: boolean;
  isCyber: boolean;
  active: boolean;
}

export interface TicketSignal {
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

export interface StaffNotification {
  kind: 'cyber_emergency' | 'cyber_emergency_untaken' | 'sla_breached' | 'possible_cyber_emergency' | string;
  title: string;
  ticketId?: string;
  number?: string;
  data?: Record<string, unknown>;
  /** A refresh signal for open screens, not an alert to show. */
  quiet?: boolean;
}

/** A colleague on the same ticket page (GET /api/v1/realtime presence). */
export interface PresenceViewer {
  staffId: string;
  name: string;
  role: string;
  level: number | null;
  /** What they are writing now: a reply to the client, an internal note, or nothing. */
  typing: 'public' | 'internal' | null;
}

/** A phone call on a ticket (GET /tickets/:ref/calls). */
export interface Call {
  id: string;
  source: 'ivr' | 'console' | string;
  direction: 'inbound' | 'outbound' | string;
  phone: string | null;
  staff: { id: string; name: string } | null;
  outcome: string;
  status: string | null;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  recordingUrl: string | null;
  note: string | null;
}

export type RealtimeMessage =
  | { type: 'hello'; staffId: string; role: string; level: number | null }
  | { type: 'ticket.event'; event: TicketSignal }
  | { type: 'notification'; notification: StaffNotification }
  | { type: 'presence'; ticketId: string; viewers: PresenceViewer[] }
  | { type: 'error'; code: string; message: string };

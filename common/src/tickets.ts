/** Ticket vocabulary shared by the server, the web app and API clients. */

export const TICKET_STATUSES = [
  'new',
  'awaiting_audit',
  'open',
  'in_progress',
  'waiting_on_contact',
  'waiting_on_third_party',
  'scheduled',
  'resolved',
  'closed',
  'suspended',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_TYPES = ['request', 'incident', 'improvement'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const CHANNELS = ['phone', 'whatsapp', 'web', 'email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export const LEVELS = [1, 2, 3] as const;
export type Level = (typeof LEVELS)[number];

/**
 * The one table of allowed status changes. Everything that changes a status
 * (API, channels, jobs) goes through `assertTransition`, so the rule lives here only.
 */
export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'in_progress', 'waiting_on_contact', 'waiting_on_third_party', 'scheduled', 'resolved', 'suspended'],
  // A request held by an intake policy (audit, training) is released or turned down.
  awaiting_audit: ['new', 'open', 'closed'],
  open: ['in_progress', 'waiting_on_contact', 'waiting_on_third_party', 'scheduled', 'resolved', 'suspended'],
  in_progress: ['open', 'waiting_on_contact', 'waiting_on_third_party', 'scheduled', 'resolved', 'suspended'],
  waiting_on_contact: ['open', 'in_progress', 'waiting_on_third_party', 'scheduled', 'resolved', 'suspended'],
  waiting_on_third_party: ['open', 'in_progress', 'waiting_on_contact', 'scheduled', 'resolved', 'suspended'],
  scheduled: ['open', 'in_progress', 'waiting_on_contact', 'waiting_on_third_party', 'resolved', 'suspended'],
  // Reopening: the client says it is not solved, or the agent finds more to do.
  resolved: ['open', 'in_progress', 'closed'],
  closed: [],
  // A disputed ticket is not billed until the team takes it back up.
  suspended: ['open', 'in_progress', 'resolved', 'closed'],
};

/** Statuses during which the resolution clock stops (the ball is not in our court). */
export const SLA_PAUSED_STATUSES: readonly TicketStatus[] = ['waiting_on_contact', 'waiting_on_third_party', 'suspended', 'awaiting_audit'];

/** Statuses that still count in an agent's workload. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = ['new', 'open', 'in_progress', 'waiting_on_contact', 'waiting_on_third_party', 'scheduled'];

export const STATUS_LABELS_FR: Record<TicketStatus, string> = {
  new: 'Nouvelle',
  awaiting_audit: 'En attente d’audit',
  open: 'Qualifiée',
  in_progress: 'En cours',
  waiting_on_contact: 'En attente du client',
  waiting_on_third_party: 'En attente d’un tiers',
  scheduled: 'Rendez-vous planifié',
  resolved: 'Résolue',
  closed: 'Clôturée',
  suspended: 'Suspendue',
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

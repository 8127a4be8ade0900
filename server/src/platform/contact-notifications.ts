import type { Channel } from '../../../common/src/tickets';
import type { AppContext } from './context';
import type { Executor } from './db';
import type { TicketSnapshot } from './events';

/**
 * Messages to a client (confirmation with magic link, adviser reply, "waiting for you",
 * resolved + satisfaction question…) are queued here, in the caller's transaction, and
 * delivered by the channels domain on the client's channel. Whoever creates the need does
 * not know how the client is reached.
 */
export const NOTIFY_CONTACT_JOB = 'notify.contact';

export type ContactTemplate = 'ticket_received' | 'magic_link' | 'agent_reply' | 'waiting_on_you' | 'resolved' | 'secret_warning';

export interface NotifyContactPayload {
  contactId: string;
  ticketId?: string;
  template: ContactTemplate;
  variables: Record<string, string>;
  /** Force a channel (e.g. the one the request came from); otherwise the contact's preferred one. */
  channel?: Channel;
  /** The key of the notification's row when whoever queued it wrote the row too (default: a hash of the payload). */
  dedupeKey?: string;
  /**
   * Everything the first try needs, from the statement that queued the job and wrote its row
   * (attempt 1 counted): that try sends without reading them back. Any retry reads them again.
   */
  prepared?: PreparedNotification;
}

export interface PreparedNotification {
  notificationId: string;
  reach: { name: string; preferred: Channel | null; emails: string[]; phones: string[]; whatsapp: string | null };
  ticket: (TicketSnapshot & { subject: string; channel: Channel }) | null;
  /** When the client last wrote on WhatsApp (ISO time), null if never. */
  lastWhatsAppInbound: string | null;
}

export function notifyContact(ctx: AppContext, tx: Executor, payload: NotifyContactPayload): Promise<void> {
  return ctx.jobs.enqueue(tx, NOTIFY_CONTACT_JOB, payload);
}

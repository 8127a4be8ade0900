import { eq } from 'drizzle-orm';
import type { AppContext } from '../../../platform/context';
import type { Executor } from '../../../platform/db';
import { notifyContact } from '../../../platform/contact-notifications';
import { staff } from '../../auth/auth.schema';
import { isInsideCustomerServiceWindow } from '../whatsapp/customer-service-window';
import { portalLink } from './portal-link';
import { lastWhatsAppInbound } from './reach';
import { assertReplyFilesSendable, type ReplyFile } from './reply-attachments';
import { planParts, saveParts } from './whatsapp-files';

export const DELIVER_MESSAGE_JOB = 'channels.deliver-message';

interface ReplyTicket {
  id: string;
  number: string;
  subject: string;
  channel: string;
  contactId: string;
}

interface ReplyMessage {
  id: string;
  body: string;
  visibility: string;
  authorStaffId: string | null;
}

const DELIVERED_CHANNELS = new Set(['email', 'whatsapp', 'sms']);

type ReplyFileInfo = Pick<ReplyFile, 'id' | 'filename' | 'contentType' | 'sizeBytes'>;

/** Columns of a new staff message: a public reply on a conversation channel starts out pending. */
export function replyDeliveryFields(channel: string, visibility: string): { direction?: 'outbound'; deliveryStatus?: 'pending' } {
  if (visibility !== 'public') return {};
  return DELIVERED_CHANNELS.has(channel) ? { direction: 'outbound', deliveryStatus: 'pending' } : { direction: 'outbound' };
}

/**
 * Called in the transaction that stores a public staff reply: the reply goes out on the channel
 * the client used (email, WhatsApp, SMS) through a job with retries. A phone or web ticket has no
 * conversation to answer in: the client is told by the `agent_reply` notification instead.
 */
export async function queueReplyDelivery(ctx: AppContext, tx: Executor, t: ReplyTicket, m: ReplyMessage, files: ReplyFileInfo[] = []): Promise<void> {
  if (m.visibility !== 'public') return;
  if (DELIVERED_CHANNELS.has(t.channel)) {
    // Files the channel cannot take are refused now, with the reason, rather than failing later.
    if (files.length) {
      const windowOpen = t.channel === 'whatsapp' ? isInsideCustomerServiceWindow(await lastWhatsAppInbound(tx, t.contactId)) : undefined;
      assertReplyFilesSendable(t.channel, files, { whatsappWindowOpen: windowOpen });
      // The WhatsApp messages are planned now, in the order the adviser chose the files.
      if (t.channel === 'whatsapp') await saveParts(tx, m.id, planParts(m.body, files));
    }
    await ctx.jobs.enqueue(tx, DELIVER_MESSAGE_JOB, { messageId: m.id });
    return;
  }
  const [author] = m.authorStaffId ? await tx.select({ name: staff.name }).from(staff).where(eq(staff.id, m.authorStaffId)) : [];
  await notifyContact(ctx, tx, {
    contactId: t.contactId,
    ticketId: t.id,
    template: 'agent_reply',
    variables: { number: t.number, subject: t.subject, agent: author?.name ?? 'Votre conseiller', body: m.body, link: portalLink(ctx) },
  });
}

import { and, desc, eq } from 'drizzle-orm';
import type { Channel } from '../../../../../common/src/tickets';
import type { Config } from '../../../config';
import type { Executor } from '../../../platform/db';
import { contactIdentities, contacts } from '../../contacts/contact.schema';
import { messages, tickets } from '../../tickets/ticket.schema';

/** Every way we know to reach a contact. */
export interface Reach {
  name: string;
  preferred: Channel | null;
  emails: string[];
  phones: string[];
  whatsapp: string | null;
}

export async function loadReach(db: Executor, contactId: string): Promise<Reach | null> {
  const [c] = await db.select({ name: contacts.name, preferred: contacts.preferredChannel }).from(contacts).where(eq(contacts.id, contactId));
  if (!c) return null;
  const ids = await db.select({ kind: contactIdentities.kind, value: contactIdentities.value }).from(contactIdentities).where(eq(contactIdentities.contactId, contactId)).orderBy(contactIdentities.createdAt);
  return {
    name: c.name,
    preferred: c.preferred,
    emails: ids.filter((i) => i.kind === 'email').map((i) => i.value),
    phones: ids.filter((i) => i.kind === 'phone').map((i) => i.value),
    whatsapp: ids.find((i) => i.kind === 'whatsapp')?.value ?? null,
  };
}

/** French landlines (01–05, 09) cannot receive SMS; elsewhere we cannot tell and try. */
export function canReceiveSms(e164: string): boolean {
  return e164.startsWith('+33') ? /^\+33[67]\d{8}$/.test(e164) : true;
}

export type Route = { channel: 'email' | 'whatsapp' | 'sms'; to: string };

/**
 * The channel a message goes out on: the one asked for, else the client's preferred one, else
 * the ticket's, else whatever we can reach them on (WhatsApp, email, SMS), among the configured ones.
 */
export function chooseRoute(config: Config, reach: Reach, wanted: (Channel | null | undefined)[]): Route | null {
  const order = [...wanted, reach.preferred, 'whatsapp', 'email', 'sms'] as (Channel | null | undefined)[];
  const smsTo = [...reach.phones, ...(reach.whatsapp ? [reach.whatsapp] : [])].find(canReceiveSms);
  for (const c of order) {
    if (!c) continue;
    const ch = c === 'phone' ? 'sms' : c;
    if (ch === 'email' && config.channels.email.smtpUrl && reach.emails[0]) return { channel: 'email', to: reach.emails[0] };
    if (ch === 'whatsapp' && config.channels.whatsapp && reach.whatsapp) return { channel: 'whatsapp', to: reach.whatsapp };
    if (ch === 'sms' && config.channels.twilio && smsTo) return { channel: 'sms', to: smsTo };
  }
  return null;
}

/** When the client last wrote on WhatsApp: free-form messages are only allowed for 24 hours after. */
export async function lastWhatsAppInbound(db: Executor, contactId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: messages.createdAt })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(and(eq(tickets.contactId, contactId), eq(messages.channel, 'whatsapp'), eq(messages.direction, 'inbound')))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return row?.at ?? null;
}


import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../platform/context';
import { recordEvent, SYSTEM, type Actor } from '../platform/events';
import type { Jobs } from '../platform/jobs';
import { requestCallback } from '../domains/channels/callbacks/callback-service';
import { callbacks } from '../domains/channels/channel.schema';
import { receiveInbound } from '../domains/channels/inbound/intake';
import { applyDeliveryStatus } from '../domains/channels/outbound/delivery';
import { DELIVER_MESSAGE_JOB } from '../domains/channels/outbound/queue-delivery';
import type { VoiceWebhook } from '../domains/channels/twilio/webhook-params';
import { callStatus, incomingCall, menuChoice } from '../domains/channels/voice/ivr';
import { matchOrCreateContact } from '../domains/contacts/contact-service';
import { callbackSlots } from '../domains/portal/callback-request';
import { loadQueue } from '../domains/queues/queue-service';
import { backward, compile } from '../domains/scheduling/compiled-calendar';
import { addStaffMessage, qualifyTicket } from '../domains/tickets/ticket-commands';
import { messages } from '../domains/tickets/ticket.schema';
import { findTicket, snapshot } from '../domains/tickets/ticket-store';
import { tabletAlertPhoto } from './demo-photo';

type Staff = Actor & { kind: 'staff' };

/** The hotline's number as Twilio calls it (fictional, like the demo's portal numbers). */
const HOTLINE = '+33199001234';

function voiceCall(callSid: string, from: string, callerName: string, extra: Partial<VoiceWebhook> = {}): VoiceWebhook {
  return { callSid, accountSid: null, from, to: HOTLINE, callStatus: 'in-progress', direction: 'inbound', callerName, forwardedFrom: null, parentCallSid: null, digits: null, speechResult: null, callDurationSeconds: null, recording: null, raw: {}, ...extra };
}

/**
 * Two calls through the phone menu, as Twilio's webhooks would report them: one caller chooses
 * the Administratif queue and talks for 4 min 12 s; another, told nobody is free, asks to be
 * called back (a callback from the phone menu).
 */
export async function seedPhoneMenuCalls(ctx: AppContext, agent: Staff): Promise<void> {
  const talked = voiceCall('CAdemo0000000000000000000000000001', '+33652184793', 'Gilbert Mercier');
  await incomingCall(ctx, talked);
  await menuChoice(ctx, { ...talked, digits: '4' }, 'menu', 0);
  await callStatus(ctx, { ...talked, callStatus: 'completed', callDurationSeconds: 252 });
  const [call] = await ctx.db.select({ ticketId: messages.ticketId }).from(messages).where(and(eq(messages.channel, 'phone'), eq(messages.providerMessageId, talked.callSid)));
  if (call) {
    await qualifyTicket(ctx, call.ticketId, agent, { type: 'request', category: 'démarches', priority: 'normal', subject: 'Changer l’adresse email du compte Ameli' });
    await addStaffMessage(ctx, call.ticketId, agent, {
      visibility: 'internal',
      body: 'M. Mercier a changé de fournisseur internet : son adresse Wanadoo ne marche plus. Procédure Ameli « modifier ses coordonnées » faite avec lui au téléphone, il attend le code de confirmation par courrier.',
    });
  }

  const busy = voiceCall('CAdemo0000000000000000000000000002', '+33475321908', 'Paulette Roussel');
  await incomingCall(ctx, busy);
  await menuChoice(ctx, { ...busy, digits: '0' }, 'menu', 0);
  await menuChoice(ctx, { ...busy, digits: '1' }, 'offer', 0);
  await callStatus(ctx, { ...busy, callStatus: 'completed', callDurationSeconds: 38 });
}

/** « Être rappelé » from the portal: what the form does once its captcha and fields are checked. */
export async function seedPortalCallback(ctx: AppContext): Promise<void> {
  const { slots } = await callbackSlots(ctx.db);
  // The second moment offered (this afternoon, tomorrow morning…): always ahead of now.
  const slot = slots[1] ?? slots[0];
  const dueAt = slot ? new Date(Math.max(Date.parse(slot.start), Date.now())) : null;
  await ctx.db.transaction(async (tx) => {
    const { id } = await matchOrCreateContact(tx, { name: 'Monique Lefranc', phone: '06 45 12 78 90' });
    await requestCallback(
      ctx,
      tx,
      { contactId: id, phone: '06 45 12 78 90', dueAt, source: 'portal', reason: 'Demandé sur le site : Je ne retrouve plus mes photos depuis la mise à jour de mon téléphone.' },
      { kind: 'contact', id },
    );
  });
}

/**
 * A callback an agent promised and has not made yet: asked for through the callback service,
 * then moved back in time (the service rightly refuses a moment already past), to the latest
 * opening hour at least an hour ago, so the console shows it late.
 */
export async function seedOverdueCallback(ctx: AppContext, ticketRef: string, owner: Staff, reason: string): Promise<void> {
  const t = await findTicket(ctx.db, ticketRef);
  const { callback } = await ctx.db.transaction((tx) => requestCallback(ctx, tx, { ticket: t.id, ownerId: owner.id, source: 'console', reason }, owner));
  const { calendar } = await loadQueue(ctx.db, null);
  const hourAgo = Date.now() - 3_600_000;
  const period = backward(compile(calendar), hourAgo).next().value;
  const due = period ? new Date(Math.max(period.start, Math.min(period.end - 30 * 60_000, hourAgo))) : new Date(hourAgo);
  await ctx.db.update(callbacks).set({ dueAt: due, createdAt: new Date(due.getTime() - 3 * 3_600_000) }).where(eq(callbacks.id, callback.id));
}

/**
 * The demo has no WhatsApp Business account: replies go through the real reply service, but
 * the delivery job, which would fail for want of one, is not queued; the seed then plays Meta,
 * acknowledging each reply as the delivery job does and reporting its fate through the same
 * status handler as the webhook.
 */
function withoutDeliveryJob(ctx: AppContext): AppContext {
  const jobs = Object.create(ctx.jobs) as Jobs;
  jobs.enqueue = (tx, name, data, opts) => (name === DELIVER_MESSAGE_JOB ? Promise.resolve() : ctx.jobs.enqueue(tx, name, data, opts));
  return { ...ctx, jobs };
}

type Fate = 'sent' | 'delivered' | 'read' | { failed: string };

async function replyOnWhatsApp(ctx: AppContext, ticketId: string, agent: Staff, body: string, wamid: string, fate: Fate): Promise<void> {
  const { message, ticket } = await addStaffMessage(withoutDeliveryJob(ctx), ticketId, agent, { visibility: 'public', body });
  await ctx.db.transaction(async (tx) => {
    await tx.update(messages).set({ deliveryStatus: 'sent', providerMessageId: wamid, deliveryError: null, deliveryUpdatedAt: new Date() }).where(and(eq(messages.id, message.id), eq(messages.deliveryStatus, 'pending')));
    await recordEvent(tx, snapshot(ticket), 'message.delivery_updated', SYSTEM, { messageId: message.id, channel: 'whatsapp', status: 'sent', via: 'whatsapp_text' });
  });
  const steps: [string, string | null][] = fate === 'sent' ? [] : fate === 'delivered' ? [['delivered', null]] : fate === 'read' ? [['delivered', null], ['read', null]] : [['failed', fate.failed]];
  for (const [status, error] of steps) await ctx.db.transaction((tx) => applyDeliveryStatus(ctx, tx, 'whatsapp', wamid, status, error));
}

/**
 * Yvette Morel writes on WhatsApp with a photo of her tablet (a fake security alert); the
 * adviser's replies show every delivery state: read, not delivered (with Meta's reason),
 * delivered, sent.
 */
export async function seedWhatsAppConversation(ctx: AppContext, agent: Staff): Promise<void> {
  const from = { whatsappId: '33645872190', name: 'Yvette Morel' };
  const client = (n: number, text: string, photo = false) =>
    receiveInbound(ctx, {
      channel: 'whatsapp',
      providerMessageId: `wamid.demo-morel-${n}`,
      from,
      text,
      ...(photo ? { attachments: [{ filename: 'image-tablette.png', bytes: tabletAlertPhoto() }] } : {}),
      details: { kind: photo ? 'image' : 'text', sender: from.whatsappId, data: { providerType: photo ? 'image' : 'text', sentAt: new Date().toISOString() } },
      // No confirmation: without a WhatsApp account it could only fail, next to replies shown as delivered.
      confirm: false,
    });
  const first = await client(1, 'Bonjour, ma tablette affiche une alerte en anglais avec un numéro à appeler. Je ne peux plus rien faire. Je vous envoie une photo.', true);
  await qualifyTicket(ctx, first.ticketId, agent, { type: 'incident', category: 'tablette', priority: 'high', subject: 'Fausse alerte de sécurité sur la tablette' });
  await replyOnWhatsApp(ctx, first.ticketId, agent, 'Bonjour Madame Morel, merci pour la photo. C’est une fausse alerte : n’appelez pas ce numéro et ne touchez à rien sur cette page.', 'wamid.demo-reply-1', 'read');
  await client(2, 'D’accord, je n’ai rien touché. Qu’est-ce que je fais maintenant ?');
  await replyOnWhatsApp(ctx, first.ticketId, agent, 'Appuyez longtemps sur le bouton du haut de la tablette pour l’éteindre, puis rallumez-la.', 'wamid.demo-reply-2', {
    failed: '131026 Message undeliverable — Message Undeliverable.',
  });
  await replyOnWhatsApp(ctx, first.ticketId, agent, 'Je vous renvoie mon message : appuyez longtemps sur le bouton du haut pour éteindre la tablette, puis rallumez-la. L’alerte aura disparu.', 'wamid.demo-reply-3', 'delivered');
  await replyOnWhatsApp(ctx, first.ticketId, agent, 'Je vous appelle dans cinq minutes pour vérifier avec vous que tout va bien.', 'wamid.demo-reply-4', 'sent');
}

import { createHash } from 'node:crypto';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { SMS_MAX_CHARS } from '../../../../../common/src/message-templates';
import type { AppContext } from '../../../platform/context';
import type { Executor } from '../../../platform/db';
import { AppError } from '../../../platform/errors';
import { notifyStaff, recordEvent, SYSTEM } from '../../../platform/events';
import type { NotifyContactPayload, PreparedNotification } from '../../../platform/contact-notifications';
import { staff } from '../../auth/auth.schema';
import { messages, tickets } from '../../tickets/ticket.schema';
import { readAttachment } from '../../tickets/attachment-storage';
import { snapshot } from '../../tickets/ticket-store';
import { contactNotifications } from '../channel.schema';
import { lastEmailSender, sendEmail } from '../email/outbound-email';
import { notConfigured, twilioClient, whatsappClient } from '../providers';
import { TwilioApiError } from '../twilio/messaging-client';
import { isInsideCustomerServiceWindow, WhatsAppApiError, type ReplyButton } from '../whatsapp/graph-client';
import { PermanentDeliveryError } from './delivery-errors';
import { portalLink } from './portal-link';
import { filesOfMessage, replyFileProblems, type ReplyFile } from './reply-attachments';
import { applyPartStatus, sendWhatsAppFiles } from './whatsapp-files';
import { chooseRoute, lastWhatsAppInbound, loadReach, type Reach, type Route } from './reach';
import { recordNotificationSent, startNotification, type NotificationStart } from './notification-statements';
import { RATING_BUTTONS, satisfactionHtml, satisfactionText } from './rating-question';
import { cachedTemplate, render, textToHtml, type MessageTemplate, type TemplateKey } from './templates';

export { DELIVER_MESSAGE_JOB } from './queue-delivery';
/** Six tries with pg-boss backoff (5 s, 10 s, 20 s, 40 s, 80 s): about 2.5 minutes of provider trouble. */
export const MAX_DELIVERY_ATTEMPTS = 6;

export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export { PermanentDeliveryError };

export function classifyError(err: unknown): { retryable: boolean; reason: string } {
  if (err instanceof PermanentDeliveryError) return { retryable: false, reason: err.message };
  if (err instanceof AppError) return { retryable: false, reason: err.message };
  if (err instanceof WhatsAppApiError) return { retryable: err.retryable, reason: `WhatsApp${err.code !== null ? ` ${err.code}` : ''} : ${err.title}${err.details ? ` — ${err.details}` : ''}` };
  if (err instanceof TwilioApiError) return { retryable: err.retryable, reason: `Twilio${err.code !== null ? ` ${err.code}` : ''} : ${err.message.replace(/^Twilio API error( \d+)?: /, '')}` };
  const e = err as { responseCode?: number; code?: string; message?: string };
  if (typeof e.responseCode === 'number') return { retryable: e.responseCode < 500, reason: `SMTP ${e.responseCode} : ${e.message ?? ''}` };
  return { retryable: true, reason: e.message ?? String(err) };
}

interface Sent {
  providerMessageId: string;
  via: 'email' | 'whatsapp_text' | 'whatsapp_template' | 'whatsapp_media' | 'whatsapp_buttons' | 'sms';
}

function smsStatusCallback(ctx: AppContext): string {
  return `${ctx.config.publicUrl}/webhooks/twilio/sms/status`;
}

/** What an SMS says instead of the files it cannot carry. */
export function smsFilesNote(count: number, link: string): string {
  return `Votre conseiller vous a envoyé ${count > 1 ? `${count} fichiers` : 'un fichier'}. Pour ${count > 1 ? 'les' : 'le'} voir : ${link}`;
}

function smsText(text: string, link?: string): string {
  if (text.length <= SMS_MAX_CHARS) return text;
  const tail = link ? ` […] Suite : ${link}` : ' […]';
  return text.slice(0, SMS_MAX_CHARS - tail.length).trimEnd() + tail;
}

/**
 * WhatsApp only delivers free text within 24 h of the client's last message; after that (or if
 * Meta says so with 131047) the notification's approved template goes out instead.
 */
async function sendWhatsApp(
  ctx: AppContext,
  contactId: string,
  to: string,
  text: string,
  template: MessageTemplate,
  templateKey: TemplateKey,
  variables: Record<string, string>,
  buttons?: ReplyButton[],
  /** When the client last wrote, if the caller already read it; otherwise read here. */
  lastInbound?: Date | null,
): Promise<Sent> {
  const client = whatsappClient(ctx.config);
  if (!client) throw notConfigured('WhatsApp');
  if (isInsideCustomerServiceWindow(lastInbound !== undefined ? lastInbound : await lastWhatsAppInbound(ctx.db, contactId))) {
    try {
      if (buttons?.length) return { providerMessageId: await client.sendButtons(to, text, buttons), via: 'whatsapp_buttons' };
      return { providerMessageId: await client.sendText(to, text), via: 'whatsapp_text' };
    } catch (err) {
      if (!(err instanceof WhatsAppApiError && err.isOutsideServiceWindow)) throw err;
    }
  }
  const wt = template.whatsapp;
  if (!wt) {
    throw new PermanentDeliveryError(`Le client n’a pas écrit sur WhatsApp depuis plus de 24 heures : seul un modèle approuvé par Meta peut partir. Configurez le modèle WhatsApp de « ${templateKey} » dans les réglages.`);
  }
  const params = wt.params.map((p) => (variables[p] ?? '').replace(/\s*\n\s*/g, ' ').slice(0, 1000) || '-');
  // The template's own quick-reply buttons carry our payloads (e.g. the satisfaction answers).
  const quick = (wt.quickReplies ?? []).map((payload, index) => ({ subType: 'quick_reply' as const, index, payload }));
  return { providerMessageId: await client.sendTemplate(to, wt.name, wt.language, params, quick), via: 'whatsapp_template' };
}

async function sendSms(ctx: AppContext, to: string, text: string, link?: string): Promise<Sent> {
  const client = twilioClient(ctx.config);
  if (!client) throw notConfigured('SMS');
  const sent = await client.sendSms({ to, from: ctx.config.channels.twilio!.phoneNumber, body: smsText(text, link), statusCallback: smsStatusCallback(ctx) });
  return { providerMessageId: sent.sid, via: 'sms' };
}

// ---------------------------------------------------------------------------------------------
// Staff replies
// ---------------------------------------------------------------------------------------------

/** Sends one public staff reply on its ticket's channel; a job runs it, with retries. */
export async function deliverMessage(ctx: AppContext, messageId: string): Promise<DeliveryState | 'skipped'> {
  const [row] = await ctx.db
    .select({ m: messages, t: tickets, agent: staff.name })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .leftJoin(staff, eq(staff.id, messages.authorStaffId))
    .where(eq(messages.id, messageId));
  if (!row || row.m.visibility !== 'public' || row.m.authorKind !== 'staff' || row.m.deliveryStatus !== 'pending') return 'skipped';
  const { m, t } = row;
  const attempts = m.deliveryAttempts + 1;
  await ctx.db.update(messages).set({ deliveryAttempts: attempts }).where(eq(messages.id, m.id));

  try {
    const reach = await loadReach(ctx.db, t.contactId);
    if (!reach) throw new PermanentDeliveryError('Le client n’existe plus.');
    const variables = { name: reach.name, number: t.number, subject: t.subject, agent: row.agent ?? 'Votre conseiller', body: m.body, link: portalLink(ctx) };
    const sent = await sendReply(ctx, m.channel, t, reach, m.id, m.body, variables, await filesOfMessage(ctx.db, m.id));
    await ctx.db.transaction(async (tx) => {
      const [saved] = await tx
        .update(messages)
        .set({ deliveryStatus: 'sent', providerMessageId: sent.providerMessageId, deliveryError: null, deliveryUpdatedAt: new Date() })
        .where(and(eq(messages.id, m.id), eq(messages.deliveryStatus, 'pending')))
        .returning({ id: messages.id });
      if (saved) await recordEvent(tx, snapshot(t), 'message.delivery_updated', SYSTEM, { messageId: m.id, channel: m.channel, status: 'sent', via: sent.via });
    });
    return 'sent';
  } catch (err) {
    const { retryable, reason } = classifyError(err);
    if (retryable && attempts < MAX_DELIVERY_ATTEMPTS) {
      await ctx.db.update(messages).set({ deliveryError: `${reason} (nouvel essai prévu)`, deliveryUpdatedAt: new Date() }).where(eq(messages.id, m.id));
      throw err;
    }
    await ctx.db.transaction(async (tx) => {
      await tx.update(messages).set({ deliveryStatus: 'failed', deliveryError: reason, deliveryUpdatedAt: new Date() }).where(eq(messages.id, m.id));
      await recordEvent(tx, snapshot(t), 'message.delivery_updated', SYSTEM, { messageId: m.id, channel: m.channel, status: 'failed', error: reason });
      if (m.authorStaffId) {
        await notifyStaff(tx, { kind: 'delivery.failed', audience: { staffIds: [m.authorStaffId] }, title: `Votre réponse sur ${t.number} n’a pas pu être remise au client`, ticketId: t.id, number: t.number, data: { messageId: m.id, reason } });
      }
    });
    return 'failed';
  }
}

async function sendReply(ctx: AppContext, channel: string, t: typeof tickets.$inferSelect, reach: Reach, messageId: string, body: string, variables: Record<string, string>, files: ReplyFile[]): Promise<Sent> {
  if (channel === 'email') {
    const to = (await lastEmailSender(ctx.db, t.id)) ?? reach.emails[0];
    if (!to) throw new PermanentDeliveryError('Le client n’a pas d’adresse email.');
    const problems = replyFileProblems('email', files);
    if (problems.length) throw new PermanentDeliveryError(problems.join(' '));
    const template = await cachedTemplate(ctx, 'agent_reply');
    const attachments = await Promise.all(files.map(async (f) => ({ filename: f.filename, contentType: f.contentType, content: await readAttachment(ctx.config.dataDir, f.storagePath) })));
    const { messageId: id } = await sendEmail(ctx.config, ctx.db, { to, subject: render(template.subject, variables), text: render(template.text, variables), id: messageId, ticket: { id: t.id, number: t.number }, attachments });
    return { providerMessageId: id, via: 'email' };
  }
  if (channel === 'whatsapp') {
    const to = reach.whatsapp ?? reach.phones[0];
    if (!to) throw new PermanentDeliveryError('Le client n’a pas de numéro WhatsApp.');
    if (files.length) {
      const client = whatsappClient(ctx.config);
      if (!client) throw notConfigured('WhatsApp');
      const open = isInsideCustomerServiceWindow(await lastWhatsAppInbound(ctx.db, t.contactId));
      return { providerMessageId: await sendWhatsAppFiles(ctx, client, messageId, to, body, files, open), via: 'whatsapp_media' };
    }
    return sendWhatsApp(ctx, t.contactId, to, body, await cachedTemplate(ctx, 'agent_reply'), 'agent_reply', variables);
  }
  if (channel === 'sms') {
    const to = reach.phones[0] ?? reach.whatsapp;
    if (!to) throw new PermanentDeliveryError('Le client n’a pas de numéro de téléphone.');
    // An SMS cannot carry files: the client is told where to see them (the portal shows the files of public replies).
    return sendSms(ctx, to, files.length ? `${body}\n\n${smsFilesNote(files.length, variables.link!)}` : body, variables.link);
  }
  throw new PermanentDeliveryError(`Le canal ${channel} ne permet pas d’envoyer un message.`);
}

// ---------------------------------------------------------------------------------------------
// notify.contact
// ---------------------------------------------------------------------------------------------

function payloadHash(p: NotifyContactPayload): string {
  return createHash('sha256').update(JSON.stringify(p)).digest('hex');
}

/**
 * The worker of `notify.contact`: renders the template and sends it on the contact's channel.
 * A sent notification costs two statements (startNotification, recordNotificationSent), one on
 * the first run of a prepared job (its row and what it needs written by the statement that
 * queued it: a first message's confirmation); the template comes from the node's config cache.
 */
export async function deliverNotification(ctx: AppContext, payload: NotifyContactPayload, run: { retryCount: number } = { retryCount: 0 }): Promise<DeliveryState | 'skipped'> {
  const start =
    payload.prepared && run.retryCount === 0
      ? preparedStart(ctx, payload.prepared)
      : await startNotification(ctx, { contactId: payload.contactId, ticketId: payload.ticketId ?? null, template: payload.template, dedupeKey: payload.dedupeKey ?? payloadHash(payload) });
  if (!start?.notification) return 'skipped';
  const { reach, ticket } = start;
  const row = start.notification;
  const attempts = row.attempts;

  const key = payload.template as TemplateKey;
  const variables: Record<string, string> = {
    name: reach.name,
    ...(ticket ? { number: ticket.number, subject: ticket.subject } : {}),
    link: portalLink(ctx),
    ...payload.variables,
  };
  let route: Route | null = null;
  try {
    const wanted = [payload.channel, ...(ticket ? [ticket.channel] : [])];
    route = chooseRoute(ctx.config, reach, wanted);
    if (!route) throw new PermanentDeliveryError('Aucun moyen de joindre ce client : ni email, ni WhatsApp, ni mobile sur un canal configuré.');
    const template = await cachedTemplate(ctx, key);
    const asksRating = key === 'resolved' && !!ticket;
    if (asksRating && variables.satisfaction === undefined) variables.satisfaction = await satisfactionText(ctx.db, ctx.config, route.channel, ticket.id);
    const text = render(template.text, variables);
    let sent: Sent;
    if (route.channel === 'email') {
      const to = (ticket ? await lastEmailSender(ctx.db, ticket.id) : null) ?? route.to;
      const html = asksRating ? await ratingEmailHtml(ctx, template.text, variables, ticket.id) : undefined;
      const r = await sendEmail(ctx.config, ctx.db, { to, subject: render(template.subject, variables), text, html, id: row.id, ticket: ticket ? { id: ticket.id, number: ticket.number } : null, automatic: true });
      sent = { providerMessageId: r.messageId, via: 'email' };
    } else if (route.channel === 'whatsapp') {
      sent = await sendWhatsApp(ctx, payload.contactId, route.to, text, template, key, variables, asksRating ? RATING_BUTTONS : undefined, start.lastWhatsAppInbound);
    } else {
      sent = await sendSms(ctx, route.to, text, variables.link);
    }
    const done = route;
    await recordNotificationSent(ctx, row.id, { channel: done.channel, to: done.to, providerMessageId: sent.providerMessageId }, ticket ? { ticket, data: { notificationId: row.id, template: key, channel: done.channel, via: sent.via } } : null);
    return 'sent';
  } catch (err) {
    const { retryable, reason } = classifyError(err);
    if (retryable && attempts < MAX_DELIVERY_ATTEMPTS) {
      await ctx.db.update(contactNotifications).set({ error: `${reason} (nouvel essai prévu)`, updatedAt: new Date() }).where(eq(contactNotifications.id, row.id));
      throw err;
    }
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(contactNotifications)
        .set({ status: 'failed', error: reason, channel: route?.channel ?? null, recipient: route?.to ?? null, updatedAt: new Date() })
        .where(eq(contactNotifications.id, row.id));
      if (ticket) await recordEvent(tx, ticket, 'notification.failed', SYSTEM, { notificationId: row.id, template: key, channel: route?.channel ?? null, error: reason });
    });
    return 'failed';
  }
}

/** A prepared job's first run: nobody can have settled its row before (pg-boss's first claim). */
function preparedStart(ctx: AppContext, p: PreparedNotification): NotificationStart {
  return {
    notification: { id: p.notificationId, attempts: 1 },
    reach: p.reach,
    ticket: p.ticket,
    lastWhatsAppInbound: ctx.config.channels.whatsapp ? (p.lastWhatsAppInbound ? new Date(p.lastWhatsAppInbound) : null) : undefined,
  };
}

/** The HTML part of the "resolved" email: the answers as large links rather than bare addresses. */
async function ratingEmailHtml(ctx: AppContext, templateText: string, variables: Record<string, string>, ticketId: string): Promise<string> {
  const marker = `SATISFACTION${Date.now()}`;
  return textToHtml(render(templateText, { ...variables, satisfaction: marker })).replace(marker, await satisfactionHtml(ctx.db, ctx.config, ticketId));
}

// ---------------------------------------------------------------------------------------------
// Provider status callbacks
// ---------------------------------------------------------------------------------------------

const RANK: Record<DeliveryState, number> = { pending: 0, sent: 1, failed: 2, delivered: 3, read: 4 };

/** WhatsApp and Twilio status words, in our vocabulary; null for the in-between ones. */
export function deliveryStateOf(providerStatus: string): DeliveryState | null {
  switch (providerStatus) {
    case 'sent':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'read':
    case 'played':
      return 'read';
    case 'failed':
    case 'undelivered':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

/**
 * Records a provider's status on our outbound message or notification. Statuses arrive out of
 * order (read before delivered): a status never goes back.
 */
export async function applyDeliveryStatus(
  ctx: AppContext,
  tx: Executor,
  channel: 'whatsapp' | 'sms',
  providerMessageId: string,
  providerStatus: string,
  error: string | null,
): Promise<'message' | 'notification' | 'unknown' | 'ignored'> {
  const state = deliveryStateOf(providerStatus);
  if (!state) return 'ignored';
  const lower = Object.entries(RANK)
    .filter(([, r]) => r < RANK[state])
    .map(([s]) => s as DeliveryState);
  const [msg] = await tx
    .update(messages)
    .set({ deliveryStatus: state, deliveryError: state === 'failed' ? error : null, deliveryUpdatedAt: new Date() })
    .where(and(eq(messages.channel, channel), eq(messages.providerMessageId, providerMessageId), inArray(messages.deliveryStatus, lower)))
    .returning({ id: messages.id, ticketId: messages.ticketId, authorStaffId: messages.authorStaffId });
  if (msg) {
    const [t] = await tx.select().from(tickets).where(eq(tickets.id, msg.ticketId));
    await recordEvent(tx, snapshot(t!), 'message.delivery_updated', SYSTEM, { messageId: msg.id, channel, status: state, ...(error && state === 'failed' ? { error } : {}) });
    if (state === 'failed' && msg.authorStaffId) {
      await notifyStaff(tx, { kind: 'delivery.failed', audience: { staffIds: [msg.authorStaffId] }, title: `Votre réponse sur ${t!.number} n’a pas pu être remise au client`, ticketId: t!.id, number: t!.number, data: { messageId: msg.id, reason: error } });
    }
    return 'message';
  }
  const [n] = await tx
    .update(contactNotifications)
    .set({ status: state, error: state === 'failed' ? error : null, updatedAt: new Date() })
    .where(and(eq(contactNotifications.channel, channel), eq(contactNotifications.providerMessageId, providerMessageId), inArray(contactNotifications.status, lower)))
    .returning({ id: contactNotifications.id });
  if (n) return 'notification';
  const known = await tx.select({ id: messages.id }).from(messages).where(and(eq(messages.channel, channel), eq(messages.providerMessageId, providerMessageId))).limit(1);
  if (known.length) return 'ignored';
  if (channel === 'whatsapp') {
    const part = await applyPartStatus(tx, providerMessageId, state, error);
    if (part?.failed) await failWholeReply(tx, part.messageId, `${part.part.filename ? `« ${part.part.filename} » : ` : ''}${error ?? 'non remis'}`);
    if (part) return 'message';
  }
  return 'unknown';
}

/** One part of a multi-part reply did not arrive: the reply as a whole is failed, whatever the other parts said. */
async function failWholeReply(tx: Executor, messageId: string, reason: string): Promise<void> {
  const [msg] = await tx
    .update(messages)
    .set({ deliveryStatus: 'failed', deliveryError: reason, deliveryUpdatedAt: new Date() })
    .where(and(eq(messages.id, messageId), ne(messages.deliveryStatus, 'failed')))
    .returning({ id: messages.id, ticketId: messages.ticketId, authorStaffId: messages.authorStaffId });
  if (!msg) return;
  const [t] = await tx.select().from(tickets).where(eq(tickets.id, msg.ticketId));
  await recordEvent(tx, snapshot(t!), 'message.delivery_updated', SYSTEM, { messageId: msg.id, channel: 'whatsapp', status: 'failed', error: reason });
  if (msg.authorStaffId) {
    await notifyStaff(tx, { kind: 'delivery.failed', audience: { staffIds: [msg.authorStaffId] }, title: `Votre réponse sur ${t!.number} n’a pas pu être remise au client`, ticketId: t!.id, number: t!.number, data: { messageId: msg.id, reason } });
  }
}

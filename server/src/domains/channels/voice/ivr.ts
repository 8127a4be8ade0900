import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { ACTIVE_STATUSES, type TicketStatus } from '../../../../../common/src/tickets';
import type { AppContext } from '../../../platform/context';
import type { Executor } from '../../../platform/db';
import { notifyStaff, recordEvent, SYSTEM } from '../../../platform/events';
import { contactIdentities, contacts } from '../../contacts/contact.schema';
import { normalizePhone } from '../../contacts/identities';
import { queues } from '../../queues/queue.schema';
import { loadQueue } from '../../queues/queue-service';
import { isOpen } from '../../scheduling/business-hours';
import { tickets } from '../../tickets/ticket.schema';
import { snapshot } from '../../tickets/ticket-store';
import { requestCallback } from '../callbacks/callback-service';
import { calls } from '../channel.schema';
import { receiveInbound } from '../inbound/intake';
import { dial, gather, hangup, pause, record, renderTwiml, say, type VoiceVerb } from '../twilio/twiml';
import type { VoiceWebhook } from '../twilio/webhook-params';
import { spokenHours, spokenWhen } from './spoken';

/**
 * The phone menu, in French, for callers who are often elderly: one short sentence at a
 * time with pauses between them (speech read slowly), "9" to hear it again, "0" for an adviser.
 * The menu comes from the queues' `menuKey` (admin screen), so each hotline has its own.
 */
export const GREETING = 'Bonjour, vous êtes bien à la hotline.';
const MAX_TRIES = 3;

type Step = 'menu' | 'offer' | 'after-dial';

function url(ctx: AppContext, path: string, params: Record<string, string | number> = {}): string {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return `${ctx.config.publicUrl}/webhooks/twilio/voice${path}${qs ? `?${qs}` : ''}`;
}

/** A phone number we can call back, or null for hidden / invalid caller ids. */
export function callerNumber(from: string): string | null {
  if (!/^\+?\d{6,16}$/.test(from.replace(/[\s.-]/g, ''))) return null;
  try {
    return normalizePhone(from);
  } catch {
    return null;
  }
}

async function menuQueues(ctx: AppContext) {
  return ctx.db
    .select({ id: queues.id, slug: queues.slug, name: queues.name, menuKey: queues.menuKey })
    .from(queues)
    .where(and(isNotNull(queues.menuKey), eq(queues.active, true)))
    .orderBy(asc(queues.menuKey));
}

async function menu(ctx: AppContext, tries: number, preface?: string): Promise<string> {
  const options = await menuQueues(ctx);
  const prompts = [
    ...(preface ? [say(preface), pause(1)] : []),
    ...(tries === 0 && !preface ? [say(GREETING), pause(1)] : []),
    ...options.flatMap((q) => [say(`Pour ${q.name}, tapez ${q.menuKey}.`), pause(1)]),
    say('Pour parler à un conseiller, tapez 0.'),
    pause(1),
    say('Pour réécouter ce message, tapez 9.'),
  ];
  return renderTwiml(gather({ action: url(ctx, '/menu', { step: 'menu', try: tries }), numDigits: 1, timeout: 8, actionOnEmptyResult: true }, ...prompts));
}

/** Callback or voicemail: offered out of hours, when nobody answers, or when no desk phone is set. */
function offer(ctx: AppContext, caller: string | null, tries: number, preface: VoiceVerb[] = []): string {
  const prompts = caller
    ? [say('Pour être rappelé par un conseiller, tapez 1.'), pause(1), say('Pour nous laisser un message, tapez 2.'), pause(1), say('Pour réécouter, tapez 9.')]
    : [say('Votre numéro est masqué : nous ne pourrons pas vous rappeler.'), pause(1), say('Pour nous laisser un message, tapez 2.'), pause(1), say('Pour réécouter, tapez 9.')];
  return renderTwiml(...preface, gather({ action: url(ctx, '/menu', { step: 'offer', try: tries }), numDigits: 1, timeout: 8, actionOnEmptyResult: true }, ...prompts), say('Nous n’avons pas entendu votre choix. Au revoir.'), hangup());
}

async function closedMessage(ctx: AppContext, caller: string | null): Promise<string> {
  const rules = await loadQueue(ctx.db, null);
  const hours = spokenHours(rules.calendar);
  return offer(ctx, caller, 0, [say(GREETING), pause(1), say('La hotline est fermée pour le moment.'), pause(1), ...(hours ? [say(`Nos horaires : ${hours}`), pause(1)] : [])]);
}

/** `POST /webhooks/twilio/voice`: the call is logged, the console told who is calling, the menu played. */
export async function incomingCall(ctx: AppContext, call: VoiceWebhook): Promise<string> {
  const caller = callerNumber(call.from);
  const [known] = caller
    ? await ctx.db
        .select({ id: contacts.id, name: contacts.name })
        .from(contactIdentities)
        .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
        .where(and(inArray(contactIdentities.kind, ['phone', 'whatsapp']), eq(contactIdentities.value, caller)))
        .orderBy(asc(contactIdentities.createdAt))
        .limit(1)
    : [];
  await ctx.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(calls)
      .values({ callSid: call.callSid, fromNumber: caller ?? call.from, toNumber: call.to, contactId: known?.id ?? null })
      .onConflictDoNothing()
      .returning({ id: calls.id });
    if (!inserted.length) return;
    const open = known ? await openTicketsOf(tx, known.id) : [];
    // The console pops the caller up with their tickets while they listen to the menu.
    await notifyStaff(tx, {
      kind: 'call.incoming',
      audience: { roles: ['agent', 'supervisor'] },
      title: `Appel entrant : ${known?.name ?? caller ?? 'numéro masqué'}`,
      data: { callSid: call.callSid, from: caller, contact: known ?? null, tickets: open },
    });
  });
  const rules = await loadQueue(ctx.db, null);
  if (!isOpen(rules.calendar, new Date())) return closedMessage(ctx, caller);
  return menu(ctx, 0);
}

/** What the console shows next to an incoming call: the caller's requests still in progress. */
async function openTicketsOf(db: Executor, contactId: string) {
  return db
    .select({ id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status })
    .from(tickets)
    .where(and(eq(tickets.contactId, contactId), inArray(tickets.status, [...(ACTIVE_STATUSES as readonly TicketStatus[])])))
    .orderBy(desc(tickets.updatedAt))
    .limit(5);
}

/**
 * The caller chose a queue and the call is on its ticket: the agents of that queue (its level),
 * the supervisors and the ticket's assignee get the call with the caller's requests, one click
 * from the ticket. The other consoles first drop the card they showed while the caller was in
 * the menu (`call.routed`, sent before, so the queue's own card comes after it).
 */
async function announceQueuedCall(ctx: AppContext, call: VoiceWebhook, ticketId: string) {
  const [t] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!t) return;
  const [q] = await ctx.db.select({ id: queues.id, name: queues.name, level: queues.defaultLevel }).from(queues).where(eq(queues.id, t.queueId));
  const [contact] = await ctx.db.select({ id: contacts.id, name: contacts.name }).from(contacts).where(eq(contacts.id, t.contactId));
  const caller = callerNumber(call.from);
  const open = await openTicketsOf(ctx.db, t.contactId);
  await ctx.db.transaction(async (tx) => {
    await notifyStaff(tx, { kind: 'call.routed', audience: { roles: ['agent', 'supervisor'] }, title: '', quiet: true, data: { callSid: call.callSid } });
    await notifyStaff(tx, {
      kind: 'call.queued',
      audience: { agentLevel: t.level, roles: ['supervisor'], ...(t.assigneeId ? { staffIds: [t.assigneeId] } : {}) },
      title: `Appel entrant (${q?.name ?? 'hotline'}) : ${contact?.name ?? caller ?? 'numéro masqué'}`,
      ticketId: t.id,
      number: t.number,
      data: { callSid: call.callSid, from: caller, contact: contact ?? null, queue: q ?? null, ticket: { id: t.id, number: t.number, subject: t.subject, status: t.status }, tickets: open },
    });
  });
}

/** The call is attached to a ticket of the chosen queue: the caller's open one there, or a new one. */
async function recordCall(ctx: AppContext, call: VoiceWebhook, queue: { slug: string; name: string } | null, text: string, outcome: string) {
  const caller = callerNumber(call.from);
  const result = await receiveInbound(ctx, {
    channel: 'phone',
    providerMessageId: call.callSid,
    from: { phone: caller, name: call.callerName },
    text,
    queue: queue?.slug ?? null,
    subject: queue ? `Appel — ${queue.name}` : 'Appel',
    eventType: 'call.received',
    details: { kind: 'call', sender: caller ?? call.from, data: { callSid: call.callSid, queue: queue?.slug ?? null, outcome } },
  });
  await ctx.db
    .update(calls)
    .set({ ticketId: result.ticketId, contactId: result.contactId, outcome, ...(queue ? { queueId: (await loadQueue(ctx.db, queue.slug)).queue.id } : {}) })
    .where(eq(calls.callSid, call.callSid));
  return result;
}

/** `POST /webhooks/twilio/voice/menu`: one key pressed (or none) at one step of the menu. */
export async function menuChoice(ctx: AppContext, call: VoiceWebhook, step: Step, tries: number): Promise<string> {
  const caller = callerNumber(call.from);
  const digit = call.digits?.trim().slice(0, 1) ?? '';

  if (step === 'after-dial') {
    if (call.raw.DialCallStatus === 'completed') return renderTwiml(hangup());
    return offer(ctx, caller, 0, [say('Tous nos conseillers sont occupés.'), pause(1)]);
  }

  if (step === 'offer') {
    if (digit === '1' && caller) return callbackChosen(ctx, call);
    if (digit === '2') return voicemailPrompt(ctx);
    if (digit === '9') return offer(ctx, caller, tries);
    if (tries + 1 >= MAX_TRIES) return renderTwiml(say('Nous n’avons pas compris votre choix. Merci de rappeler plus tard. Au revoir.'), hangup());
    return offer(ctx, caller, tries + 1, [say(digit ? 'Ce choix n’existe pas.' : 'Nous n’avons pas entendu votre choix.'), pause(1)]);
  }

  // step === 'menu'
  if (digit === '9') return menu(ctx, tries, 'Je répète.');
  const options = await menuQueues(ctx);
  const chosen = digit === '0' ? null : options.find((q) => String(q.menuKey) === digit);
  if (!chosen && digit !== '0') {
    if (tries + 1 >= MAX_TRIES) return offer(ctx, caller, 0, [say('Nous n’avons pas compris votre choix.'), pause(1)]);
    return menu(ctx, tries + 1, digit ? 'Ce choix n’existe pas.' : 'Nous n’avons pas entendu votre choix.');
  }
  const queue = chosen ?? (await loadQueue(ctx.db, null)).queue;
  const recorded = await recordCall(ctx, call, queue, `Appel entrant — ${queue.name}${digit === '0' ? ' (conseiller demandé)' : ''}`, 'queued');
  if (recorded.outcome !== 'duplicate') await announceQueuedCall(ctx, call, recorded.ticketId);

  const agent = ctx.config.channels.twilio?.agentNumber;
  if (agent) {
    return renderTwiml(
      say('Nous vous mettons en relation avec un conseiller. Merci de patienter.'),
      dial(agent, { action: url(ctx, '/menu', { step: 'after-dial' }), timeout: 30, answerOnBridge: true, callerId: ctx.config.channels.twilio!.phoneNumber }),
    );
  }
  return offer(ctx, caller, 0, [say('Tous nos conseillers sont occupés.'), pause(1)]);
}

async function callbackChosen(ctx: AppContext, call: VoiceWebhook): Promise<string> {
  const caller = callerNumber(call.from)!;
  const existing = await ctx.db.select({ ticketId: calls.ticketId }).from(calls).where(eq(calls.callSid, call.callSid));
  const ticketId = existing[0]?.ticketId ?? (await recordCall(ctx, call, null, 'Appel — rappel demandé', 'callback')).ticketId;
  const cb = await ctx.db.transaction(async (tx) =>
    requestCallback(ctx, tx, { ticket: ticketId, phone: caller, source: 'ivr', reason: 'Demandé depuis le serveur vocal', callSid: call.callSid }, SYSTEM),
  );
  await ctx.db.update(calls).set({ outcome: 'callback' }).where(eq(calls.callSid, call.callSid));
  const rules = await loadQueue(ctx.db, null);
  const when = spokenWhen(cb.callback.dueAt, new Date(), rules.calendar.timezone);
  const soon = cb.callback.dueAt.getTime() - Date.now() < 5 * 60_000;
  return renderTwiml(say(soon ? 'C’est noté. Un conseiller va vous rappeler dès que possible.' : `C’est noté. Un conseiller vous rappellera ${when}.`), pause(1), say('Au revoir.'), hangup());
}

function voicemailPrompt(ctx: AppContext): string {
  return renderTwiml(
    say('Laissez votre message après le bip. Dites votre nom et la raison de votre appel.'),
    pause(1),
    say('Appuyez sur la touche dièse ou raccrochez quand vous avez terminé.'),
    record({ action: url(ctx, '/recording'), maxLength: 180, timeout: 8, finishOnKey: '#', playBeep: true, trim: 'trim-silence' }),
    say('Nous n’avons pas reçu de message. Au revoir.'),
    hangup(),
  );
}

/** `POST /webhooks/twilio/voice/recording`: the voicemail lands on the caller's ticket with its URL. */
export async function voicemailRecorded(ctx: AppContext, call: VoiceWebhook): Promise<string> {
  const rec = call.recording;
  if (!rec || !rec.url || rec.durationSeconds === 0) return renderTwiml(say('Nous n’avons pas reçu de message. Au revoir.'), hangup());
  const caller = callerNumber(call.from);
  const result = await receiveInbound(ctx, {
    channel: 'phone',
    providerMessageId: rec.sid ?? `${call.callSid}:voicemail`,
    from: { phone: caller, name: call.callerName },
    text: `Message vocal${rec.durationSeconds ? ` (${rec.durationSeconds} s)` : ''} : ${rec.url}`,
    subject: 'Message vocal',
    eventType: 'voicemail.received',
    details: { kind: 'voicemail', sender: caller ?? call.from, data: { callSid: call.callSid, recordingUrl: rec.url, recordingSid: rec.sid, durationSeconds: rec.durationSeconds } },
  });
  await ctx.db.update(calls).set({ recordingUrl: rec.url, outcome: 'voicemail', ticketId: result.ticketId, contactId: result.contactId }).where(eq(calls.callSid, call.callSid));
  return renderTwiml(say('Merci, votre message est bien enregistré. Un conseiller vous recontactera.'), pause(1), say('Au revoir.'), hangup());
}

/** `POST /webhooks/twilio/voice/status`: the call ended; its duration goes on the ticket once. */
export async function callStatus(ctx: AppContext, call: VoiceWebhook): Promise<void> {
  const final = ['completed', 'busy', 'failed', 'no-answer', 'canceled'].includes(call.callStatus ?? '');
  await ctx.db.transaction(async (tx) => {
    if (!final) {
      await tx.update(calls).set({ status: call.callStatus }).where(and(eq(calls.callSid, call.callSid), isNull(calls.endedAt)));
      return;
    }
    const [saved] = await tx
      .update(calls)
      .set({ status: call.callStatus, durationSeconds: call.callDurationSeconds, endedAt: new Date() })
      .where(and(eq(calls.callSid, call.callSid), isNull(calls.endedAt)))
      .returning();
    // The consoles take the call off their screens.
    if (saved) await notifyStaff(tx, { kind: 'call.ended', audience: { roles: ['agent', 'supervisor'] }, title: '', quiet: true, data: { callSid: call.callSid } });
    if (!saved?.ticketId) return;
    const [t] = await tx.select().from(tickets).where(eq(tickets.id, saved.ticketId));
    if (t) await recordEvent(tx, snapshot(t), 'call.ended', SYSTEM, { callSid: call.callSid, status: call.callStatus, durationSeconds: call.callDurationSeconds, outcome: saved.outcome });
  });
}

export function parseStep(value: unknown): Step {
  return value === 'offer' || value === 'after-dial' ? value : 'menu';
}

export function parseTries(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n < 10 ? n : 0;
}


import type { AppContext } from '../../platform/context';
import type { Executor } from '../../platform/db';
import { AppError, badRequest, unprocessable } from '../../platform/errors';
import { requestCallback } from '../channels/callbacks/callback-service';
import { matchOrCreateContact } from '../contacts/contact-service';
import { normalizePhone } from '../contacts/identities';
import { loadQueue } from '../queues/queue-service';
import { isOpen } from '../scheduling/business-hours';
import { compile, forward } from '../scheduling/compiled-calendar';
import { consumeCaptcha } from './captcha';
import type { PortalSession } from './portal-session';
import { findOwnRequest } from './portal-service';

/** Moments offered: the next opening periods (a morning, an afternoon…), enough for a few days. */
export const CALLBACK_SLOTS = 6;
/** An opening period about to end is not offered: nobody could call in time ("as soon as possible" still is). */
const MIN_SLOT_MINUTES = 15;
export const MAX_REASON = 1000;

export interface CallbackSlot {
  start: string;
  end: string;
}

/**
 * The moments a client may choose to be called back: the next opening periods of the hotline,
 * from its business hours (a period the hotline is in now starts now). A chosen moment is
 * always inside business hours, which the callback service checks again.
 */
export async function callbackSlots(db: Executor, now = new Date()): Promise<{ openNow: boolean; timezone: string; slots: CallbackSlot[] }> {
  const { calendar } = await loadQueue(db, null);
  const slots: CallbackSlot[] = [];
  // Each period keeps its own start (09:00, 14:00…), even the one under way: the choice a client
  // makes still names the same period when the form is sent a few minutes later.
  for (const iv of forward(compile(calendar), now.getTime(), 31)) {
    if (iv.end - Math.max(iv.start, now.getTime()) < MIN_SLOT_MINUTES * 60_000) continue;
    slots.push({ start: new Date(iv.start).toISOString(), end: new Date(iv.end).toISOString() });
    if (slots.length >= CALLBACK_SLOTS) break;
  }
  return { openNow: isOpen(calendar, now), timezone: calendar.timezone, slots };
}

export interface PortalCallbackInput {
  name?: string;
  phone?: string;
  /** The start of one of the offered moments, or "asap". */
  slot?: string;
  reason?: string;
  /** A request of the client's (portal session) the callback is about. */
  request?: string;
  altcha?: string;
}

const problem = (field: string, text: string) => ({ field: `body.${field}`, problem: text });

/**
 * "Être rappelé" from the portal, in one transaction: captcha spent, the client matched (their
 * request if they chose one, else by phone number and name), and a callback task made by the
 * callback service, owned by an agent and due at the chosen moment.
 */
export async function requestPortalCallback(ctx: AppContext, input: PortalCallbackInput, session: PortalSession | null) {
  const problems: { field: string; problem: string }[] = [];
  const name = input.name?.trim() ?? '';
  const wantsRequest = !!input.request?.trim();
  if (!wantsRequest && !name) problems.push(problem('name', 'Indiquez votre nom.'));
  if (name.length > 200) problems.push(problem('name', 'Votre nom est trop long (200 caractères au plus).'));
  let phone: string | null = null;
  if (!input.phone?.trim()) problems.push(problem('phone', 'Indiquez le numéro auquel nous pouvons vous appeler.'));
  else {
    try {
      phone = normalizePhone(input.phone, 'phone');
    } catch {
      problems.push(problem('phone', 'Ce numéro de téléphone n’est pas valide. Exemple : 06 12 34 56 78.'));
    }
  }
  if (!input.slot) problems.push(problem('slot', 'Choisissez quand nous pouvons vous appeler.'));
  const reason = input.reason?.trim() ?? '';
  if (reason.length > MAX_REASON) problems.push(problem('reason', `Votre message est trop long (${MAX_REASON} caractères au plus).`));
  if (!input.altcha) problems.push(problem('altcha', 'Cochez la case « Je ne suis pas un robot » et attendez la coche verte.'));
  if (problems.length) throw badRequest('VALIDATION_FAILED', problems.length === 1 ? problems[0]!.problem : `Il y a ${problems.length} problèmes dans le formulaire : ${problems.map((p) => p.problem).join(' ')}`, problems);

  const now = new Date();
  let dueAt: Date | null = null;
  let slot: CallbackSlot | null = null;
  if (input.slot !== 'asap') {
    const offered = await callbackSlots(ctx.db, now);
    slot = offered.slots.find((s) => s.start === input.slot) ?? null;
    if (!slot) throw unprocessable('CALLBACK_SLOT_GONE', 'Ce moment n’est plus proposé. Choisissez-en un autre dans la liste.', [problem('slot', 'Ce moment n’est plus proposé. Choisissez-en un autre dans la liste.')]);
    dueAt = new Date(Math.max(Date.parse(slot.start), now.getTime()));
  }

  return ctx.db.transaction(async (tx) => {
    await consumeCaptcha(tx, ctx.config, input.altcha!);
    let ticket: { id: string; contactId: string; number: string } | null = null;
    if (wantsRequest) {
      if (!session) throw new AppError(401, 'PORTAL_SESSION_REQUIRED', 'Ouvrez « Mes demandes » avec le lien reçu pour demander un rappel sur une de vos demandes.');
      ticket = await findOwnRequest(tx, session, input.request!);
    }
    const contactId = ticket?.contactId ?? (await matchOrCreateContact(tx, { name, phone: phone! })).id;
    const { callback } = await requestCallback(
      ctx,
      tx,
      { contactId, ticket: ticket?.id ?? null, phone, dueAt, source: 'portal', reason: reason ? `Demandé sur le site : ${reason}` : 'Demandé sur le site' },
      { kind: 'contact', id: contactId },
    );
    return { dueAt: callback.dueAt.toISOString(), slot, phone: callback.phone, request: ticket?.number ?? null };
  });
}

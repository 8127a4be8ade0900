import { and, desc, eq, inArray } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Channel } from '../../../../common/src/tickets';
import type { AppContext } from '../../platform/context';
import { notifyContact } from '../../platform/contact-notifications';
import type { DB, Executor, Tx } from '../../platform/db';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors';
import { notifyStaff, recordEvent, type Actor } from '../../platform/events';
import { contactIdentities, contacts } from '../contacts/contact.schema';
import { matchOrCreateContact } from '../contacts/contact-service';
import { normalizeEmail, normalizePhone } from '../contacts/identities';
import { DEFAULT_FIRST_INSTRUCTIONS, getSetting, SETTING_KEYS } from '../queues/settings';
import { applyStatus } from '../tickets/ticket-commands';
import { createTicket } from '../tickets/ticket-intake';
import { messages, tickets } from '../tickets/ticket.schema';
import { saveTicket, snapshot, type TicketRow } from '../tickets/ticket-store';
import { consumeCaptcha } from './captcha';
import { portalRatings } from './portal.schema';
import { addTicketToSession, createMagicLink, createSession, magicLinkUrl, type PortalSession } from './portal-session';
import { isFinished, messageColumns, messageView, POSSIBLE_EMERGENCY_TAG, requestDetail, requestSummaries, stepOf } from './portal-views';
import { verificationCodeFor } from './verification-code';

export const URGENT_DEFAULT_DESCRIPTION = 'Je pense être victime d’un piratage ou d’une arnaque. (Demande envoyée avec le bouton d’urgence du site.)';
/** For the agent who sees the flag: what the client did. */
export const URGENT_BUTTON_LABEL = 'Le client a utilisé le bouton « Je pense être victime d’un piratage ou d’une arnaque » du site';
export const MAX_DESCRIPTION = 10_000;
export const MAX_REPLY = 10_000;
/** Re-sent links per email or phone and hour: enough for a typo, too few to flood someone's phone. */
export const LINKS_PER_IDENTITY_PER_HOUR = 5;

interface FieldProblem {
  field: string;
  problem: string;
}

/** One 400 listing every field to fix, in French, so the page can show its error summary. */
function fieldErrors(problems: FieldProblem[]): AppError {
  const message = problems.length === 1 ? problems[0]!.problem : `Il y a ${problems.length} problèmes dans le formulaire : ${problems.map((p) => p.problem).join(' ')}`;
  return badRequest('VALIDATION_FAILED', message, problems);
}

const PHONE_PROBLEM = 'Ce numéro de téléphone n’est pas valide. Exemple : 06 12 34 56 78.';
const EMAIL_PROBLEM = 'Cette adresse email n’est pas valide. Exemple : nom@exemple.fr.';

function tryPhone(raw: string | undefined, problems: FieldProblem[]): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return normalizePhone(raw, 'phone');
  } catch {
    problems.push({ field: 'body.phone', problem: PHONE_PROBLEM });
    return undefined;
  }
}

function tryEmail(raw: string | undefined, problems: FieldProblem[]): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return normalizeEmail(raw, 'email');
  } catch {
    problems.push({ field: 'body.email', problem: EMAIL_PROBLEM });
    return undefined;
  }
}

/**
 * Where a message to this phone can go: WhatsApp if the client uses it with us, SMS to a mobile,
 * nothing to a landline (an adviser calls back instead).
 */
export function phoneChannel(e164: string, preferred: Channel | null): 'sms' | 'whatsapp' | null {
  if (preferred === 'whatsapp') return 'whatsapp';
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type === 'FIXED_LINE' ? null : 'sms';
}

/** The subject the desk sees in its lists: the start of what the client wrote. */
export function subjectOf(description: string): string {
  const flat = description.replace(/\s+/g, ' ').trim();
  if (flat.length <= 80) return flat;
  const cut = flat.slice(0, 80);
  const space = cut.lastIndexOf(' ');
  return `${(space > 40 ? cut.slice(0, space) : cut).replace(/[\s,;:.!?-]+$/, '')}…`;
}

export interface NewRequestInput {
  name?: string;
  phone?: string;
  email?: string;
  description?: string;
  category?: string;
  urgent?: boolean;
  altcha?: string;
}

export interface NewRequestResult {
  number: string;
  status: string;
  step: number;
  verificationCode: string;
  portalToken: string;
  sentTo: 'email' | 'sms' | 'whatsapp' | null;
  firstInstructions?: string[];
  /** A new session to put in the cookie; null when the browser's current session was kept. */
  newSession: { token: string; expiresAt: Date } | null;
}

/**
 * The "Nouvelle demande" form (and the urgent button), in one transaction: captcha spent,
 * contact matched or created, the request created by the ticket core's intake, the urgent flag,
 * the confirmation with its magic link queued, and the browser's session.
 */
export async function submitRequest(ctx: AppContext, input: NewRequestInput, current: PortalSession | null): Promise<NewRequestResult> {
  const problems: FieldProblem[] = [];
  const name = input.name?.trim() ?? '';
  if (!name) problems.push({ field: 'body.name', problem: 'Indiquez votre nom.' });
  else if (name.length > 200) problems.push({ field: 'body.name', problem: 'Votre nom est trop long (200 caractères au plus).' });
  const phone = tryPhone(input.phone, problems);
  const email = tryEmail(input.email, problems);
  if (!input.phone?.trim() && !input.email?.trim()) {
    problems.push({ field: 'body.phone', problem: 'Indiquez un numéro de téléphone ou une adresse email, pour que nous puissions vous répondre.' });
  }
  const urgent = input.urgent === true;
  const description = input.description?.trim() || (urgent ? URGENT_DEFAULT_DESCRIPTION : '');
  if (!description) problems.push({ field: 'body.description', problem: 'Expliquez en quelques mots ce qui se passe.' });
  else if (description.length > MAX_DESCRIPTION) problems.push({ field: 'body.description', problem: 'Votre message est trop long (10 000 caractères au plus). Vous pourrez ajouter des détails ensuite.' });
  const category = input.category?.trim() || undefined;
  if (category && category.length > 100) problems.push({ field: 'body.category', problem: 'Ce type de problème n’est pas reconnu.' });
  if (!input.altcha) problems.push({ field: 'body.altcha', problem: 'Cochez la case « Je ne suis pas un robot » et attendez la coche verte.' });
  if (problems.length) throw fieldErrors(problems);

  return ctx.db.transaction(async (tx) => {
    await consumeCaptcha(tx, ctx.config, input.altcha!);
    const { id: contactId } = await matchOrCreateContact(tx, { name, ...(phone ? { phone } : {}), ...(email ? { email } : {}) });
    const actor: Actor = { kind: 'contact', id: contactId };
    // The ticket core's intake (queue, level, policies, SLA, routing, events), handed this
    // transaction as its database so that it runs inside it: all or nothing.
    const inTx: AppContext = { ...ctx, db: tx as unknown as DB };
    const { ticket: created } = await createTicket(inTx, actor, {
      contactId,
      subject: subjectOf(description),
      description,
      channel: 'web',
      ...(category ? { category } : {}),
      ...(urgent ? { priority: 'high' as const, tags: [POSSIBLE_EMERGENCY_TAG] } : {}),
    });

    let ticket = created;
    let firstInstructions: string[] | undefined;
    if (urgent) {
      // Not the red button: the request is shown as a possible emergency (the same field the
      // text triage fills, one click from the red button), an agent confirms, and the right
      // people are told at once.
      const previous = created.possibleEmergency;
      ticket = await saveTicket(tx, created.id, {
        possibleEmergency: {
          score: Math.max(previous?.score ?? 0, 1),
          reasons: [{ code: 'client_urgent_button', label: URGENT_BUTTON_LABEL, excerpt: description.slice(0, 160) }, ...(previous?.reasons ?? [])],
          at: new Date().toISOString(),
        },
      });
      await recordEvent(tx, snapshot(ticket), 'triage.possible_emergency', actor, { source: 'portal_urgent_button' });
      await notifyStaff(tx, {
        kind: 'possible_cyber_emergency',
        audience: { agentLevel: 3, roles: ['supervisor'] },
        title: `Possible urgence cyber signalée par le client : ${ticket.number} — ${ticket.subject}`,
        ticketId: ticket.id,
        number: ticket.number,
      });
      firstInstructions = await getSetting<string[]>(tx, SETTING_KEYS.firstInstructions, DEFAULT_FIRST_INSTRUCTIONS);
    }

    let portalToken: string;
    let newSession: NewRequestResult['newSession'] = null;
    if (current && current.contactId === contactId) {
      await addTicketToSession(tx, current, ticket.id);
      portalToken = current.token;
    } else {
      // Typing a phone or an email proves nothing: this session sees only the request just made.
      // The magic link, which reaches the real owner, opens all of the contact's requests.
      newSession = await createSession(tx, contactId, [ticket.id]);
      portalToken = newSession.token;
    }

    const [contact] = await tx.select({ name: contacts.name, preferredChannel: contacts.preferredChannel }).from(contacts).where(eq(contacts.id, contactId));
    const sentTo: NewRequestResult['sentTo'] = email ? 'email' : phone ? phoneChannel(phone, contact!.preferredChannel) : null;
    if (sentTo) {
      const token = await createMagicLink(tx, contactId, ticket.id);
      await notifyContact(ctx, tx, {
        contactId,
        ticketId: ticket.id,
        template: 'ticket_received',
        channel: sentTo,
        variables: { name: contact!.name, number: ticket.number, link: magicLinkUrl(ctx.config, token) },
      });
    }

    return {
      number: ticket.number,
      status: ticket.status,
      step: stepOf(ticket.status),
      verificationCode: await verificationCodeFor(tx, ticket.id),
      portalToken,
      sentTo,
      ...(firstInstructions ? { firstInstructions } : {}),
      newSession,
    };
  });
}

/**
 * "Recevoir un nouveau lien": the answer is the same whether or not the email or phone is known
 * (the route always says 202); a known contact gets a link on that channel.
 */
export async function requestMagicLink(ctx: AppContext, input: { email?: string; phone?: string }, allow: (identity: string) => Promise<boolean>): Promise<void> {
  const problems: FieldProblem[] = [];
  const phone = tryPhone(input.phone, problems);
  const email = tryEmail(input.email, problems);
  if (!input.phone?.trim() && !input.email?.trim()) {
    problems.push({ field: 'body.email', problem: 'Indiquez l’adresse email ou le numéro de téléphone donné avec votre demande.' });
  }
  if (problems.length) throw fieldErrors(problems);

  const targets: { identity: string; channel: Channel | null; where: ReturnType<typeof and> }[] = [];
  if (email) targets.push({ identity: `email:${email}`, channel: 'email', where: and(eq(contactIdentities.kind, 'email'), eq(contactIdentities.value, email)) });
  if (phone) targets.push({ identity: `phone:${phone}`, channel: null, where: and(inArray(contactIdentities.kind, ['phone', 'whatsapp']), eq(contactIdentities.value, phone)) });

  for (const target of targets) {
    if (!(await allow(target.identity))) continue;
    const [row] = await ctx.db
      .select({ contactId: contactIdentities.contactId, kind: contactIdentities.kind, name: contacts.name, preferredChannel: contacts.preferredChannel })
      .from(contactIdentities)
      .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
      .where(target.where)
      .orderBy(contactIdentities.kind)
      .limit(1);
    if (!row) continue;
    const channel = target.channel ?? phoneChannel(phone!, row.kind === 'whatsapp' ? 'whatsapp' : row.preferredChannel);
    if (!channel) continue;
    await ctx.db.transaction(async (tx) => {
      const token = await createMagicLink(tx, row.contactId, null);
      await notifyContact(ctx, tx, { contactId: row.contactId, template: 'magic_link', channel, variables: { name: row.name, link: magicLinkUrl(ctx.config, token) } });
    });
    return;
  }
}

const NUMBER_RE = /^[A-Za-z]{2,6}-\d{1,12}$/;

const requestNotFound = (number: string) => notFound('REQUEST_NOT_FOUND', `Nous ne trouvons pas la demande « ${number} » parmi les vôtres.`);

/** Only the session's own requests exist for it: any other number is a 404, as if it did not exist. */
function ownedBy(session: PortalSession) {
  return and(eq(tickets.contactId, session.contactId), session.ticketIds === null ? undefined : inArray(tickets.id, session.ticketIds.length ? session.ticketIds : ['00000000-0000-0000-0000-000000000000']));
}

export async function findOwnRequest(db: Executor, session: PortalSession, number: string, lock = false): Promise<TicketRow> {
  if (!NUMBER_RE.test(number.trim())) throw requestNotFound(number);
  const q = db
    .select()
    .from(tickets)
    .where(and(eq(tickets.number, number.trim().toUpperCase()), ownedBy(session)))
    .limit(1);
  const rows = lock ? await q.for('update') : await q;
  if (!rows[0]) throw requestNotFound(number);
  return rows[0];
}

export async function listOwnRequests(db: DB, session: PortalSession) {
  const rows = await db.select().from(tickets).where(ownedBy(session)).orderBy(desc(tickets.createdAt), desc(tickets.id)).limit(200);
  return { items: await requestSummaries(db, rows) };
}

function mutateOwn<T>(ctx: AppContext, session: PortalSession, number: string, fn: (tx: Tx, t: TicketRow, actor: Actor) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => fn(tx, await findOwnRequest(tx, session, number, true), { kind: 'contact', id: session.contactId }));
}

export function assertCanWrite(t: TicketRow): void {
  if (t.status === 'resolved') {
    throw conflict('REQUEST_RESOLVED', 'Cette demande est résolue. Si le problème continue, cliquez sur « Ce n’est pas résolu » : elle sera rouverte et un conseiller vous répondra.');
  }
  if (t.status === 'closed') {
    throw conflict('REQUEST_CLOSED', 'Cette demande est terminée. Pour un nouveau problème, faites une nouvelle demande.');
  }
}

/** A client's reply: a public message; if the desk was waiting for them, the request is back in progress. */
export function addReply(ctx: AppContext, session: PortalSession, number: string, rawBody: string) {
  const body = rawBody.trim();
  if (!body) throw fieldErrors([{ field: 'body.body', problem: 'Écrivez votre message avant de l’envoyer.' }]);
  if (body.length > MAX_REPLY) throw fieldErrors([{ field: 'body.body', problem: 'Votre message est trop long (10 000 caractères au plus). Envoyez-le en plusieurs fois.' }]);
  return mutateOwn(ctx, session, number, async (tx, t, actor) => {
    assertCanWrite(t);
    const [msg] = await tx.insert(messages).values({ ticketId: t.id, authorKind: 'contact', visibility: 'public', channel: 'web', body }).returning(messageColumns);
    const saved = await saveTicket(tx, t.id, {});
    await recordEvent(tx, snapshot(saved), 'message.added', actor, { messageId: msg!.id, excerpt: body.slice(0, 140) });
    if (t.status === 'waiting_on_contact') await applyStatus(tx, saved, 'in_progress', actor, { reason: 'Le client a répondu.' });
    return messageView(msg!, null, session.contactName);
  });
}

/** A score of 1 to 5 and an optional comment, as a person types them; the comment trimmed (null if empty). */
export function checkRating(score: number, rawComment: string | undefined): { score: number; comment: string | null } {
  const comment = rawComment?.trim() || null;
  if (!Number.isInteger(score) || score < 1 || score > 5) throw fieldErrors([{ field: 'body.score', problem: 'Choisissez une note de 1 à 5.' }]);
  if (comment && comment.length > 2000) throw fieldErrors([{ field: 'body.comment', problem: 'Votre commentaire est trop long (2 000 caractères au plus).' }]);
  return { score, comment };
}

/** Records the rating of a (locked) request: only once it is resolved or closed, and once. */
export async function saveRating(tx: Tx, t: TicketRow, actor: Actor & { kind: 'contact' }, score: number, comment: string | null, data: Record<string, unknown> = {}) {
  if (!isFinished(t.status)) throw conflict('RATING_NOT_ALLOWED', 'Vous pourrez donner votre avis quand la demande sera résolue.');
  const inserted = await tx.insert(portalRatings).values({ ticketId: t.id, contactId: actor.id, score, comment }).onConflictDoNothing().returning({ score: portalRatings.score });
  if (!inserted.length) throw conflict('ALREADY_RATED', 'Vous avez déjà donné votre avis sur cette demande. Merci !');
  await recordEvent(tx, snapshot(t), 'rating.added', actor, { score, ...(comment ? { comment } : {}), ...data });
  return { score, comment };
}

/** The satisfaction rating: only once the request is resolved or closed, and once. */
export function addRating(ctx: AppContext, session: PortalSession, number: string, score: number, rawComment: string | undefined) {
  const checked = checkRating(score, rawComment);
  return mutateOwn(ctx, session, number, async (tx, t) => saveRating(tx, t, { kind: 'contact', id: session.contactId }, checked.score, checked.comment));
}

/** "Ce n’est pas résolu": resolved → open, with the client's words in the event and in the conversation. */
export async function reopenRequest(ctx: AppContext, session: PortalSession, number: string, rawReason: string) {
  const reason = rawReason.trim();
  if (!reason) throw fieldErrors([{ field: 'body.reason', problem: 'Dites-nous en quelques mots ce qui ne marche toujours pas.' }]);
  if (reason.length > MAX_REPLY) throw fieldErrors([{ field: 'body.reason', problem: 'Votre message est trop long (10 000 caractères au plus).' }]);
  const t = await mutateOwn(ctx, session, number, async (tx, t, actor) => {
    if (t.status === 'closed') throw conflict('REQUEST_CLOSED', 'Cette demande est terminée et ne peut plus être rouverte. Pour le même problème, faites une nouvelle demande.');
    if (t.status !== 'resolved') throw conflict('REQUEST_NOT_RESOLVED', 'Cette demande est encore en cours : écrivez simplement un message à votre conseiller.');
    const [msg] = await tx.insert(messages).values({ ticketId: t.id, authorKind: 'contact', visibility: 'public', channel: 'web', body: reason }).returning({ id: messages.id });
    await recordEvent(tx, snapshot(t), 'message.added', actor, { messageId: msg!.id, excerpt: reason.slice(0, 140) });
    return applyStatus(tx, t, 'open', actor, { reason });
  });
  return requestDetail(ctx.db, t);
}

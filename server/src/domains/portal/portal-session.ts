import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config';
import type { DB, Executor } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { contacts } from '../contacts/contact.schema';
import { portalMagicLinks, portalSessions } from './portal.schema';

export const PORTAL_COOKIE = 'relais_portal';
export const PORTAL_COOKIE_PATH = '/api/v1/portal';
export const MAGIC_LINK_TTL_DAYS = 7;
export const SESSION_TTL_DAYS = 30;
const DAY_MS = 86_400_000;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface PortalSession {
  id: string;
  contactId: string;
  contactName: string;
  /** null: every request of the contact; otherwise only these. */
  ticketIds: string[] | null;
  token: string;
}

/** The link in the confirmation message and in re-sent links; the web page posts `t` to `/sessions`. */
export function magicLinkUrl(config: Pick<Config, 'publicUrl'>, token: string): string {
  return `${config.publicUrl}/mes-demandes?t=${encodeURIComponent(token)}`;
}

export async function createMagicLink(tx: Executor, contactId: string, ticketId: string | null, now = new Date()): Promise<string> {
  // 24 random bytes: 32 characters, short enough for an SMS, far too many to guess.
  const token = randomBytes(24).toString('base64url');
  await tx.insert(portalMagicLinks).values({ contactId, ticketId, tokenHash: sha256(token), createdAt: now, expiresAt: new Date(now.getTime() + MAGIC_LINK_TTL_DAYS * DAY_MS) });
  return token;
}

export async function createSession(tx: Executor, contactId: string, ticketIds: string[] | null, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = `rlp_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + SESSION_TTL_DAYS * DAY_MS);
  await tx.insert(portalSessions).values({ contactId, tokenHash: sha256(token), ticketIds, createdAt: now, expiresAt });
  return { token, expiresAt };
}

/** A request made from a browser that already follows some of the contact's requests adds the new one to them. */
export async function addTicketToSession(tx: Executor, session: PortalSession, ticketId: string): Promise<void> {
  if (session.ticketIds === null) return;
  await tx
    .update(portalSessions)
    .set({ ticketIds: sql`array_append(${portalSessions.ticketIds}, ${ticketId}::uuid)` })
    .where(eq(portalSessions.id, session.id));
}

export function portalTokenFrom(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(rlp_[A-Za-z0-9_-]{20,100})$/i.exec(header);
    if (m) return m[1]!;
  }
  const cookie = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[PORTAL_COOKIE];
  return cookie && /^rlp_[A-Za-z0-9_-]{20,100}$/.test(cookie) ? cookie : null;
}

export async function findSession(db: Executor, token: string | null): Promise<PortalSession | null> {
  if (!token) return null;
  const rows = await db
    .select({ id: portalSessions.id, contactId: portalSessions.contactId, ticketIds: portalSessions.ticketIds, contactName: contacts.name })
    .from(portalSessions)
    .innerJoin(contacts, eq(contacts.id, portalSessions.contactId))
    .where(and(eq(portalSessions.tokenHash, sha256(token)), isNull(portalSessions.revokedAt), gt(portalSessions.expiresAt, new Date())))
    .limit(1);
  const row = rows[0];
  return row ? { ...row, token } : null;
}

export async function requireSession(db: DB, req: FastifyRequest): Promise<PortalSession> {
  const session = await findSession(db, portalTokenFrom(req));
  if (!session) {
    throw new AppError(401, 'PORTAL_AUTH_REQUIRED', 'Pour voir vos demandes, ouvrez le lien reçu par email ou par SMS. Vous pouvez demander un nouveau lien.');
  }
  return session;
}

export function setPortalCookie(reply: FastifyReply, config: Pick<Config, 'publicUrl'>, token: string, expiresAt: Date): void {
  void reply.setCookie(PORTAL_COOKIE, token, {
    path: PORTAL_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicUrl.startsWith('https:'),
    expires: expiresAt,
  });
}

export function clearPortalCookie(reply: FastifyReply, config: Pick<Config, 'publicUrl'>): void {
  void reply.clearCookie(PORTAL_COOKIE, { path: PORTAL_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: config.publicUrl.startsWith('https:') });
}

export async function revokeSession(db: Executor, token: string): Promise<void> {
  await db.update(portalSessions).set({ revokedAt: new Date() }).where(and(eq(portalSessions.tokenHash, sha256(token)), isNull(portalSessions.revokedAt)));
}

/**
 * Exchanges a magic link for a session, once: the link is marked used in the same statement that
 * checks it, so two clicks at the same instant cannot both succeed. A used link presented by a
 * browser that already holds a session of the same contact just carries on (a second click).
 */
export async function redeemMagicLink(
  db: DB,
  token: string,
  current: PortalSession | null,
): Promise<{ contactId: string; contactName: string; session: { token: string; expiresAt: Date } | null }> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const [link] = await tx.select().from(portalMagicLinks).where(eq(portalMagicLinks.tokenHash, sha256(token))).limit(1).for('update');
    if (!link) {
      throw new AppError(401, 'LINK_INVALID', 'Ce lien n’est pas valide. Vérifiez qu’il est complet, ou demandez un nouveau lien avec votre email ou votre numéro de téléphone.');
    }
    const [contact] = await tx.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, link.contactId));
    if (link.usedAt && current && current.contactId === link.contactId && current.ticketIds === null) {
      return { contactId: link.contactId, contactName: contact!.name, session: null };
    }
    if (link.usedAt) {
      throw new AppError(410, 'LINK_EXPIRED', 'Ce lien a déjà servi. Pour des raisons de sécurité, chaque lien ne marche qu’une fois. Demandez un nouveau lien avec votre email ou votre numéro de téléphone.');
    }
    if (link.expiresAt <= now) {
      throw new AppError(410, 'LINK_EXPIRED', `Ce lien a expiré : il était valable ${MAGIC_LINK_TTL_DAYS} jours. Demandez un nouveau lien avec votre email ou votre numéro de téléphone.`);
    }
    await tx.update(portalMagicLinks).set({ usedAt: now }).where(eq(portalMagicLinks.id, link.id));
    const session = await createSession(tx, link.contactId, null, now);
    return { contactId: link.contactId, contactName: contact!.name, session };
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { isInlineImage } from '../../../../common/src/attachments';
import type { AppContext } from '../../platform/context';
import { AppError, badRequest, notFound } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { loadQueue } from '../queues/queue-service';
import { DEFAULT_FIRST_INSTRUCTIONS, getSetting, SETTING_KEYS } from '../queues/settings';
import { describeStatus } from '../scheduling/status';
import { readAttachment, removeStored, safeFilename, storeAttachment, type StoredFile } from '../tickets/attachment-storage';
import { attachments } from '../tickets/ticket.schema';
import { snapshot } from '../tickets/ticket-store';
import { newChallenge } from './captcha';
import {
  AttachmentParam,
  CurrentSession,
  InfoAnswer,
  MagicLinkBody,
  NewRequestAnswer,
  NewRequestBody,
  NumberParam,
  PortalAttachment,
  PortalMessage,
  portalErrors,
  RatingBody,
  ReopenBody,
  ReplyBody,
  RequestDetail,
  RequestSummary,
  SessionAnswer,
  SessionBody,
} from './portal.schemas';
import { addRating, addReply, assertCanWrite, findOwnRequest, LINKS_PER_IDENTITY_PER_HOUR, listOwnRequests, reopenRequest, requestMagicLink, submitRequest } from './portal-service';
import { clearPortalCookie, findSession, portalTokenFrom, redeemMagicLink, requireSession, revokeSession, setPortalCookie } from './portal-session';
import { isAttachmentVisible, requestDetail } from './portal-views';
import { portalCallbackRoutes } from './callback-request-routes';
import { hitRateLimit, withinLimit } from './rate-limit';
import { ratingLinkRoutes } from './rating-link-routes';

export const PORTAL_PREFIX = '/api/v1/portal';

/** What a client may send from the portal: photos, screenshots, PDFs (the type is sniffed from the bytes). */
export const PORTAL_ATTACHMENT_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'application/pdf']);

/**
 * Portal routes are public for the staff access control (`access: 'public'`) and check the
 * client's portal session themselves. They are documented in docs/portal-api.md and kept out of
 * the staff OpenAPI document, whose security scheme (staff bearer tokens) does not apply to them.
 */
const schema = <T extends object>(s: T) => ({ hide: true, tags: ['portal'], ...s });
const pub = { access: 'public' as const };

export function portalRoutes(app: FastifyInstance, ctx: AppContext): void {
  const limit = ctx.config.portalRateLimit;
  const byAddress = (req: FastifyRequest, reply: FastifyReply, scope: string) => hitRateLimit(ctx.db, reply, scope, req.ip, limit);

  app.get(`${PORTAL_PREFIX}/captcha`, { config: pub, schema: schema({ summary: 'ALTCHA challenge (protocol v2) for the altcha 3.x widget' }) }, async (_req, reply) => {
    return reply.header('cache-control', 'no-store').send(await newChallenge(ctx.config));
  });

  app.post<{ Body: Static<typeof NewRequestBody> }>(
    `${PORTAL_PREFIX}/requests`,
    { config: pub, schema: schema({ summary: 'New request (form or urgent button)', body: NewRequestBody, response: { 201: NewRequestAnswer, ...portalErrors } }) },
    async (req, reply) => {
      await byAddress(req, reply, 'portal-request');
      const current = await findSession(ctx.db, portalTokenFrom(req));
      const { newSession, ...answer } = await submitRequest(ctx, req.body, current);
      if (newSession) setPortalCookie(reply, ctx.config, newSession.token, newSession.expiresAt);
      return reply.status(201).header('cache-control', 'no-store').send(answer);
    },
  );

  app.post<{ Body: Static<typeof MagicLinkBody> }>(
    `${PORTAL_PREFIX}/magic-links`,
    { config: pub, schema: schema({ summary: 'Send a new magic link (always 202)', body: MagicLinkBody, response: { 202: Type.Object({}), ...portalErrors } }) },
    async (req, reply) => {
      await byAddress(req, reply, 'portal-link');
      await requestMagicLink(ctx, req.body, (identity) => withinLimit(ctx.db, 'portal-link-identity', identity, LINKS_PER_IDENTITY_PER_HOUR));
      return reply.status(202).send({});
    },
  );

  app.post<{ Body: Static<typeof SessionBody> }>(
    `${PORTAL_PREFIX}/sessions`,
    { config: pub, schema: schema({ summary: 'Exchange a magic link for a portal session', body: SessionBody, response: { 201: SessionAnswer, ...portalErrors } }) },
    async (req, reply) => {
      await byAddress(req, reply, 'portal-session');
      const current = await findSession(ctx.db, portalTokenFrom(req));
      const { contactName, session } = await redeemMagicLink(ctx.db, req.body.token.trim(), current);
      if (session) setPortalCookie(reply, ctx.config, session.token, session.expiresAt);
      return reply.status(201).header('cache-control', 'no-store').send({ contact: { name: contactName } });
    },
  );

  app.get(
    `${PORTAL_PREFIX}/sessions/current`,
    { config: pub, schema: schema({ summary: 'Who the portal session belongs to', response: { 200: CurrentSession, ...portalErrors } }) },
    async (req) => {
      const s = await requireSession(ctx.db, req);
      return { contact: { name: s.contactName }, scope: s.ticketIds === null ? 'all' : 'requests' };
    },
  );

  app.delete(`${PORTAL_PREFIX}/sessions/current`, { config: pub, schema: schema({ summary: 'Log out of the portal' }) }, async (req, reply) => {
    const token = portalTokenFrom(req);
    if (token) await revokeSession(ctx.db, token);
    clearPortalCookie(reply, ctx.config);
    return reply.status(204).send();
  });

  app.get(
    `${PORTAL_PREFIX}/requests`,
    { config: pub, schema: schema({ summary: 'My requests, newest first', response: { 200: Type.Object({ items: Type.Array(RequestSummary) }), ...portalErrors } }) },
    async (req, reply) => {
      const s = await requireSession(ctx.db, req);
      void reply.header('cache-control', 'no-store');
      return listOwnRequests(ctx.db, s);
    },
  );

  app.get<{ Params: Static<typeof NumberParam> }>(
    `${PORTAL_PREFIX}/requests/:number`,
    { config: pub, schema: schema({ summary: 'One of my requests, with its public conversation', params: NumberParam, response: { 200: RequestDetail, ...portalErrors } }) },
    async (req, reply) => {
      const s = await requireSession(ctx.db, req);
      void reply.header('cache-control', 'no-store');
      return requestDetail(ctx.db, await findOwnRequest(ctx.db, s, req.params.number));
    },
  );

  app.post<{ Params: Static<typeof NumberParam>; Body: Static<typeof ReplyBody> }>(
    `${PORTAL_PREFIX}/requests/:number/messages`,
    { config: pub, schema: schema({ summary: 'Reply to my adviser', params: NumberParam, body: ReplyBody, response: { 201: PortalMessage, ...portalErrors } }) },
    async (req, reply) => {
      const s = await requireSession(ctx.db, req);
      await hitRateLimit(ctx.db, reply, 'portal-write', s.contactId, limit * 3);
      return reply.status(201).send(await addReply(ctx, s, req.params.number, req.body.body));
    },
  );

  app.post<{ Params: Static<typeof NumberParam> }>(
    `${PORTAL_PREFIX}/requests/:number/attachments`,
    {
      config: pub,
      schema: schema({ summary: 'Add photos, screenshots or PDFs (multipart, field "file")', params: NumberParam, consumes: ['multipart/form-data'], response: { 201: Type.Object({ items: Type.Array(PortalAttachment) }), ...portalErrors } }),
    },
    async (req, reply) => {
      const s = await requireSession(ctx.db, req);
      await hitRateLimit(ctx.db, reply, 'portal-write', s.contactId, limit * 3);
      // Refuse before reading any file if the request cannot take one.
      assertCanWrite(await findOwnRequest(ctx.db, s, req.params.number));
      if (!req.isMultipart()) throw badRequest('MULTIPART_REQUIRED', 'Envoyez les fichiers avec le formulaire (champ « file »).');
      const maxMb = Math.round(ctx.config.maxAttachmentBytes / 1024 / 1024);
      const stored: (StoredFile & { filename: string })[] = [];
      try {
        for await (const part of req.files()) {
          const filename = safeFilename(part.filename);
          let bytes: Buffer;
          try {
            bytes = await part.toBuffer();
          } catch {
            throw new AppError(413, 'ATTACHMENT_TOO_LARGE', `Le fichier « ${filename} » est trop gros : ${maxMb} Mo au plus. Essayez une capture d’écran ou une photo moins lourde.`);
          }
          if (!bytes.length) throw badRequest('ATTACHMENT_EMPTY', `Le fichier « ${filename} » est vide.`);
          let file: StoredFile;
          try {
            file = await storeAttachment(ctx.config.dataDir, bytes, part.filename);
          } catch (err) {
            if (err instanceof AppError && err.code === 'ATTACHMENT_TYPE_REFUSED') throw refusedType(filename);
            throw err;
          }
          stored.push({ ...file, filename });
          if (!PORTAL_ATTACHMENT_TYPES.has(file.contentType)) throw refusedType(filename);
        }
        if (!stored.length) throw badRequest('ATTACHMENT_MISSING', 'Aucun fichier reçu. Choisissez une photo, une capture d’écran ou un PDF.');
        const rows = await ctx.db.transaction(async (tx) => {
          const t = await findOwnRequest(tx, s, req.params.number, true);
          assertCanWrite(t);
          const inserted = await tx
            .insert(attachments)
            .values(stored.map((f) => ({ ticketId: t.id, filename: f.filename, contentType: f.contentType, sizeBytes: f.sizeBytes, sha256: f.sha256, storagePath: f.storagePath, uploadedBy: null })))
            .returning({ id: attachments.id, filename: attachments.filename, contentType: attachments.contentType, sizeBytes: attachments.sizeBytes });
          await recordEvent(tx, snapshot(t), 'attachment.added', { kind: 'contact', id: s.contactId }, { attachments: inserted.map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType })) });
          return inserted;
        });
        return reply.status(201).send({ items: rows.map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType, sizeBytes: a.sizeBytes })) });
      } catch (err) {
        // Nothing half-written: files whose rows were not committed are removed.
        await Promise.all(stored.map((f) => removeStored(ctx.config.dataDir, f.storagePath)));
        throw err;
      }
    },
  );

  app.get<{ Params: Static<typeof AttachmentParam> }>(
    `${PORTAL_PREFIX}/requests/:number/attachments/:id`,
    { config: pub, schema: schema({ summary: 'Download a file of my request', params: AttachmentParam }) },
    async (req, reply) => {
      const s = await requireSession(ctx.db, req);
      const t = await findOwnRequest(ctx.db, s, req.params.number);
      const a = /^[0-9a-f-]{36}$/i.test(req.params.id) ? await isAttachmentVisible(ctx.db, t.id, req.params.id.toLowerCase()) : null;
      if (!a) throw notFound('ATTACHMENT_NOT_FOUND', 'Ce fichier n’existe pas ou n’est plus disponible.');
      const bytes = await readAttachment(ctx.config.dataDir, a.storagePath);
      const disposition = isInlineImage(a.contentType) ? 'inline' : 'attachment';
      return reply
        .header('content-type', a.contentType)
        .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  app.post<{ Params: Static<typeof NumberParam>; Body: Static<typeof RatingBody> }>(
    `${PORTAL_PREFIX}/requests/:number/rating`,
    { config: pub, schema: schema({ summary: 'Rate a resolved request (1 to 5), once', params: NumberParam, body: RatingBody, response: { 201: Type.Object({ score: Type.Integer(), comment: Type.Union([Type.String(), Type.Null()]) }), ...portalErrors } }) },
    async (req, reply) => {
      const s = await requireSession(ctx.db, req);
      return reply.status(201).send(await addRating(ctx, s, req.params.number, req.body.score, req.body.comment));
    },
  );

  app.post<{ Params: Static<typeof NumberParam>; Body: Static<typeof ReopenBody> }>(
    `${PORTAL_PREFIX}/requests/:number/reopen`,
    { config: pub, schema: schema({ summary: '"Ce n’est pas résolu": reopen a resolved request', params: NumberParam, body: ReopenBody, response: { 200: RequestDetail, ...portalErrors } }) },
    async (req, reply) => {
      const s = await requireSession(ctx.db, req);
      await hitRateLimit(ctx.db, reply, 'portal-write', s.contactId, limit * 3);
      return reopenRequest(ctx, s, req.params.number, req.body.reason);
    },
  );

  portalCallbackRoutes(app, ctx, PORTAL_PREFIX);
  ratingLinkRoutes(app, ctx);

  app.get(`${PORTAL_PREFIX}/info`, { config: pub, schema: schema({ summary: 'Hotline numbers, opening hours, first instructions', response: { 200: InfoAnswer } }) }, async () => {
    const rules = await loadQueue(ctx.db, null);
    return {
      hotlinePhone: ctx.config.hotlinePhone,
      whatsappNumber: ctx.config.hotlineWhatsapp,
      hours: { ...describeStatus(rules.calendar, new Date()), timezone: rules.calendar.timezone, queue: rules.queue.slug },
      firstInstructions: await getSetting<string[]>(ctx.db, SETTING_KEYS.firstInstructions, DEFAULT_FIRST_INSTRUCTIONS),
    };
  });
}

function refusedType(filename: string): AppError {
  return new AppError(422, 'ATTACHMENT_TYPE_REFUSED', `Le fichier « ${filename} » n’est pas accepté. Envoyez une photo, une capture d’écran ou un PDF.`);
}

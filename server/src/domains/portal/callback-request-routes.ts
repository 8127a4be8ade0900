import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { normalizePhone } from '../contacts/identities';
import { callbackSlots, requestPortalCallback } from './callback-request';
import { portalErrors } from './portal.schemas';
import { findSession, portalTokenFrom } from './portal-session';
import { hitRateLimit, withinLimit } from './rate-limit';

/** Callbacks asked for one phone number per hour: enough for a mistake, too few to pester someone. */
export const CALLBACKS_PER_NUMBER_PER_HOUR = 3;

const Slot = Type.Object({ start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }) });
const CallbackBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 1000 })),
    phone: Type.Optional(Type.String({ maxLength: 100 })),
    slot: Type.Optional(Type.String({ maxLength: 100, description: 'The start of an offered moment, or "asap"' })),
    reason: Type.Optional(Type.String({ maxLength: 100_000 })),
    request: Type.Optional(Type.String({ maxLength: 64 })),
    altcha: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false },
);
const schema = <T extends object>(s: T) => ({ hide: true, tags: ['portal'], ...s });
const pub = { access: 'public' as const };

/** "Être rappelé" on the portal (docs/portal-api.md): the moments offered, and the request. */
export function portalCallbackRoutes(app: FastifyInstance, ctx: AppContext, prefix: string): void {
  app.get(
    `${prefix}/callback-slots`,
    { config: pub, schema: schema({ summary: 'Moments a client may choose to be called back (business hours)', response: { 200: Type.Object({ openNow: Type.Boolean(), timezone: Type.String(), slots: Type.Array(Slot) }) } }) },
    async (_req, reply) => {
      void reply.header('cache-control', 'no-store');
      return callbackSlots(ctx.db);
    },
  );

  app.post<{ Body: Static<typeof CallbackBody> }>(
    `${prefix}/callbacks`,
    {
      config: pub,
      schema: schema({
        summary: 'Ask to be called back (captcha, rate-limited)',
        body: CallbackBody,
        response: { 201: Type.Object({ dueAt: Type.String({ format: 'date-time' }), slot: Type.Union([Slot, Type.Null()]), phone: Type.String(), request: Type.Union([Type.String(), Type.Null()]) }), ...portalErrors },
      }),
    },
    async (req, reply) => {
      const limit = ctx.config.portalRateLimit;
      await hitRateLimit(ctx.db, reply, 'portal-callback', req.ip, limit);
      let phone: string | null;
      try {
        phone = req.body.phone ? normalizePhone(req.body.phone) : null;
      } catch {
        phone = null; // the service names the field
      }
      if (phone && limit > 0 && !(await withinLimit(ctx.db, 'portal-callback-phone', phone, CALLBACKS_PER_NUMBER_PER_HOUR))) {
        throw new AppError(429, 'TOO_MANY_REQUESTS', 'Nous avons déjà plusieurs demandes de rappel pour ce numéro. Un conseiller va vous appeler : inutile de redemander.');
      }
      const session = await findSession(ctx.db, portalTokenFrom(req));
      return reply.status(201).header('cache-control', 'no-store').send(await requestPortalCallback(ctx, req.body, session));
    },
  );
}

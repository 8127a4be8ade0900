import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { Type, type Static } from 'typebox';
import type { TicketStatus } from '../../../../common/src/tickets';
import type { AppContext } from '../../platform/context';
import { notFound } from '../../platform/errors';
import { ticketOfRatingToken } from '../channels/outbound/rating-question';
import { tickets } from '../tickets/ticket.schema';
import { portalRatings } from './portal.schema';
import { portalErrors, RatingBody } from './portal.schemas';
import { checkRating, saveRating } from './portal-service';
import { isFinished } from './portal-views';
import { hitRateLimit } from './rate-limit';

const TokenParam = Type.Object({ token: Type.String({ maxLength: 100 }) });
const RatingLinkView = Type.Object({
  number: Type.String(),
  subject: Type.String(),
  canRate: Type.Boolean(),
  rating: Type.Union([Type.Object({ score: Type.Integer(), comment: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
});
const schema = <T extends object>(s: T) => ({ hide: true, tags: ['portal'], ...s });
const pub = { access: 'public' as const };

const invalidLink = () => notFound('RATING_LINK_INVALID', 'Ce lien pour donner votre avis n’est pas valide. Vérifiez qu’il est complet, ou donnez votre avis depuis « Mes demandes ».');

/**
 * The links of the "resolved" email (`/avis?t=…&note=N`): the page shows which request it is
 * about and records the score the client confirms. The signed token is all it takes, so no
 * login stands between an elderly client and a one-click answer; it grants nothing else.
 */
export function ratingLinkRoutes(app: FastifyInstance, ctx: AppContext): void {
  const prefix = '/api/v1/portal/ratings';

  app.get<{ Params: Static<typeof TokenParam> }>(
    `${prefix}/:token`,
    { config: pub, schema: schema({ summary: 'The request a rating link is about', params: TokenParam, response: { 200: RatingLinkView, ...portalErrors } }) },
    async (req, reply) => {
      const ticketId = await ticketOfRatingToken(ctx.db, req.params.token);
      const [t] = ticketId ? await ctx.db.select().from(tickets).where(eq(tickets.id, ticketId)) : [];
      if (!t) throw invalidLink();
      const [rating] = await ctx.db.select().from(portalRatings).where(eq(portalRatings.ticketId, t.id));
      void reply.header('cache-control', 'no-store');
      return { number: t.number, subject: t.subject, canRate: isFinished(t.status as TicketStatus) && !rating, rating: rating ? { score: rating.score, comment: rating.comment } : null };
    },
  );

  app.post<{ Params: Static<typeof TokenParam>; Body: Static<typeof RatingBody> }>(
    `${prefix}/:token`,
    { config: pub, schema: schema({ summary: 'Rate the request of a rating link (1 to 5), once', params: TokenParam, body: RatingBody, response: { 201: Type.Object({ score: Type.Integer(), comment: Type.Union([Type.String(), Type.Null()]) }), ...portalErrors } }) },
    async (req, reply) => {
      await hitRateLimit(ctx.db, reply, 'portal-rating', req.ip, ctx.config.portalRateLimit);
      const { score, comment } = checkRating(req.body.score, req.body.comment);
      const ticketId = await ticketOfRatingToken(ctx.db, req.params.token);
      if (!ticketId) throw invalidLink();
      const saved = await ctx.db.transaction(async (tx) => {
        const [t] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
        if (!t) throw invalidLink();
        return saveRating(tx, t, { kind: 'contact', id: t.contactId }, score, comment, { channel: 'email', via: 'rating_link' });
      });
      return reply.status(201).send(saved);
    },
  );
}

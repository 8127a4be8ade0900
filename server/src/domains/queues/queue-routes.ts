import type { FastifyInstance } from 'fastify';
import { asc, eq } from 'drizzle-orm';
import { Type, type Static } from 'typebox';
import { announceConfigChange } from '../../platform/config-cache';
import type { AppContext } from '../../platform/context';
import { notFound, unprocessable } from '../../platform/errors';
import { ErrorResponse } from '../../platform/openapi';
import { ADMINS, ALL_STAFF } from '../auth/auth-context';
import { validateCalendar } from '../scheduling/business-hours';
import { describeStatus } from '../scheduling/status';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../scheduling/sla';
import { businessCalendars, queues } from './queue.schema';
import { loadQueue } from './queue-service';
import { DEFAULT_FIRST_INSTRUCTIONS, getSetting, putSetting, SETTING_KEYS } from './settings';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

const QueueView = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  menuKey: Type.Union([Type.Integer(), Type.Null()]),
  defaultLevel: Type.Integer(),
  calendarId: Type.String(),
  requiredSkill: Type.Union([Type.String(), Type.Null()]),
  requiresTraining: Type.Union([Type.String(), Type.Null()]),
  requiresAudit: Type.Boolean(),
  isCyber: Type.Boolean(),
  active: Type.Boolean(),
});
const QueuePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    menuKey: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 9 }), Type.Null()])),
    defaultLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    requiredSkill: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
    requiresTraining: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
    requiresAudit: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const StatusView = Type.Object({
  open: Type.Boolean(),
  closesAt: Type.Union([Type.String(), Type.Null()]),
  nextOpenAt: Type.Union([Type.String(), Type.Null()]),
  todaySlots: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
  holidayToday: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  timezone: Type.String(),
  queue: Type.String(),
});
const Target = Type.Object({ firstResponseMinutes: Type.Integer({ minimum: 1, maximum: 525600 }), resolutionMinutes: Type.Integer({ minimum: 1, maximum: 525600 }) }, { additionalProperties: true });
const SlaPolicySchema = Type.Object({ low: Target, normal: Target, high: Target, critical: Target }, { additionalProperties: false });
const FirstInstructions = Type.Object({ items: Type.Array(Type.String({ minLength: 3, maxLength: 500 }), { minItems: 1, maxItems: 30 }) }, { additionalProperties: false });

const queueView = (q: typeof queues.$inferSelect) => ({
  id: q.id,
  slug: q.slug,
  name: q.name,
  menuKey: q.menuKey,
  defaultLevel: q.defaultLevel,
  calendarId: q.calendarId,
  requiredSkill: q.requiredSkill,
  requiresTraining: q.requiresTraining,
  requiresAudit: q.requiresAudit,
  isCyber: q.isCyber,
  active: q.active,
});

export function queueRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { queue?: string } }>(
    '/api/v1/business-hours/status',
    {
      config: { access: 'public' },
      schema: {
        tags: ['business-hours'],
        summary: 'Is the hotline open now, and when does it next open?',
        security: [],
        querystring: Type.Object({ queue: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false }),
        response: { 200: StatusView, ...errors },
      },
    },
    async (req) => {
      const rules = await loadQueue(ctx.db, req.query.queue ?? null);
      return { ...describeStatus(rules.calendar, new Date()), timezone: rules.calendar.timezone, queue: rules.queue.slug };
    },
  );

  app.get(
    '/api/v1/queues',
    { config: { access: ALL_STAFF }, schema: { tags: ['queues'], summary: 'List queues', response: { 200: Type.Object({ items: Type.Array(QueueView) }), ...errors } } },
    async () => ({ items: (await ctx.db.select().from(queues).orderBy(asc(queues.menuKey), asc(queues.name))).map(queueView) }),
  );

  app.patch<{ Params: { slug: string }; Body: Static<typeof QueuePatch> }>(
    '/api/v1/queues/:slug',
    { config: { access: ADMINS }, schema: { tags: ['queues'], summary: 'Change a queue (level, policies, phone key)', params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 64 }) }), body: QueuePatch, response: { 200: QueueView, ...errors } } },
    async (req) => {
      const [row] = await ctx.db.transaction(async (tx) => {
        await announceConfigChange(tx);
        return tx.update(queues).set(req.body).where(eq(queues.slug, req.params.slug)).returning();
      });
      ctx.cache.clear();
      if (!row) throw notFound('QUEUE_NOT_FOUND', `Aucune file « ${req.params.slug} ».`);
      return queueView(row);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/calendars/:id',
    { config: { access: ALL_STAFF }, schema: { tags: ['business-hours'], summary: 'A business-hours calendar', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (req) => {
      const [row] = await ctx.db.select().from(businessCalendars).where(eq(businessCalendars.id, req.params.id));
      if (!row) throw notFound('CALENDAR_NOT_FOUND', `Aucun calendrier ${req.params.id}.`);
      return row;
    },
  );

  app.put<{ Params: { id: string }; Body: unknown }>(
    '/api/v1/calendars/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['business-hours'],
        summary: 'Replace a calendar: time zone, slots per weekday, public holidays, closures',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ timezone: Type.String(), slots: Type.Array(Type.Unknown()), holidays: Type.Unknown(), closures: Type.Array(Type.Unknown()) }),
      },
    },
    async (req) => {
      const v = validateCalendar(req.body);
      if (!v.ok) throw unprocessable('INVALID_CALENDAR', `Calendrier invalide : ${v.errors.join(' ; ')}`, { errors: v.errors });
      const [row] = await ctx.db.transaction(async (tx) => {
        await announceConfigChange(tx);
        return tx
          .update(businessCalendars)
          .set({ timezone: v.calendar.timezone, slots: v.calendar.slots, holidays: v.calendar.holidays, closures: v.calendar.closures, updatedAt: new Date() })
          .where(eq(businessCalendars.id, req.params.id))
          .returning();
      });
      ctx.cache.clear();
      if (!row) throw notFound('CALENDAR_NOT_FOUND', `Aucun calendrier ${req.params.id}.`);
      return row;
    },
  );

  app.get(
    '/api/v1/settings/sla-policy',
    { config: { access: ALL_STAFF }, schema: { tags: ['settings'], summary: 'SLA targets per priority, in business minutes', response: { 200: SlaPolicySchema } } },
    async () => getSetting<SlaPolicy>(ctx.db, SETTING_KEYS.slaPolicy, DEFAULT_SLA_POLICY),
  );
  app.put<{ Body: Static<typeof SlaPolicySchema> }>(
    '/api/v1/settings/sla-policy',
    { config: { access: ADMINS }, schema: { tags: ['settings'], summary: 'Set SLA targets (apply to new tickets)', body: SlaPolicySchema, response: { 200: SlaPolicySchema, ...errors } } },
    async (req) => {
      for (const [p, t] of Object.entries(req.body)) {
        if (t.resolutionMinutes < t.firstResponseMinutes) throw unprocessable('INVALID_SLA', `Priorité ${p} : la résolution ne peut pas être plus courte que la première réponse.`, { field: `body.${p}` });
      }
      await putSetting(ctx.db, SETTING_KEYS.slaPolicy, req.body);
      ctx.cache.clear();
      return req.body;
    },
  );
  app.get(
    '/api/v1/settings/first-instructions',
    { config: { access: ALL_STAFF }, schema: { tags: ['settings'], summary: 'The red button’s first-instructions checklist', response: { 200: FirstInstructions } } },
    async () => ({ items: await getSetting<string[]>(ctx.db, SETTING_KEYS.firstInstructions, DEFAULT_FIRST_INSTRUCTIONS) }),
  );
  app.put<{ Body: Static<typeof FirstInstructions> }>(
    '/api/v1/settings/first-instructions',
    { config: { access: ADMINS }, schema: { tags: ['settings'], summary: 'Replace the first-instructions checklist', body: FirstInstructions, response: { 200: FirstInstructions, ...errors } } },
    async (req) => {
      await putSetting(ctx.db, SETTING_KEYS.firstInstructions, req.body.items);
      ctx.cache.clear();
      return req.body;
    },
  );
}

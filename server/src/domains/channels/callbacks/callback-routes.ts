import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../../platform/context';
import { requireStaff } from '../../../platform/http';
import { ErrorResponse } from '../../../platform/openapi';
import { DESK_STAFF } from '../../auth/auth-context';
import { completeCallback, getCallbackView, listCallbacks, requestCallback, updateCallback } from './callback-service';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
const tags = ['callbacks'];

const Outcome = Type.Union([Type.Literal('reached'), Type.Literal('no_answer'), Type.Literal('voicemail'), Type.Literal('wrong_number'), Type.Literal('cancelled')]);

export const CallbackView = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'pending, done or cancelled' }),
  source: Type.String({ description: 'ivr, portal, whatsapp or console' }),
  phone: Type.String(),
  reason: Type.String(),
  dueAt: Type.String({ format: 'date-time' }),
  contact: Type.Object({ id: Type.String(), name: Type.String() }),
  ticket: Nullable(Type.Object({ id: Type.String(), number: Type.String() })),
  owner: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  outcome: Nullable(Type.String()),
  note: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  completedBy: Nullable(Type.String()),
});

const CreateCallback = Type.Object(
  {
    ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Ticket id or number' })),
    contactId: Type.Optional(Uuid),
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
    dueAt: Type.Optional(Type.String({ format: 'date-time', description: 'Inside business hours; default: now if open, else the next opening' })),
    ownerId: Type.Optional(Uuid),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    source: Type.Optional(Type.Union([Type.Literal('console'), Type.Literal('whatsapp'), Type.Literal('portal'), Type.Literal('ivr')])),
  },
  { additionalProperties: false },
);

const PatchCallback = Type.Object(
  {
    ownerId: Type.Optional(Nullable(Uuid)),
    dueAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const CompleteCallback = Type.Object(
  {
    outcome: Outcome,
    note: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('cancelled')])),
    owner: Type.Optional(Type.Union([Uuid, Type.Literal('me'), Type.Literal('none')])),
    ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    dueBefore: Type.Optional(Type.String({ format: 'date-time' })),
    dueAfter: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Uuid });

export function callbackRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: Static<typeof CreateCallback> }>(
    '/api/v1/callbacks',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Plan a callback (owned by one agent, due inside business hours)', body: CreateCallback, response: { 201: CallbackView, ...errors } } },
    async (req, reply) => {
      const p = requireStaff(req);
      const b = req.body;
      const { callback } = await ctx.db.transaction((tx) =>
        requestCallback(
          ctx,
          tx,
          { ticket: b.ticket ?? null, contactId: b.contactId ?? null, phone: b.phone ?? null, dueAt: b.dueAt ? new Date(b.dueAt) : null, ownerId: b.ownerId ?? null, reason: b.reason ?? '', source: b.source ?? 'console' },
          { kind: 'staff', id: p.id },
        ),
      );
      return reply.status(201).send(await getCallbackView(ctx.db, callback.id));
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/callbacks',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Callbacks to make, soonest first (default: pending)', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(CallbackView) }), ...errors } } },
    async (req) => ({ items: await listCallbacks(ctx.db, req.query, requireStaff(req).id) }),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/callbacks/:id',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'One callback', params: IdParams, response: { 200: CallbackView, ...errors } } },
    async (req) => getCallbackView(ctx.db, req.params.id),
  );

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof PatchCallback> }>(
    '/api/v1/callbacks/:id',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Reassign or reschedule a pending callback', params: IdParams, body: PatchCallback, response: { 200: CallbackView, ...errors } } },
    async (req) => {
      const p = requireStaff(req);
      await updateCallback(ctx, req.params.id, { kind: 'staff', id: p.id }, { ...(req.body.ownerId !== undefined ? { ownerId: req.body.ownerId } : {}), ...(req.body.dueAt ? { dueAt: new Date(req.body.dueAt) } : {}) });
      return getCallbackView(ctx.db, req.params.id);
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof CompleteCallback> }>(
    '/api/v1/callbacks/:id/complete',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Mark a callback done with its outcome (reached, no_answer, voicemail, wrong_number, cancelled)', params: IdParams, body: CompleteCallback, response: { 200: CallbackView, ...errors } } },
    async (req) => {
      const p = requireStaff(req);
      await completeCallback(ctx, req.params.id, { kind: 'staff', id: p.id }, req.body.outcome, req.body.note?.trim() || null);
      return getCallbackView(ctx.db, req.params.id);
    },
  );
}

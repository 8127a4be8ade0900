import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../platform/context';
import { requireStaff } from '../../platform/http';
import { ErrorResponse } from '../../platform/openapi';
import { ALL_STAFF, DESK_STAFF } from '../auth/auth-context';
import { CallView, RecordCallInput } from './call.schemas';
import { listCalls, recordConsoleCall } from './ticket-calls';
import { getVisibleTicket } from './ticket-queries';
import { TicketRef } from './ticket.schemas';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
const tags = ['tickets'];
type Ref = { Params: Static<typeof TicketRef> };

/** Phone calls on a ticket: those of the phone menu and those an agent timed in the console. */
export function callRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<Ref & { Body: RecordCallInput }>(
    '/api/v1/tickets/:ref/calls',
    {
      config: { access: DESK_STAFF },
      schema: { tags, summary: 'Record a phone call taken or made by the agent (start, end, direction)', params: TicketRef, body: RecordCallInput, response: { 201: CallView, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await recordConsoleCall(ctx, req.params.ref, { kind: 'staff', id: requireStaff(req).id }, req.body)),
  );

  app.get<Ref>(
    '/api/v1/tickets/:ref/calls',
    { config: { access: ALL_STAFF }, schema: { tags, summary: 'Phone calls of a ticket, oldest first', params: TicketRef, response: { 200: Type.Object({ items: Type.Array(CallView) }), ...errors } } },
    async (req) => {
      const t = await getVisibleTicket(ctx.db, req.params.ref, requireStaff(req));
      return { items: await listCalls(ctx.db, t.id) };
    },
  );
}

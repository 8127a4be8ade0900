import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context';
import { ErrorResponse } from '../../platform/openapi';
import { requireStaff } from '../../platform/http';
import { ALL_STAFF, DESK_STAFF } from '../auth/auth-context';
import { escalateTicket, triggerCyberEmergency } from './escalation';
import { dismissPossibleEmergency } from './possible-emergency';
import { createTicket } from './ticket-intake';
import { addStaffMessage, assignTicket, changeStatus, checkItem, qualifyTicket } from './ticket-commands';
import { buildView, getVisibleTicket, listEvents, listMessages, listTickets, messageView, ticketView } from './ticket-queries';
import {
  AssignInput,
  ChecklistPatch,
  CreateTicketInput,
  CyberEmergencyInput,
  DismissPossibleEmergencyInput,
  EscalateInput,
  EventView,
  MessageInput,
  MessageView,
  QualifyInput,
  StatusInput,
  TicketListQuery,
  TicketRef,
  TicketView,
} from './ticket.schemas';
import type { Static } from 'typebox';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
const tags = ['tickets'];
type Ref = { Params: Static<typeof TicketRef> };

export function ticketRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: CreateTicketInput }>(
    '/api/v1/tickets',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Create a ticket (contact matched or created)', body: CreateTicketInput, response: { 201: TicketView, ...errors } } },
    async (req, reply) => {
      const p = requireStaff(req);
      const { ticket, ...parts } = await createTicket(ctx, { kind: 'staff', id: p.id }, req.body);
      return reply.status(201).send(buildView(ticket, { ...parts, checklist: [] }));
    },
  );

  app.get<{ Querystring: Static<typeof TicketListQuery> }>(
    '/api/v1/tickets',
    {
      config: { access: ALL_STAFF },
      schema: {
        tags,
        summary: 'List and search tickets (cursor pagination)',
        querystring: TicketListQuery,
        response: { 200: Type.Object({ items: Type.Array(TicketView), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors },
      },
    },
    async (req) => listTickets(ctx.db, requireStaff(req), req.query),
  );

  app.get<Ref>(
    '/api/v1/tickets/:ref',
    { config: { access: ALL_STAFF }, schema: { tags, summary: 'Get a ticket by id or number', params: TicketRef, response: { 200: TicketView, ...errors } } },
    async (req) => ticketView(ctx.db, await getVisibleTicket(ctx.db, req.params.ref, requireStaff(req))),
  );

  app.get<Ref>(
    '/api/v1/tickets/:ref/events',
    { config: { access: ALL_STAFF }, schema: { tags, summary: 'Timeline events of a ticket', params: TicketRef, response: { 200: Type.Object({ items: Type.Array(EventView) }), ...errors } } },
    async (req) => {
      const t = await getVisibleTicket(ctx.db, req.params.ref, requireStaff(req));
      return { items: await listEvents(ctx.db, t.id) };
    },
  );

  app.get<Ref>(
    '/api/v1/tickets/:ref/messages',
    { config: { access: ALL_STAFF }, schema: { tags, summary: 'Messages and internal notes of a ticket', params: TicketRef, response: { 200: Type.Object({ items: Type.Array(MessageView) }), ...errors } } },
    async (req) => {
      const t = await getVisibleTicket(ctx.db, req.params.ref, requireStaff(req));
      return { items: await listMessages(ctx.db, t.id) };
    },
  );

  app.post<Ref & { Body: QualifyInput }>(
    '/api/v1/tickets/:ref/qualify',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Qualify: type, category, priority, level, queue, tags', params: TicketRef, body: QualifyInput, response: { 200: TicketView, ...errors } } },
    async (req) => ticketView(ctx.db, await qualifyTicket(ctx, req.params.ref, { kind: 'staff', id: requireStaff(req).id }, req.body)),
  );

  app.post<Ref & { Body: Static<typeof AssignInput> }>(
    '/api/v1/tickets/:ref/assign',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Take ("me"), reassign (staff id) or release (null)', params: TicketRef, body: AssignInput, response: { 200: TicketView, ...errors } } },
    async (req) => ticketView(ctx.db, await assignTicket(ctx, req.params.ref, { kind: 'staff', id: requireStaff(req).id }, req.body.assigneeId)),
  );

  app.post<Ref & { Body: MessageInput }>(
    '/api/v1/tickets/:ref/messages',
    {
      config: { access: DESK_STAFF },
      schema: {
        tags,
        summary: 'Reply to the client (public) or add an internal note',
        description: 'With lastSeenMessageId, a public reply is refused (409 REPLY_CONFLICT, nothing written) if a client message or another reply arrived after that message: see the field.',
        params: TicketRef,
        body: MessageInput,
        response: { 201: MessageView, ...errors },
      },
    },
    async (req, reply) => {
      const p = requireStaff(req);
      const { message, files } = await addStaffMessage(ctx, req.params.ref, { kind: 'staff', id: p.id }, req.body);
      return reply.status(201).send(messageView(message, p.name, files));
    },
  );

  app.post<Ref & { Body: StatusInput }>(
    '/api/v1/tickets/:ref/status',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Change the status (allowed transitions only)', params: TicketRef, body: StatusInput, response: { 200: TicketView, ...errors } } },
    async (req) => ticketView(ctx.db, await changeStatus(ctx, req.params.ref, { kind: 'staff', id: requireStaff(req).id }, req.body)),
  );

  app.post<Ref & { Body: Static<typeof EscalateInput> }>(
    '/api/v1/tickets/:ref/escalate',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Escalate to level 2, 3 or to the software publisher', params: TicketRef, body: EscalateInput, response: { 200: TicketView, ...errors } } },
    async (req) => ticketView(ctx.db, await escalateTicket(ctx, req.params.ref, { kind: 'staff', id: requireStaff(req).id }, req.body)),
  );

  app.post<Ref & { Body: Static<typeof CyberEmergencyInput> }>(
    '/api/v1/tickets/:ref/cyber-emergency',
    {
      config: { access: DESK_STAFF },
      schema: { tags, summary: 'The red button: cyber emergency, level 3 at once (body optional)', params: TicketRef, body: CyberEmergencyInput, response: { 200: TicketView, ...errors } },
      // One press, nothing to fill in: a request without a body is the same as `{}`.
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {};
      },
    },
    async (req) => ticketView(ctx.db, await triggerCyberEmergency(ctx, req.params.ref, { kind: 'staff', id: requireStaff(req).id }, req.body?.note)),
  );

  app.post<Ref & { Body: Static<typeof DismissPossibleEmergencyInput> }>(
    '/api/v1/tickets/:ref/possible-emergency/dismiss',
    {
      // Level 2 or 3 agents and supervisors (checked by the service: the role alone does not say the level).
      config: { access: ['supervisor', 'agent'] },
      schema: {
        tags,
        summary: 'Not an emergency: clears the triage\'s possible-emergency flag, with the reason kept in the timeline',
        description: 'Level 2 or 3 agents and supervisors. 409 ALREADY_CYBER_EMERGENCY once the red button was pressed, POSSIBLE_EMERGENCY_ALREADY_DISMISSED if already done, NOT_A_POSSIBLE_EMERGENCY if never flagged.',
        params: TicketRef,
        body: DismissPossibleEmergencyInput,
        response: { 200: TicketView, ...errors },
      },
    },
    async (req) => ticketView(ctx.db, await dismissPossibleEmergency(ctx, req.params.ref, requireStaff(req), req.body.reason)),
  );

  app.patch<{ Params: Static<typeof TicketRef> & { itemId: string }; Body: Static<typeof ChecklistPatch> }>(
    '/api/v1/tickets/:ref/checklist/:itemId',
    {
      config: { access: DESK_STAFF },
      schema: {
        tags,
        summary: 'Tick or untick a checklist item (first instructions given)',
        params: Type.Object({ ref: TicketRef.properties.ref, itemId: Type.String({ format: 'uuid' }) }),
        body: ChecklistPatch,
        response: { 200: TicketView, ...errors },
      },
    },
    async (req) => ticketView(ctx.db, await checkItem(ctx, req.params.ref, req.params.itemId, { kind: 'staff', id: requireStaff(req).id }, req.body.checked)),
  );
}

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../platform/context';
import { ErrorResponse } from '../../platform/openapi';
import { DESK_STAFF } from '../auth/auth-context';
import { ContactInput, ContactPatch, ContactQuery, ContactView } from './contact.schemas';
import { createContact, getContact, searchContacts, updateContact } from './contact-service';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
const tags = ['contacts'];
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function contactRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: ContactInput }>(
    '/api/v1/contacts',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Create a contact (409 CONTACT_EXISTS with its id if the phone or email is known)', body: ContactInput, response: { 201: ContactView, ...errors } } },
    async (req, reply) => {
      const id = await ctx.db.transaction((tx) => createContact(tx, req.body));
      return reply.status(201).send(await getContact(ctx.db, id));
    },
  );

  app.get<{ Querystring: Static<typeof ContactQuery> }>(
    '/api/v1/contacts',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Find contacts by phone, email or name', querystring: ContactQuery, response: { 200: Type.Object({ items: Type.Array(ContactView) }), ...errors } } },
    async (req) => ({ items: await searchContacts(ctx.db, req.query) }),
  );

  app.get<{ Params: Static<typeof IdParam> }>(
    '/api/v1/contacts/:id',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Get a contact', params: IdParam, response: { 200: ContactView, ...errors } } },
    async (req) => getContact(ctx.db, req.params.id),
  );

  app.patch<{ Params: Static<typeof IdParam>; Body: ContactPatch }>(
    '/api/v1/contacts/:id',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Update a contact (training, audit, identities…)', params: IdParam, body: ContactPatch, response: { 200: ContactView, ...errors } } },
    async (req) => {
      await ctx.db.transaction((tx) => updateContact(tx, req.params.id, req.body));
      return getContact(ctx.db, req.params.id);
    },
  );
}

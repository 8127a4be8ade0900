import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../platform/context';
import { unauthorized } from '../../platform/errors';
import { requireStaff, SESSION_COOKIE } from '../../platform/http';
import { ErrorResponse } from '../../platform/openapi';
import { staff } from './auth.schema';
import { ADMINS, ALL_STAFF, type StaffRole } from './auth-context';
import { dummyHash, verifyPassword } from './passwords';
import { createStaff, listStaff, staffView, updateStaff } from './staff-service';
import { issueToken, revokeToken } from './tokens';

const Credentials = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
const Role = Type.Unsafe<StaffRole>({ type: 'string', enum: ['admin', 'supervisor', 'agent', 'technician'] });
const StaffView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Role,
  level: Type.Union([Type.Integer(), Type.Null()]),
  skills: Type.Array(Type.String()),
  active: Type.Boolean(),
  available: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
const Skills = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 });
const Level = Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()]);
const StaffCreate = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Role,
    level: Type.Optional(Level),
    skills: Type.Optional(Skills),
    password: Type.String({ minLength: 10, maxLength: 200 }),
  },
  { additionalProperties: false },
);
const StaffPatchSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(Role),
    level: Type.Optional(Level),
    skills: Type.Optional(Skills),
    password: Type.Optional(Type.String({ minLength: 10, maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
    available: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: Static<typeof Credentials> }>(
    '/api/v1/auth/tokens',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Exchange email and password for a bearer token (also set as a session cookie)',
        security: [],
        body: Credentials,
        response: { 201: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }), staff: StaffView }), ...errors },
      },
    },
    async (req, reply) => {
      const [s] = await ctx.db.select().from(staff).where(eq(staff.email, req.body.email.trim().toLowerCase())).limit(1);
      const ok = await verifyPassword(s?.passwordHash ?? (await dummyHash()), req.body.password);
      if (!s || !ok || !s.active) throw unauthorized('Email ou mot de passe incorrect.');
      const { token, expiresAt } = await issueToken(ctx.db, s.id, ctx.config.tokenTtlHours);
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: ctx.config.publicUrl.startsWith('https:'), expires: expiresAt });
      return reply.status(201).send({ token, expiresAt: expiresAt.toISOString(), staff: staffView(s) });
    },
  );

  app.delete(
    '/api/v1/auth/tokens/current',
    { config: { access: ALL_STAFF }, schema: { tags: ['auth'], summary: 'Log out: revoke the current token', response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const header = req.headers.authorization?.replace(/^Bearer\s+/i, '');
      const token = header ?? req.cookies[SESSION_COOKIE];
      if (token) await revokeToken(ctx.db, token);
      // Other nodes forget it when the NOTIFY arrives; this node right now.
      ctx.cache.clear();
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/me',
    { config: { access: ALL_STAFF }, schema: { tags: ['auth'], summary: 'The signed-in staff member', response: { 200: StaffView, ...errors } } },
    async (req) => {
      const [s] = await ctx.db.select().from(staff).where(eq(staff.id, requireStaff(req).id));
      return staffView(s!);
    },
  );

  app.patch<{ Body: { available: boolean } }>(
    '/api/v1/me',
    {
      config: { access: ALL_STAFF },
      schema: { tags: ['auth'], summary: 'Set my availability for auto-assignment', body: Type.Object({ available: Type.Boolean() }, { additionalProperties: false }), response: { 200: StaffView, ...errors } },
    },
    async (req) => {
      const row = await updateStaff(ctx.db, requireStaff(req).id, { available: req.body.available });
      ctx.cache.clear();
      return staffView(row);
    },
  );

  app.get(
    '/api/v1/staff',
    { config: { access: ALL_STAFF }, schema: { tags: ['staff'], summary: 'List staff', response: { 200: Type.Object({ items: Type.Array(StaffView) }), ...errors } } },
    async () => ({ items: (await listStaff(ctx.db)).map(staffView) }),
  );

  app.post<{ Body: Static<typeof StaffCreate> }>(
    '/api/v1/staff',
    { config: { access: ADMINS }, schema: { tags: ['staff'], summary: 'Create a staff account', body: StaffCreate, response: { 201: StaffView, ...errors } } },
    async (req, reply) => reply.status(201).send(staffView(await createStaff(ctx.db, req.body))),
  );

  app.patch<{ Params: { id: string }; Body: Static<typeof StaffPatchSchema> }>(
    '/api/v1/staff/:id',
    {
      config: { access: ADMINS },
      schema: { tags: ['staff'], summary: 'Change level, skills, role; deactivate', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), body: StaffPatchSchema, response: { 200: StaffView, ...errors } },
    },
    async (req) => {
      const row = await updateStaff(ctx.db, req.params.id, req.body);
      ctx.cache.clear();
      return staffView(row);
    },
  );
}

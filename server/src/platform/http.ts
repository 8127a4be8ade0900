import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access, StaffPrincipal } from '../domains/auth/auth-context';
import { AppError, badRequest, forbidden, unauthorized } from './errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: StaffPrincipal | null;
  }
}

export const SESSION_COOKIE = 'relais_session';

export type PrincipalResolver = (token: string) => Promise<StaffPrincipal | null>;

function tokenFrom(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m?.[1] ?? null;
  }
  const cookie = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[SESSION_COOKIE];
  if (cookie) return cookie;
  // Browsers cannot set headers on a WebSocket: the console passes its token in the query string.
  const q = (req.query as Record<string, unknown> | undefined)?.access_token;
  return typeof q === 'string' ? q : null;
}

/** Deny by default: a route that does not say who may call it is refused when it is registered. */
export function installAccessControl(app: FastifyInstance, resolve: PrincipalResolver): void {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (url.startsWith('/api/docs') || route.method === 'HEAD') return;
    if (!route.config?.access) throw new Error(`Route ${route.method} ${url} has no access rule (config.access)`);
  });
  // Before the body is even parsed: an anonymous caller learns nothing about a route's schema.
  app.addHook('preParsing', async (req, _reply, payload) => {
    await authorize(req);
    return payload;
  });
  app.addHook('preValidation', async (req) => {
    // PostgreSQL text cannot hold U+0000; refuse it with the field's name instead of failing in the database.
    for (const [part, value] of [['body', req.body], ['querystring', req.query], ['params', req.params]] as const) {
      const field = findNul(value, part);
      if (field) throw badRequest('VALIDATION_FAILED', `Champ « ${field} » invalide : caractère nul interdit.`, [{ field, problem: 'must not contain U+0000' }]);
    }
  });

  async function authorize(req: FastifyRequest): Promise<void> {
    const access = req.routeOptions.config?.access;
    if (access === 'public' || access === undefined) {
      // Public routes (health, docs, login, opening hours) need no token.
      return;
    }
    const token = tokenFrom(req);
    const principal = token ? await resolve(token) : null;
    if (!principal) throw unauthorized(token ? 'Jeton invalide ou expiré.' : 'Authentification requise.');
    if (!access.includes(principal.role)) throw forbidden();
    req.principal = principal;
  }
}

function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const hit = findNul(v, `${path}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return null;
}

export function requireStaff(req: FastifyRequest): StaffPrincipal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

interface ValidationItem {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldOf(context: string | undefined, item: ValidationItem): string {
  const base = context ?? 'body';
  const missing = item.params?.missingProperty;
  const extra = item.params?.additionalProperty;
  const path = (item.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const leaf = typeof missing === 'string' ? missing : typeof extra === 'string' ? extra : '';
  return [base, path, leaf].filter(Boolean).join('.');
}

/** One error shape for every failure: `{"error": {"code", "message", "details"?}}`. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    const fe = err as FastifyError & { validation?: ValidationItem[]; validationContext?: string };
    if (fe.validation) {
      const details = fe.validation.map((v) => ({ field: fieldOf(fe.validationContext, v), problem: v.message ?? 'invalide' }));
      const first = details[0];
      return reply.status(400).send({
        error: {
          code: 'VALIDATION_FAILED',
          message: first ? `Champ « ${first.field} » invalide : ${first.problem}` : 'Requête invalide.',
          details,
        },
      });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code = fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'PAYLOAD_TOO_LARGE' : fe.statusCode === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
      return reply.status(fe.statusCode).send({ error: { code, message: fe.message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Une erreur interne est survenue. Elle a été enregistrée.' } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: `Aucune route ${req.method} ${req.url.split('?')[0]}.` } });
  });
}

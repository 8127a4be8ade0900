import type { FastifyInstance } from 'fastify';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../platform/context';
import { requireStaff } from '../../platform/http';
import { ErrorResponse } from '../../platform/openapi';
import { ALL_STAFF, DESK_STAFF, MANAGERS } from '../auth/auth-context';
import { messages } from '../tickets/ticket.schema';
import { getVisibleTicket, ticketView } from '../tickets/ticket-queries';
import { createContent, getContent, listContent, listVersions, restoreVersion, updateContent, type Kind } from './content-editing';
import { searchContent } from './knowledge-search';
import { SEVERITIES } from './markdown-content';
import { applyProcedure, procedureStats } from './procedure-usage';
import { triage } from './triage-service';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 });
const Status = Type.Unsafe<'draft' | 'published'>({ type: 'string', enum: ['draft', 'published'] });
const Words = Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 100 });
const SlugParam = Type.Object({ slug: Slug });
const BaseVersion = Type.Integer({ minimum: 1, description: 'The version the change starts from; if another one was saved since, 409 VERSION_CONFLICT (nothing is written)' });
const Query = Type.Object({ q: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }, { additionalProperties: false });

const ProcedureBody = Type.Object(
  {
    slug: Slug,
    title: Type.String({ minLength: 3, maxLength: 200 }),
    summary: Type.String({ minLength: 3, maxLength: 500 }),
    severity: Type.Unsafe<string>({ type: 'string', enum: [...SEVERITIES] }),
    category: Type.String({ minLength: 2, maxLength: 50 }),
    level: Type.Integer({ minimum: 1, maximum: 3 }),
    keywords: Type.Optional(Words),
    related: Type.Optional(Type.Array(Slug, { maxItems: 30 })),
    body: Type.String({ minLength: 10, maxLength: 100_000, description: 'Markdown with sections ## Étapes (numbered), ## Ce qu’il faut dire, ## Quand escalader, ## Contacts officiels' }),
    status: Type.Optional(Status),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    baseVersion: Type.Optional(BaseVersion),
  },
  { additionalProperties: false },
);
const ArticleBody = Type.Object(
  {
    slug: Slug,
    title: Type.String({ minLength: 3, maxLength: 200 }),
    summary: Type.String({ minLength: 3, maxLength: 500 }),
    category: Type.String({ minLength: 2, maxLength: 50 }),
    keywords: Type.Optional(Words),
    body: Type.String({ minLength: 10, maxLength: 100_000 }),
    status: Type.Optional(Status),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    baseVersion: Type.Optional(BaseVersion),
  },
  { additionalProperties: false },
);
const Hit = Type.Object({ slug: Type.String(), title: Type.String(), summary: Type.String(), category: Type.String(), level: Type.Union([Type.Integer(), Type.Null()]), severity: Type.Union([Type.String(), Type.Null()]), score: Type.Number(), highlight: Type.String() });
const TriageResult = Type.Object({
  procedures: Type.Array(Type.Object({ slug: Type.String(), title: Type.String(), score: Type.Number(), level: Type.Union([Type.Integer(), Type.Null()]), category: Type.String() })),
  emergency: Type.Object({ suspected: Type.Boolean(), score: Type.Number(), reasons: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), excerpt: Type.String() })) }),
  level: Type.Integer(),
  category: Type.Union([Type.String(), Type.Null()]),
});

type Row = Record<string, unknown> & { createdAt: Date; updatedAt: Date };
const view = (r: Row) => {
  const { search: _s, keywordsText: _k, bodyText: _b, matchText: _m, ...rest } = r;
  return { ...rest, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
};

function contentRoutes(app: FastifyInstance, ctx: AppContext, kind: Kind, base: string, Body: typeof ProcedureBody | typeof ArticleBody) {
  const tags = [kind === 'procedure' ? 'procedures' : 'articles'];
  app.get<{ Querystring: Static<typeof Query> }>(base, { config: { access: ALL_STAFF }, schema: { tags, summary: 'List, or search with q (French, typo-tolerant), drafts included', querystring: Query } }, async (req) =>
    req.query.q ? { items: await searchContent(ctx.db, kind, req.query.q, { limit: req.query.limit ?? 10, includeDrafts: true }) } : { items: (await listContent(ctx.db, kind, true)).map((r) => view(r as Row)) },
  );
  app.get<{ Params: Static<typeof SlugParam> }>(`${base}/:slug`, { config: { access: ALL_STAFF }, schema: { tags, params: SlugParam, response: { ...errors } } }, async (req) => view((await getContent(ctx.db, kind, req.params.slug, true)) as Row));
  app.post<{ Body: Static<typeof ProcedureBody> }>(`${base}`, { config: { access: MANAGERS }, schema: { tags, summary: 'Create (version 1, draft unless status is given)', body: Body, response: { ...errors } } }, async (req, reply) =>
    reply.status(201).send(view((await createContent(ctx.db, kind, req.body as never, requireStaff(req).id)) as Row)),
  );
  app.put<{ Params: Static<typeof SlugParam>; Body: Static<typeof ProcedureBody> }>(`${base}/:slug`, { config: { access: MANAGERS }, schema: { tags, summary: 'Save a new version', params: SlugParam, body: Body, response: { ...errors } } }, async (req) =>
    view((await updateContent(ctx.db, kind, req.params.slug, req.body as never, requireStaff(req).id)) as Row),
  );
  app.get<{ Params: Static<typeof SlugParam> }>(`${base}/:slug/versions`, { config: { access: ALL_STAFF }, schema: { tags, summary: 'Who changed what, when', params: SlugParam } }, async (req) => ({
    items: (await listVersions(ctx.db, kind, req.params.slug)).map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
  }));
  app.post<{ Params: Static<typeof SlugParam> & { version: number }; Querystring: { baseVersion?: number } }>(
    `${base}/:slug/versions/:version/restore`,
    {
      config: { access: MANAGERS },
      schema: { tags, summary: 'Restore an old version (saved as a new one)', params: Type.Object({ slug: Slug, version: Type.Integer({ minimum: 1 }) }), querystring: Type.Object({ baseVersion: Type.Optional(BaseVersion) }, { additionalProperties: false }), response: { ...errors } },
    },
    async (req) => view((await restoreVersion(ctx.db, kind, req.params.slug, req.params.version, requireStaff(req).id, req.query.baseVersion)) as Row),
  );
}

export function knowledgeRoutes(app: FastifyInstance, ctx: AppContext): void {
  contentRoutes(app, ctx, 'procedure', '/api/v1/procedures', ProcedureBody);
  contentRoutes(app, ctx, 'article', '/api/v1/articles', ArticleBody);

  app.get<{ Params: Static<typeof SlugParam> }>(
    '/api/v1/procedures/:slug/stats',
    { config: { access: ALL_STAFF }, schema: { tags: ['procedures'], summary: 'Times applied, first-contact resolution, average handling time', params: SlugParam, response: { ...errors } } },
    async (req) => procedureStats(ctx.db, req.params.slug),
  );

  app.post<{ Params: { ref: string }; Body: { slug: string } }>(
    '/api/v1/tickets/:ref/procedures',
    {
      config: { access: DESK_STAFF },
      schema: { tags: ['tickets'], summary: 'Apply a procedure: its steps become a checklist on the ticket', params: Type.Object({ ref: Type.String({ minLength: 1, maxLength: 64 }) }), body: Type.Object({ slug: Slug }, { additionalProperties: false }), response: { ...errors } },
    },
    async (req) => ticketView(ctx.db, await applyProcedure(ctx, req.params.ref, req.body.slug, { kind: 'staff', id: requireStaff(req).id })),
  );

  app.get<{ Params: { ref: string } }>(
    '/api/v1/tickets/:ref/suggestions',
    { config: { access: ALL_STAFF }, schema: { tags: ['tickets'], summary: 'The 3 most relevant procedures for the ticket’s text and the client’s messages', params: Type.Object({ ref: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: TriageResult, ...errors } } },
    async (req) => {
      const t = await getVisibleTicket(ctx.db, req.params.ref, requireStaff(req));
      const fromClient = await ctx.db
        .select({ body: messages.body })
        .from(messages)
        .where(and(eq(messages.ticketId, t.id), inArray(messages.authorKind, ['contact'])))
        .orderBy(desc(messages.createdAt))
        .limit(5);
      return triage(ctx.db, [t.subject, t.description, ...fromClient.map((m) => m.body)].join('\n'));
    },
  );

  app.post<{ Body: { text: string } }>(
    '/api/v1/triage',
    { config: { access: ALL_STAFF }, schema: { tags: ['triage'], summary: 'Procedures, suspected emergency, level and category for a text', body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false }), response: { 200: TriageResult, ...errors } } },
    async (req) => triage(ctx.db, req.body.text),
  );

  // The public help centre: published articles only.
  app.get<{ Querystring: Static<typeof Query> }>(
    '/api/v1/help/articles',
    { config: { access: 'public' }, schema: { tags: ['help'], summary: 'Help-centre articles, or a search with q', security: [], querystring: Query, response: { 200: Type.Object({ items: Type.Array(Type.Union([Hit, Type.Object({ slug: Type.String(), title: Type.String(), summary: Type.String(), category: Type.String() })])) }) } } },
    async (req) =>
      req.query.q
        ? { items: await searchContent(ctx.db, 'article', req.query.q, { limit: req.query.limit ?? 10 }) }
        : { items: (await listContent(ctx.db, 'article', false)).map((a) => ({ slug: a.slug, title: a.title, summary: a.summary, category: a.category })) },
  );
  app.get<{ Params: Static<typeof SlugParam> }>(
    '/api/v1/help/articles/:slug',
    { config: { access: 'public' }, schema: { tags: ['help'], summary: 'One help-centre article (Markdown body)', security: [], params: SlugParam, response: { ...errors } } },
    async (req) => {
      const a = await getContent(ctx.db, 'article', req.params.slug, false);
      return { slug: a.slug, title: a.title, summary: a.summary, category: a.category, keywords: a.keywords, body: a.body, updatedAt: a.updatedAt.toISOString() };
    },
  );
}

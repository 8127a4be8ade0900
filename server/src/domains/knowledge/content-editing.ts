import { and, asc, desc, eq } from 'drizzle-orm';
import type { DB, Executor } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { pgErrorCode, UNIQUE_VIOLATION } from '../../platform/pg-errors';
import { staff } from '../auth/auth.schema';
import { articles, contentVersions, procedures } from './knowledge.schema';
import { ContentError, procedureFromParts, searchColumns, type ArticleContent, type ProcedureContent } from './markdown-content';

export type Kind = 'procedure' | 'article';
type Status = 'draft' | 'published';
const tableOf = (kind: Kind) => (kind === 'procedure' ? procedures : articles);
const label = (kind: Kind) => (kind === 'procedure' ? 'procédure' : 'article');
const notFoundOf = (kind: Kind, slug: string) => notFound(kind === 'procedure' ? 'PROCEDURE_NOT_FOUND' : 'ARTICLE_NOT_FOUND', `Aucun(e) ${label(kind)} « ${slug} ».`);

export interface ProcedureInput {
  slug: string;
  title: string;
  summary: string;
  severity: string;
  category: string;
  level: number;
  keywords?: string[];
  related?: string[];
  body: string;
  status?: Status;
  note?: string;
  /** The version the editor started from: saving over a newer one is refused (409 VERSION_CONFLICT). */
  baseVersion?: number;
}
export type ArticleInput = ArticleContent & { status?: Status; note?: string; baseVersion?: number };

/** Someone saved since the editor opened the page: say who and when rather than overwrite their work. */
async function refuseStale(tx: Executor, kind: Kind, current: { version: number; updatedBy: string | null; updatedAt: Date }, baseVersion: number | undefined) {
  if (baseVersion === undefined || baseVersion === current.version) return;
  const [who] = current.updatedBy ? await tx.select({ name: staff.name }).from(staff).where(eq(staff.id, current.updatedBy)) : [];
  throw conflict(
    'VERSION_CONFLICT',
    `Cette ${label(kind)} a changé pendant que vous la modifiiez : la version ${current.version} a été enregistrée${who ? ` par ${who.name}` : ''}. Vos modifications ne sont pas enregistrées.`,
    { currentVersion: current.version, baseVersion, updatedBy: who?.name ?? null, updatedAt: current.updatedAt.toISOString() },
  );
}

function procedureContent(input: ProcedureInput): ProcedureContent {
  try {
    return procedureFromParts({ ...input, keywords: input.keywords ?? [], related: input.related ?? [] }, input.body.trim());
  } catch (err) {
    if (err instanceof ContentError) throw unprocessable('INVALID_PROCEDURE', `Procédure invalide : ${err.message}.`);
    throw err;
  }
}

const snapshotOf = (kind: Kind, row: Record<string, unknown>) => {
  const keep = kind === 'procedure'
    ? ['slug', 'title', 'summary', 'severity', 'category', 'level', 'keywords', 'related', 'body', 'status']
    : ['slug', 'title', 'summary', 'category', 'keywords', 'body', 'status'];
  return Object.fromEntries(keep.map((k) => [k, row[k]]));
};

function fields(kind: Kind, input: ProcedureInput | ArticleInput) {
  if (kind === 'procedure') {
    const c = procedureContent(input as ProcedureInput);
    return { ...c, ...searchColumns(c) };
  }
  const a = input as ArticleInput;
  const c = { slug: a.slug, title: a.title.trim(), summary: a.summary.trim(), category: a.category, keywords: a.keywords ?? [], body: a.body.trim() };
  return { ...c, ...searchColumns(c) };
}

/** Creates content as version 1. */
export async function createContent(db: DB, kind: Kind, input: ProcedureInput | ArticleInput, authorId: string) {
  const values = { ...fields(kind, input), status: input.status ?? 'draft', updatedBy: authorId };
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(tableOf(kind) as typeof procedures).values(values as never).returning();
      await tx.insert(contentVersions).values({ kind, contentId: row!.id, version: 1, snapshot: snapshotOf(kind, row!), note: input.note ?? null, authorId });
      return row!;
    });
  } catch (err) {
    if (pgErrorCode(err) === UNIQUE_VIOLATION) throw conflict('SLUG_TAKEN', `Le nom court « ${input.slug} » est déjà pris.`);
    throw err;
  }
}

/** Saves a new version; the previous ones stay available and restorable. */
export async function updateContent(db: DB, kind: Kind, slug: string, input: ProcedureInput | ArticleInput, authorId: string) {
  const table = tableOf(kind) as typeof procedures;
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(table).where(eq(table.slug, slug)).for('update');
    if (!current) throw notFoundOf(kind, slug);
    if (input.slug !== slug) throw unprocessable('SLUG_IMMUTABLE', 'Le nom court ne change pas : il sert de lien entre procédures.', { field: 'slug' });
    await refuseStale(tx, kind, current, input.baseVersion);
    const version = current.version + 1;
    const [row] = await tx
      .update(table)
      .set({ ...(fields(kind, input) as object), status: input.status ?? current.status, version, updatedBy: authorId, updatedAt: new Date() } as never)
      .where(eq(table.id, current.id))
      .returning();
    await tx.insert(contentVersions).values({ kind, contentId: current.id, version, snapshot: snapshotOf(kind, row!), note: input.note ?? null, authorId });
    return row!;
  });
}

export async function listVersions(db: DB, kind: Kind, slug: string) {
  const table = tableOf(kind) as typeof procedures;
  const [c] = await db.select({ id: table.id }).from(table).where(eq(table.slug, slug));
  if (!c) throw notFoundOf(kind, slug);
  return db
    .select({ version: contentVersions.version, note: contentVersions.note, authorId: contentVersions.authorId, authorName: staff.name, createdAt: contentVersions.createdAt, snapshot: contentVersions.snapshot })
    .from(contentVersions)
    .leftJoin(staff, eq(staff.id, contentVersions.authorId))
    .where(and(eq(contentVersions.kind, kind), eq(contentVersions.contentId, c.id)))
    .orderBy(desc(contentVersions.version));
}

/** Restoring writes the old content as a new version: history only ever grows. */
export async function restoreVersion(db: DB, kind: Kind, slug: string, version: number, authorId: string, baseVersion?: number) {
  const versions = await listVersions(db, kind, slug);
  const old = versions.find((v) => v.version === version);
  if (!old) throw notFound('VERSION_NOT_FOUND', `La ${label(kind)} « ${slug} » n’a pas de version ${version}.`);
  return updateContent(db, kind, slug, { ...(old.snapshot as unknown as ProcedureInput), note: `Restauration de la version ${version}`, baseVersion }, authorId);
}

export function listContent(db: DB, kind: Kind, includeDrafts: boolean) {
  const table = tableOf(kind) as typeof procedures;
  return db.select().from(table).where(includeDrafts ? undefined : eq(table.status, 'published')).orderBy(asc(table.title));
}

export async function getContent(db: DB, kind: Kind, slug: string, includeDrafts: boolean) {
  const table = tableOf(kind) as typeof procedures;
  const [row] = await db.select().from(table).where(eq(table.slug, slug));
  if (!row || (!includeDrafts && row.status !== 'published')) throw notFoundOf(kind, slug);
  return row;
}

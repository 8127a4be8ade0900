import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { count } from 'drizzle-orm';
import type { Executor } from '../../platform/db';
import { articles, contentVersions, procedures } from './knowledge.schema';
import { parseArticle, parseProcedure, searchColumns } from './markdown-content';

export const CONTENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../content');

function readDir(dir: string): { file: string; source: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file) => ({ file, source: fs.readFileSync(path.join(dir, file), 'utf8') }));
}

/**
 * The numi catalogue ships with Relais: an empty workspace gets every procedure and help
 * article of `content/`, published, as version 1. Existing content is never overwritten.
 */
export async function importCatalogue(tx: Executor, dir = CONTENT_DIR): Promise<{ procedures: number; articles: number }> {
  const [{ n }] = (await tx.select({ n: count() }).from(procedures)) as [{ n: number }];
  let p = 0;
  let a = 0;
  if (n === 0) {
    for (const { file, source } of readDir(path.join(dir, 'procedures'))) {
      let c;
      try {
        c = parseProcedure(source);
      } catch (err) {
        throw new Error(`content/procedures/${file} : ${(err as Error).message}`, { cause: err });
      }
      const [row] = await tx.insert(procedures).values({ ...c, ...searchColumns(c) }).returning();
      await tx.insert(contentVersions).values({ kind: 'procedure', contentId: row!.id, version: 1, snapshot: { ...c, status: 'published' }, note: 'Catalogue livré avec Relais' });
      p++;
    }
  }
  const [{ n: na }] = (await tx.select({ n: count() }).from(articles)) as [{ n: number }];
  if (na === 0) {
    for (const { file, source } of readDir(path.join(dir, 'articles'))) {
      let c;
      try {
        c = parseArticle(source);
      } catch (err) {
        throw new Error(`content/articles/${file} : ${(err as Error).message}`, { cause: err });
      }
      const [row] = await tx.insert(articles).values({ ...c, ...searchColumns(c) }).returning();
      await tx.insert(contentVersions).values({ kind: 'article', contentId: row!.id, version: 1, snapshot: { ...c, status: 'published' }, note: 'Catalogue livré avec Relais' });
      a++;
    }
  }
  return { procedures: p, articles: a };
}

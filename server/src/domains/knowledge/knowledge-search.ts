import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db';
import { normalizeText } from './triage/normalize';

export type SearchHit = {
  slug: string;
  title: string;
  summary: string;
  category: string;
  level: number | null;
  severity: string | null;
  score: number;
  highlight: string;
  keywords: string[];
};

/** Words of a free text, folded (accents, case, SMS spellings), as tsquery alternatives. */
export function queryTerms(text: string): string[] {
  const words = normalizeText(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2 && w.length <= 40);
  return [...new Set(words)].slice(0, 60);
}

/**
 * French search over procedures or articles: stemmed, accent-insensitive full text (any of the
 * words, ranked by how many and where: title and keywords first), plus trigram similarity on
 * the folded title and keywords for typos and SMS spelling. The same SQL on PGlite and PostgreSQL.
 */
export async function searchContent(db: Executor, kind: 'procedure' | 'article', text: string, opts: { limit?: number; includeDrafts?: boolean } = {}): Promise<SearchHit[]> {
  const terms = queryTerms(text);
  if (!terms.length) return [];
  const limit = opts.limit ?? 10;
  const tsq = terms.join(' | ');
  const folded = terms.join(' ');
  const table = kind === 'procedure' ? sql`procedures` : sql`articles`;
  const extra = kind === 'procedure' ? sql`d.level, d.severity` : sql`null::smallint as level, null::text as severity`;
  const rows = await db.execute<SearchHit>(sql`
    with q as (select to_tsquery('fr_unaccent', ${tsq}) as query)
    select d.slug, d.title, d.summary, d.category, d.keywords, ${extra},
      (ts_rank_cd(d.search, q.query, 1) + 0.6 * word_similarity(${folded}, d.match_text) + 0.4 * similarity(${folded}, d.match_text))::float8 as score,
      ts_headline('fr_unaccent', d.title || ' — ' || d.summary, q.query, 'StartSel=<mark>, StopSel=</mark>, HighlightAll=true') as highlight
    from ${table} d, q
    where (${opts.includeDrafts ?? false} or d.status = 'published')
      and (d.search @@ q.query or ${folded} <% d.match_text or d.match_text % ${folded})
    order by score desc, d.title
    limit ${limit}`);
  return rows.rows.map((r) => ({ ...r, score: Number(Number(r.score).toFixed(4)) }));
}

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

const words = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2 && w.length <= 40);

/**
 * The words of a free text as tsquery operands. Each word is searched as typed (the French
 * stemmer and unaccent do the rest) or as its SMS/oral expansion: "mdp" → mot & passe.
 * (The triage's folding also collapses doubled letters, which would miss "attestation".)
 */
export function queryGroups(text: string): string[] {
  const groups = new Map<string, string>();
  for (const w of words(text)) {
    const expanded = words(normalizeText(w));
    const alt = expanded.length && expanded.join(' ') !== w ? `(${w} | (${expanded.join(' & ')}))` : w;
    groups.set(w, alt);
  }
  return [...groups.values()].slice(0, 40);
}

/** The folded words, for trigram matching against the folded title and keywords. */
export function queryTerms(text: string): string[] {
  return [...new Set(normalizeText(text).split(/[^a-z0-9]+/).filter((w) => w.length >= 2 && w.length <= 40))].slice(0, 60);
}

async function runSearch(
  db: Executor,
  kind: 'procedure' | 'article',
  tsq: string,
  folded: string,
  opts: { limit: number; includeDrafts: boolean; fuzzy: boolean; exclude: string[]; vector: 'search' | 'search_head' },
): Promise<SearchHit[]> {
  const vector = opts.vector === 'search' ? sql`d.search` : sql`d.search_head`;
  // Body-only and any-word matches can be thousands in a large help centre: rank a bounded
  // sample of them (they only fill the list after the all-words head matches).
  const bound = kind === 'article' && (opts.vector === 'search' || opts.fuzzy) ? sql`limit 120` : sql``;
  const table = kind === 'procedure' ? sql`procedures` : sql`articles`;
  const extra = kind === 'procedure' ? sql`d.level, d.severity` : sql`null::smallint as level, null::text as severity`;
  // Rank only the best candidates, then highlight only the rows returned: both cost per row.
  const rows = await db.execute<SearchHit>(sql`
    with q as (select to_tsquery('fr_unaccent', ${tsq}) as query),
    matched as (
      (select d.id, d.match_text, ${vector} as v
       from ${table} d, q
       where (${opts.includeDrafts} or d.status = 'published') and ${vector} @@ q.query
         and not (d.slug = any(${`{${opts.exclude.join(',')}}`}::text[]))
       ${bound})
      ${
        // Spelling tolerance is for short queries; a sentence has enough words to match on.
        opts.fuzzy && folded.split(' ').length <= 4
          ? sql`union
      -- Near spellings, as a branch of its own so each side uses its index.
      (select d.id, d.match_text, ${vector} as v
       from ${table} d
       where (${opts.includeDrafts} or d.status = 'published') and ${folded} <% d.match_text
         and not (d.slug = any(${`{${opts.exclude.join(',')}}`}::text[]))
       limit 40)`
          : sql``
      }
    ),
    hits as (
      -- Trigram scores (costly per row) only where spelling tolerance is asked for.
      select m.id, (ts_rank_cd(m.v, q.query, 1) + ts_rank(m.v, q.query) ${opts.fuzzy ? sql`+ 0.6 * word_similarity(${folded}, m.match_text) + 0.4 * similarity(${folded}, m.match_text)` : sql``})::float8 as score
      from matched m, q
      order by score desc
      limit ${opts.limit}
    )
    select d.slug, d.title, d.summary, d.category, d.keywords, ${extra}, hits.score,
      ts_headline('fr_unaccent', d.title || ' — ' || d.summary, q.query, 'StartSel=<mark>, StopSel=</mark>, HighlightAll=true') as highlight
    from hits join ${table} d on d.id = hits.id, q
    order by hits.score desc, d.title`);
  return rows.rows.map((r) => ({ ...r, score: Number(Number(r.score).toFixed(4)) }));
}

/**
 * French search over procedures or articles: stemmed, accent-insensitive full text ranked
 * title and keywords first, then summary, then body; plus trigram similarity on the folded
 * title and keywords for typos and SMS spelling. Same SQL on PGlite and PostgreSQL.
 *
 * Procedures are few and matched on everything. The help centre can hold tens of thousands of
 * articles: ranking a long body costs per row, so all the words are first looked for in the
 * short head (title, keywords, summary), then in the body, then any word or a near spelling.
 */
export async function searchContent(db: Executor, kind: 'procedure' | 'article', text: string, opts: { limit?: number; includeDrafts?: boolean } = {}): Promise<SearchHit[]> {
  const groups = queryGroups(text);
  if (!groups.length) return [];
  const limit = opts.limit ?? 10;
  const includeDrafts = opts.includeDrafts ?? false;
  const folded = queryTerms(text).join(' ');
  const and = groups.join(' & ');
  const or = groups.join(' | ');
  const terms = groups;
  if (kind === 'procedure') {
    const all = terms.length > 1 ? await runSearch(db, kind, and, folded, { limit, includeDrafts, fuzzy: false, exclude: [], vector: 'search' }) : [];
    if (all.length >= limit) return all;
    return [...all, ...(await runSearch(db, kind, or, folded, { limit: limit - all.length, includeDrafts, fuzzy: true, exclude: all.map((h) => h.slug), vector: 'search' }))];
  }
  const found: SearchHit[] = [];
  const stages: { tsq: string; vector: 'search' | 'search_head'; fuzzy: boolean }[] = [
    { tsq: and, vector: 'search_head', fuzzy: false },
    { tsq: and, vector: 'search', fuzzy: false },
    { tsq: or, vector: 'search_head', fuzzy: true },
  ];
  for (const stage of stages) {
    if (found.length >= limit) break;
    found.push(...(await runSearch(db, kind, stage.tsq, folded, { limit: limit - found.length, includeDrafts, fuzzy: stage.fuzzy, exclude: found.map((h) => h.slug), vector: stage.vector })));
  }
  return found;
}

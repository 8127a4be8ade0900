import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db';
import { searchArticles, spellWords } from './article-search';
import { normalizeText, smsExpansion } from './triage/normalize';

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

/** An SMS word written out in full, as a tsquery group: "mdp" → (mot & de & passe). */
function smsGroup(w: string): string | null {
  const expansion = smsExpansion(w);
  const expanded = expansion ? words(expansion) : [];
  return expanded.length && expanded.join(' ') !== w ? `(${expanded.join(' & ')})` : null;
}

/** The word with its stuttered letters collapsed ("piratte" → pirate), when that changes it. */
function collapsedGroup(w: string): string | null {
  const folded = words(normalizeText(w));
  return folded.length && folded.join(' ') !== w ? `(${folded.join(' & ')})` : null;
}

/**
 * The words of a free text as tsquery operands. Each word is searched as typed (the French
 * stemmer and unaccent do the rest) or as its SMS/oral expansion written in full ("mdp" → mot &
 * de & passe), else with its doubled letters collapsed (the triage's folding, which would miss
 * "attestation" on its own, so the word as typed stays).
 */
export function queryGroups(text: string): string[] {
  const groups = new Map<string, string>();
  for (const w of words(text)) {
    const alt = smsGroup(w) ?? collapsedGroup(w);
    groups.set(w, alt ? `(${w} | ${alt})` : w);
  }
  return [...groups.values()].slice(0, 40);
}

/** The folded words, for trigram matching against the folded title and keywords. */
export function queryTerms(text: string): string[] {
  return [...new Set(normalizeText(text).split(/[^a-z0-9]+/).filter((w) => w.length >= 2 && w.length <= 40))].slice(0, 60);
}

async function runSearch(
  db: Executor,
  tsq: string,
  folded: string,
  opts: { limit: number; includeDrafts: boolean; fuzzy: boolean; exclude: string[] },
): Promise<SearchHit[]> {
  // Rank only the best candidates, then highlight only the rows returned: both cost per row.
  const rows = await db.execute<SearchHit>(sql`
    with q as (select to_tsquery('fr_unaccent', ${tsq}) as query),
    matched as (
      (select d.id, d.match_text, d.search as v
       from procedures d, q
       where (${opts.includeDrafts} or d.status = 'published') and d.search @@ q.query
         and not (d.slug = any(${`{${opts.exclude.join(',')}}`}::text[])))
      ${
        // Spelling tolerance is for short queries; a sentence has enough words to match on.
        opts.fuzzy && folded.split(' ').length <= 4
          ? sql`union
      -- Near spellings, as a branch of its own so each side uses its index.
      (select d.id, d.match_text, d.search as v
       from procedures d
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
    select d.slug, d.title, d.summary, d.category, d.keywords, d.level, d.severity, hits.score,
      ts_headline('fr_unaccent', d.title || ' — ' || d.summary, q.query, 'StartSel=<mark>, StopSel=</mark>, HighlightAll=true') as highlight
    from hits join procedures d on d.id = hits.id, q
    order by hits.score desc, d.title`);
  return rows.rows.map((r) => ({ ...r, score: Number(Number(r.score).toFixed(4)) }));
}

/**
 * The help-centre query as tsquery operands: each word as the articles spell it (see
 * `spellWords`), or its SMS/oral expansion; words nobody wrote are left out.
 */
export async function articleQueryGroups(db: Executor, text: string): Promise<string[]> {
  const list = [...new Set(words(text))].slice(0, 40);
  if (!list.length) return [];
  const spelt = await spellWords(db, list);
  const groups: string[] = [];
  for (const w of list) {
    const own = spelt.get(w) ?? null;
    const sms = smsGroup(w);
    // A word the documents spell needs no folded variant: each operand costs ranking time.
    const group = own && sms ? `(${own} | ${sms})` : (own ?? sms ?? collapsedGroup(w));
    if (group && !groups.includes(group)) groups.push(group);
  }
  return groups;
}

/**
 * French search over procedures or articles: stemmed, accent-insensitive full text ranked
 * title and keywords first, then summary, then body; tolerant to typos and SMS spelling.
 * Same SQL on PGlite and PostgreSQL.
 *
 * Procedures are few and matched on everything, with trigram similarity on their folded title
 * and keywords. The help centre can hold tens of thousands of articles: see `searchArticles`.
 */
export async function searchContent(db: Executor, kind: 'procedure' | 'article', text: string, opts: { limit?: number; includeDrafts?: boolean } = {},
): Promise<SearchHit[]> {
  const limit = opts.limit ?? 10;
  const includeDrafts = opts.includeDrafts ?? false;
  if (kind === 'procedure') {
    const groups = queryGroups(text);
    if (!groups.length) return [];
    const folded = queryTerms(text).join(' ');
    const all = groups.length > 1 ? await runSearch(db, groups.join(' & '), folded, { limit, includeDrafts, fuzzy: false, exclude: [] }) : [];
    if (all.length >= limit) return all;
    return [...all, ...(await runSearch(db, groups.join(' | '), folded, { limit: limit - all.length, includeDrafts, fuzzy: true, exclude: all.map((h) => h.slug) }))];
  }
  const groups = await articleQueryGroups(db, text);
  if (!groups.length) return [];
  return searchArticles(db, groups, { limit, includeDrafts });
}

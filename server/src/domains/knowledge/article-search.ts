import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db';
import type { SearchHit } from './knowledge-search';

/** Misspelt words are replaced by a known word at least this similar (trigrams): "facebok" → "facebook". */
const SPELLING_SIMILARITY = 0.45;
/** Body and any-word matches can be thousands in a large help centre: a bounded sample of them is ranked. */
const SAMPLE = 150;
/**
 * Two-phase ranking of the head matches (the one stage whose matches are not sampled): each is
 * ranked by ts_rank, and only the best RESCORE_WINDOW are scored exactly. ts_rank_cd (cover
 * density) costs five times more per row and dominated the search when a query matched a
 * thousand heads. ts_rank also weighs how close the words are, and with weights ten times
 * smaller than its defaults it no longer saturates at 1, so it orders the heads like the exact
 * score: on 208 queries over 10,000 articles the results were the same even with a window of 12.
 */
const RESCORE_WINDOW = 40;
const PROXY_WEIGHTS = sql.raw(`'{0.01,0.02,0.04,0.1}'`);

/**
 * Each query word as the documents spell it: itself when some procedure or article has it (or
 * when it is a number), else its nearest known word ("facebok" → "facebook"), else null. One
 * statement whatever the number of words. The nearest word comes from the lexicon's GiST
 * trigram index in distance order (one index probe); a similarity filter instead made the
 * planner compare the word with every known word (40 ms on PGlite for one typo).
 */
export async function spellWords(db: Executor, list: string[]): Promise<Map<string, string | null>> {
  const spelt = new Map<string, string | null>();
  const asked: string[] = [];
  for (const w of list) {
    if (!/[a-z]/.test(w)) spelt.set(w, w);
    else if (/^[a-z0-9]+$/.test(w)) asked.push(w);
    else throw new Error(`spellWords: not a folded word: ${w}`);
  }
  if (asked.length) {
    const rows = await db.execute<{ w: string; word: string | null }>(sql`
      select u.w, coalesce(known.word,
        -- Short words are too easily "corrected" into another word. The index gives the nearest
        -- few in distance order; ties are then broken by the word itself.
        case when length(u.w) >= 4 then (
          select c.word from (select word, similarity(word, u.w) as s from search_lexicon order by word <-> u.w limit 3) c
          where c.s >= ${SPELLING_SIMILARITY} order by c.s desc, c.word limit 1) end) as word
      from unnest(string_to_array(${asked.join(' ')}, ' ')) as u(w)
      left join search_lexicon known on known.word = u.w`);
    for (const r of rows.rows) spelt.set(r.w, r.word);
  }
  return spelt;
}

/**
 * The help-centre search, as ONE statement: on PGlite each statement costs milliseconds however
 * small, so the stages are gated inside it rather than run one by one. It is not prepared: its
 * plan must see the query's words to pick the indexes (planning costs less than a bad plan).
 *
 * `groups` are tsquery operands of folded words (see `spellWords`), so they cannot break the
 * tsquery syntax; to_tsquery drops the stop words.
 * 1. All the words in the short head (title, keywords, summary), ranked.
 * 2. Only if that found fewer than the limit: all the words in the body.
 * 3. Then any word in the head, then any word in the body.
 */
export async function searchArticles(
  db: Executor,
  groups: string[],
  opts: { limit: number; includeDrafts: boolean },
): Promise<SearchHit[]> {
  if (!Number.isInteger(opts.limit) || opts.limit < 1 || opts.limit > 100) throw new Error(`searchArticles: bad limit ${opts.limit}`);
  const limit = sql.raw(String(opts.limit));
  const window = sql.raw(String(Math.max(RESCORE_WINDOW, opts.limit)));
  const live = opts.includeDrafts ? sql`true` : sql`status = 'published'`;
  const and = groups.join(' & ');
  const or = groups.join(' | ');
  const query = sql`
    with q as (select to_tsquery('fr_unaccent', ${and}) as qa, to_tsquery('fr_unaccent', ${or}) as qo),
    live as not materialized (select id, slug, title, summary, category, keywords, search_head, search from articles where ${live}),
    -- Each stage matches with the query written out, so the planner sees it and uses the indexes
    -- (matched against a column of q, or in a generic plan, it may scan every article to fill its sample).
    s1 as (
      select m.id, 1 as stage, (ts_rank_cd(m.v, q.qa, 1) + ts_rank(m.v, q.qa))::float8 as score
      from (select d.id, d.search_head as v from live d, q
            where d.search_head @@ to_tsquery('fr_unaccent', ${and})
            order by ts_rank(${PROXY_WEIGHTS}, d.search_head, q.qa, 1) desc limit ${window}) m, q
      order by score desc limit ${limit}
    ),
    s2 as (
      select m.id, 2 as stage, (ts_rank_cd(m.search, q.qa, 1) + ts_rank(m.search, q.qa))::float8 as score
      from (select d.id, d.search from live d
            where (select count(*) from s1) < ${limit} and d.search @@ to_tsquery('fr_unaccent', ${and}) and d.id not in (select id from s1)
            limit ${SAMPLE}) m, q
      order by score desc limit ${limit}
    ),
    s3 as (
      select m.id, 3 as stage, (ts_rank_cd(m.search_head, q.qo, 1) + ts_rank(m.search_head, q.qo))::float8 as score
      from (select d.id, d.search_head from live d
            where ${groups.length > 1} and (select count(*) from s1) + (select count(*) from s2) < ${limit}
              and d.search_head @@ to_tsquery('fr_unaccent', ${or}) and d.id not in (select id from s1 union all select id from s2)
            limit ${SAMPLE}) m, q
      order by score desc limit ${limit}
    ),
    s4 as (
      select m.id, 4 as stage, (ts_rank_cd(m.search, q.qo, 1) + ts_rank(m.search, q.qo))::float8 as score
      from (select d.id, d.search from live d
            where ${groups.length > 1} and (select count(*) from s1) + (select count(*) from s2) + (select count(*) from s3) < ${limit}
              and d.search @@ to_tsquery('fr_unaccent', ${or}) and d.id not in (select id from s1 union all select id from s2 union all select id from s3)
            limit ${SAMPLE}) m, q
      order by score desc limit ${limit}
    ),
    hits as (
      select * from (select * from s1 union all select * from s2 union all select * from s3 union all select * from s4) h
      order by stage, score desc limit ${limit}
    )
    select d.slug, d.title, d.summary, d.category, d.keywords, null::smallint as level, null::text as severity,
      -- The stage orders the list; the score shown stays comparable within a stage.
      hits.score,
      ts_headline('fr_unaccent', d.title || ' — ' || d.summary, q.qo, 'StartSel=<mark>, StopSel=</mark>, HighlightAll=true') as highlight
    from hits join articles d on d.id = hits.id, q
    order by hits.stage, hits.score desc, d.title`;
  const rows = await db.execute<SearchHit>(query);
  return rows.rows.map((r) => ({ ...r, score: Number(Number(r.score).toFixed(4)) }));
}

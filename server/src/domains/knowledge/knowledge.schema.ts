import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tsvector } from '../../platform/column-types';
import { staff } from '../auth/auth.schema';

export const contentStatus = pgEnum('content_status', ['draft', 'published']);
export const contentKind = pgEnum('content_kind', ['procedure', 'article']);

// Weighted French search: title and keywords first, then summary, then the body.
const searchVector = sql`setweight(to_tsvector('fr_unaccent', coalesce(title, '') || ' ' || coalesce(keywords_text, '')), 'A')
  || setweight(to_tsvector('fr_unaccent', coalesce(summary, '')), 'B')
  || setweight(to_tsvector('fr_unaccent', coalesce(body_text, '')), 'C')`;

// Title, keywords and summary only: small enough to rank thousands of matches fast.
const headVector = sql`setweight(to_tsvector('fr_unaccent', coalesce(title, '') || ' ' || coalesce(keywords_text, '')), 'A')
  || setweight(to_tsvector('fr_unaccent', coalesce(summary, '')), 'B')`;

/**
 * Content is written rarely and searched on every request. With GIN's default fast update, new
 * entries wait in a pending list that every search reads through until a vacuum merges it; the
 * embedded database never vacuums on its own, and 10,000 freshly loaded articles left 3.5 MB
 * there (help-centre search p90 50 ms, 12.5 ms once merged). Written straight into the index.
 */
const SEARCH_INDEX = { fastupdate: false };

/** An internal playbook for agents: steps, words to say, when to escalate. Markdown is the source. */
export const procedures = pgTable(
  'procedures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    severity: text('severity').notNull(),
    category: text('category').notNull(),
    level: smallint('level').notNull(),
    keywords: text('keywords').array().notNull(),
    related: text('related').array().notNull(),
    body: text('body').notNull(),
    steps: jsonb('steps').$type<string[]>().notNull(),
    scripts: jsonb('scripts').$type<string[]>().notNull(),
    escalation: text('escalation').notNull(),
    officialContacts: text('official_contacts').notNull(),
    status: contentStatus('status').notNull().default('published'),
    version: integer('version').notNull().default(1),
    updatedBy: uuid('updated_by').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    // Written by the app: keywords joined, body as plain text, and the folded form used for typo-tolerant matching.
    keywordsText: text('keywords_text').notNull(),
    bodyText: text('body_text').notNull(),
    matchText: text('match_text').notNull(),
    search: tsvector('search').notNull().generatedAlwaysAs(searchVector),
  },
  (t) => [
    index('procedures_search_idx').using('gin', t.search).with(SEARCH_INDEX),
    index('procedures_match_trgm_idx').using('gin', sql`${t.matchText} gin_trgm_ops`).with(SEARCH_INDEX),
  ],
);

/** A public help-centre page for clients. */
export const articles = pgTable(
  'articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    category: text('category').notNull(),
    keywords: text('keywords').array().notNull(),
    body: text('body').notNull(),
    status: contentStatus('status').notNull().default('published'),
    version: integer('version').notNull().default(1),
    updatedBy: uuid('updated_by').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    keywordsText: text('keywords_text').notNull(),
    bodyText: text('body_text').notNull(),
    matchText: text('match_text').notNull(),
    search: tsvector('search').notNull().generatedAlwaysAs(searchVector),
    searchHead: tsvector('search_head').notNull().generatedAlwaysAs(headVector),
  },
  (t) => [
    index('articles_search_idx').using('gin', t.search).with(SEARCH_INDEX),
    index('articles_search_head_idx').using('gin', t.searchHead).with(SEARCH_INDEX),
    index('articles_match_trgm_idx').using('gin', sql`${t.matchText} gin_trgm_ops`).with(SEARCH_INDEX),
  ],
);

/** Every saved version of a procedure or an article: who changed what, when; any can be restored. */
export const contentVersions = pgTable(
  'content_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: contentKind('kind').notNull(),
    contentId: uuid('content_id').notNull(),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    note: text('note'),
    authorId: uuid('author_id').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('content_versions_kind_content_version_key').on(t.kind, t.contentId, t.version)],
);

/**
 * Every word of the procedures and articles (lower case, accents removed), kept by a trigger
 * on both tables. Search checks the query's words here: a misspelt word is replaced by its
 * nearest known word (trigram similarity on a few thousand words, not on every document),
 * and a word no document contains is left out instead of making "all the words" fail.
 * Words are never removed: a stale word only costs a search that finds nothing more.
 */
export const searchLexicon = pgTable('search_lexicon', { word: text('word').primaryKey() }, (t) => [
  // GiST, not GIN: it returns the nearest words in distance order (KNN), one probe per typo.
  index('search_lexicon_trgm_idx').using('gist', sql`${t.word} gist_trgm_ops`),
]);

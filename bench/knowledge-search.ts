/**
 * Knowledge-base search on 10,000 articles: p50/p95 of the French, typo-tolerant search
 * (the help centre's query) on embedded PGlite and on PostgreSQL, next to a baseline measured
 * in the same run on the same data: fetching one article by its slug (a primary-key lookup).
 * Target: search p95 < 15 ms. The last line is one JSON object.
 */
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { articles } from '../server/src/domains/knowledge/knowledge.schema';
import { searchContent } from '../server/src/domains/knowledge/knowledge-search';
import { searchColumns } from '../server/src/domains/knowledge/markdown-content';
import { migrateDatabase, openDatabase, PGLITE_OPTIONS, wrapPglite, type Database } from '../server/src/platform/db';
import { ensureWorkspace } from '../server/src/workspace/bootstrap';

const TOTAL = Number(process.env.BENCH_ARTICLES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const QUERIES = [
  'mot de passe oublie', 'mdp ameli', 'piratage facebook', 'facebok pirate', 'attestation de droits', 'zoom reunion',
  'scanner un document', 'numeriser imprimante', 'arnaque sms remboursement', 'caf compte', 'impots connexion',
  'retraite demande', 'photo telephone envoyer', 'double authentification', 'skype ferme', 'lire mes mails orange',
  'gmail', 'lire ses emails sur outlook', 'carte bancaire perdue', 'que faire si je suis pirate', 'declaration trimestrielle',
  'comment je fais pour envoyer une photo a ma fille', 'jai oublie mon mot de passe', 'faux conseiller banque',
];

// Real help-centre articles, varied into a large base: same vocabulary and lengths as production.
async function fill(database: Database) {
  const base = await database.db.select().from(articles);
  const topics = ['', ' (Android)', ' (iPhone)', ' sur ordinateur', ' pour les seniors', ' pas à pas', ' — cas particuliers', ' en 5 minutes'];
  const places = ['Paris', 'Lyon', 'Lille', 'Nantes', 'Marseille', 'Rennes', 'Dijon', 'Brest', 'Nice', 'Metz'];
  const rows = [];
  for (let i = base.length; i < TOTAL; i++) {
    const a = base[i % base.length]!;
    const title = `${a.title}${topics[i % topics.length]} n°${i}`;
    const body = `${a.body}\n\nAtelier de ${places[i % places.length]} : exemple ${i}.`;
    const c = { title, keywords: a.keywords, body };
    rows.push({ slug: `${a.slug}-${i}`, title, summary: a.summary, category: a.category, keywords: a.keywords, body, ...searchColumns(c) });
    if (rows.length === 500) await database.db.insert(articles).values(rows.splice(0));
  }
  if (rows.length) await database.db.insert(articles).values(rows);
  await database.db.execute('analyze articles' as never);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(database: Database, label: string) {
  await fill(database);
  const slugs = (await database.db.select({ slug: articles.slug }).from(articles).limit(500)).map((r) => r.slug);
  for (const q of QUERIES) await searchContent(database.db, 'article', q, { limit: 10 });
  const search: number[] = [];
  const lookup: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of QUERIES) {
      let t = performance.now();
      const hits = await searchContent(database.db, 'article', q, { limit: 10 });
      search.push(performance.now() - t);
      if (!hits.length) throw new Error(`no result for "${q}"`);
      t = performance.now();
      await database.db.select().from(articles).where(eq(articles.slug, slugs[(r * 31 + search.length) % slugs.length]!));
      lookup.push(performance.now() - t);
    }
  }
  search.sort((a, b) => a - b);
  lookup.sort((a, b) => a - b);
  const f = (x: number) => Number(x.toFixed(2));
  const out = { searchP50: f(percentile(search, 50)), searchP95: f(percentile(search, 95)), lookupP50: f(percentile(lookup, 50)), lookupP95: f(percentile(lookup, 95)), samples: search.length };
  console.log(`${label.padEnd(11)} search p50 ${out.searchP50} ms  p95 ${out.searchP95} ms (target < 15 ms)   baseline slug lookup p50 ${out.lookupP50} ms  p95 ${out.lookupP95} ms`);
  return out;
}

const embedded = wrapPglite(await PGlite.create(PGLITE_OPTIONS), true);
await migrateDatabase(embedded);
await ensureWorkspace(embedded.db);
const pglite = await measure(embedded, 'PGlite');
await embedded.close();

const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `relais_kb_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
let postgres;
try {
  const u = new URL(baseUrl);
  u.pathname = `/${dbName}`;
  const server = await openDatabase({ url: u.toString() });
  await migrateDatabase(server);
  await ensureWorkspace(server.db);
  postgres = await measure(server, 'PostgreSQL');
  await server.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
console.log(JSON.stringify({ bench: 'kb-search', at: new Date().toISOString(), articles: TOTAL, queries: QUERIES.length, rounds: ROUNDS, pglite, postgres }));

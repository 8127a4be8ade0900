import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../test/helpers/app';
import { usingPostgres } from '../../../test/helpers/database';
import { call } from '../../../test/helpers/http';
import { mergePendingSearchEntries } from './maintenance';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => env?.close());

describe(`database upkeep (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('merges the pending entries of the search indexes that keep some, and only those', async () => {
    // Content indexes write straight through; tickets' and messages' keep GIN's fast update.
    const options = await env.relais.ctx.db.execute<{ relname: string; reloptions: string[] | null }>(sql`
      select c.relname, c.reloptions from pg_class c join pg_am am on am.oid = c.relam
      where am.amname = 'gin' and c.relname in ('articles_search_idx', 'procedures_search_idx', 'tickets_search_idx', 'messages_search_idx') order by c.relname`);
    expect(options.rows.map((r) => [r.relname, r.reloptions?.includes('fastupdate=false') ?? false])).toEqual([
      ['articles_search_idx', true],
      ['messages_search_idx', false],
      ['procedures_search_idx', true],
      ['tickets_search_idx', false],
    ]);

    await mergePendingSearchEntries(env.relais.ctx);
    for (let i = 0; i < 5; i++) {
      const res = await call(env.relais.app, 'POST', '/api/v1/tickets', {
        auth: env.staff.n1.auth,
        body: { subject: `Imprimante bloquée ${i}`, description: 'Le voyant orange clignote depuis ce matin.', channel: 'phone', contact: { name: `Client ${i}`, phone: `06${String(31000000 + i).padStart(8, '0')}` } },
      });
      expect(res.status).toBe(201);
    }
    // New tickets wait in the pending list until merged; then none is left.
    expect(await mergePendingSearchEntries(env.relais.ctx)).toBeGreaterThan(0);
    expect(await mergePendingSearchEntries(env.relais.ctx)).toBe(0);
    const found = await call(env.relais.app, 'GET', `/api/v1/tickets?q=${encodeURIComponent('voyant orange')}`, { auth: env.staff.supervisor.auth });
    expect(found.body.items.length).toBeGreaterThanOrEqual(5);
  });

  it('can vacuum and analyse the database from a job', async () => {
    await env.relais.ctx.db.execute(sql`vacuum (analyze) tickets`);
    const rows = await env.relais.ctx.db.execute<{ analysed: boolean }>(sql`
      select coalesce(last_analyze, last_autoanalyze) is not null as analysed from pg_stat_user_tables where relname = 'tickets'`);
    expect(rows.rows[0]?.analysed).toBe(true);
  });
});

import { sql } from 'drizzle-orm';
import type { AppContext } from './context';
import type { Jobs } from './jobs';

export const SEARCH_INDEXES_JOB = 'platform.search-indexes';
export const VACUUM_JOB = 'platform.vacuum';

/**
 * Merges the pending lists of the GIN indexes that keep one (tickets' and messages' search,
 * written on every request, keep GIN's fast update): every search reads a pending list through
 * until it is merged, and only a vacuum merges it. PostgreSQL's autovacuum does so now and then;
 * the embedded database never vacuums on its own. Returns the pending pages merged.
 */
export async function mergePendingSearchEntries(ctx: Pick<AppContext, 'db'>): Promise<number> {
  const rows = await ctx.db.execute<{ pages: number | string | null }>(sql`
    select gin_clean_pending_list(i.indexrelid) as pages
    from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_am am on am.oid = c.relam
    join pg_namespace n on n.oid = c.relnamespace
    where am.amname = 'gin' and n.nspname = current_schema()
      and not coalesce(c.reloptions @> array['fastupdate=false'], false)`);
  return rows.rows.reduce((sum, r) => sum + Number(r.pages ?? 0), 0);
}

/**
 * Database upkeep as jobs, so one node does it whatever the number of nodes. The embedded
 * database has no autovacuum: without a nightly VACUUM (ANALYZE) its statistics would stay
 * those of an empty database and its dead rows would never be reclaimed.
 */
export function defineMaintenanceJobs(jobs: Jobs, ctx: AppContext): void {
  jobs.define({ name: SEARCH_INDEXES_JOB, cron: '*/10 * * * *', retryLimit: 0, handler: async () => void (await mergePendingSearchEntries(ctx)) });
  if (ctx.database.kind === 'pglite') {
    jobs.define({ name: VACUUM_JOB, cron: '30 3 * * *', retryLimit: 0, handler: async () => void (await ctx.db.execute(sql`vacuum (analyze)`)) });
  }
}

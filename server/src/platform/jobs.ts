import { sql, type SQL } from 'drizzle-orm';
import { fromDrizzle, fromPglite, PgBoss } from 'pg-boss';
// pg-boss's own statement texts: a job written by a caller's statement is the row enqueue() writes.
import { insertJobs, notifyChannelSql } from 'pg-boss/dist/plans.js';
import type { Database, Executor } from './db';

export interface JobDefinition<T extends object = Record<string, unknown>> {
  name: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A cron expression (Europe/Paris) for periodic jobs. */
  cron?: string;
  /** `retryCount`: 0 on a job's first run (pg-boss counts each later claim). */
  handler: (data: T, run: { retryCount: number }) => Promise<void>;
}

/** pg-boss's schema (its default, named so that statements written here agree with it). */
const SCHEMA = 'pgboss';

export interface EnqueueOptions {
  startAfterSeconds?: number;
  singletonKey?: string;
}

/**
 * Jobs live in PostgreSQL (pg-boss), so any app node may run them and none is lost on restart.
 * Enqueue inside the caller's transaction: the job exists only if the change commits
 * (and on PGlite, enqueueing outside the open transaction would deadlock on its single connection).
 */
export class Jobs {
  private boss: PgBoss | null = null;
  private definitions = new Map<string, JobDefinition<never>>();
  private declared = new Set<string>();
  /** The job table of each queue (pg-boss may give a queue a table of its own). */
  private tables = new Map<string, string>();

  /** A queue that other domains fill before its worker is defined; jobs wait in PostgreSQL. */
  declare(name: string): void {
    this.declared.add(name);
  }

  define<T extends object>(def: JobDefinition<T>): void {
    this.definitions.set(def.name, def as unknown as JobDefinition<never>);
  }

  /** Every node can enqueue; only nodes with `work` run handlers and the cron schedule (RELAIS_JOBS). */
  async start(database: Database, opts: { work: boolean }): Promise<void> {
    const boss =
      database.kind === 'pglite'
        ? new PgBoss({ db: fromPglite(database.pglite!), backend: 'pglite', schema: SCHEMA, schedule: opts.work, supervise: opts.work, useListenNotify: true })
        : new PgBoss({ connectionString: database.connectionString!, max: 4, schema: SCHEMA, schedule: opts.work, supervise: opts.work, useListenNotify: true });
    boss.on('error', (err: unknown) => console.error('[jobs]', err));
    await boss.start();
    for (const name of this.declared) {
      if (!this.definitions.has(name)) await boss.createQueue(name, { retryLimit: 5, retryDelay: 5, retryBackoff: true });
    }
    for (const def of this.definitions.values()) {
      await boss.createQueue(def.name, {
        notify: true,
        retryLimit: def.retryLimit ?? 5,
        retryDelay: def.retryDelaySeconds ?? 5,
        retryBackoff: true,
      });
      if (opts.work) {
        // Each job settles on its own: one failure retries that job, not the whole batch.
        // A full batch fetches again at once; NOTIFY wakes idle workers, polling is the backstop.
        await boss.work<Record<string, unknown>>(
          def.name,
          { batchSize: 10, perJobResults: true, burstWhenBatchFull: true, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 2 },
          async (jobs) => {
            const results = await Promise.allSettled(jobs.map((job) => def.handler(job.data as never, { retryCount: job.retryCount })));
            return results.map((r, i) => {
              if (r.status === 'rejected') console.error(`[jobs] ${def.name} ${jobs[i]!.id}`, r.reason);
              return { id: jobs[i]!.id, status: r.status === 'fulfilled' ? ('completed' as const) : ('failed' as const) };
            });
          },
        );
        if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'Europe/Paris' });
      }
    }
    for (const name of [...this.declared, ...this.definitions.keys()]) {
      const table = (await boss.getQueue(name))?.table;
      if (table) this.tables.set(name, table);
    }
    this.boss = boss;
  }

  /**
   * A job written by a caller's own statement, so that a hot path enqueues in the round trip
   * that needs it: pg-boss's own INSERT for the queue (`jobs`: a JSON array of `{ "data": … }`,
   * as text; everything else from the queue's settings, as enqueue() does; it returns the job
   * ids) and, to place after it, the wake-up of the queue's workers at commit (pg-boss's NOTIFY).
   * Available once started (the queue's table is read then).
   */
  insertSql(name: string, jobs: SQL): { insert: SQL; wake: (inserted: SQL) => SQL } {
    const table = this.tables.get(name);
    if (!table) throw new Error(`Jobs.insertSql: unknown queue ${name} (or called before Jobs.start)`);
    const text = insertJobs(SCHEMA, { table, name, returnId: true, notify: false });
    const parts = text.split('$1');
    if (parts.length !== 2 || /\$\d/.test(text.replace('$1', ''))) throw new Error('Jobs.insertSql: pg-boss insert has an unexpected shape');
    return {
      insert: sql`${sql.raw(parts[0]!)}${jobs}${sql.raw(parts[1]!)}`,
      wake: (inserted) => sql`select pg_notify(${sql.raw(notifyChannelSql(SCHEMA))}, ${name}::text) from ${inserted} limit 1`,
    };
  }

  async enqueue(tx: Executor, name: string, data: object, opts: EnqueueOptions = {}): Promise<void> {
    if (!this.boss) throw new Error('Jobs.enqueue called before Jobs.start');
    await this.boss.send(name, data, {
      db: fromDrizzle(tx as never, sql as never),
      startAfter: opts.startAfterSeconds,
      singletonKey: opts.singletonKey,
    });
  }

  async stop(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    if (boss) await boss.stop({ graceful: true, timeout: 5000, close: true });
  }
}

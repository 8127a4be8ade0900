import { sql } from 'drizzle-orm';
import { fromDrizzle, fromPglite, PgBoss } from 'pg-boss';
import type { Database, Executor } from './db';

export interface JobDefinition<T extends object = Record<string, unknown>> {
  name: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A cron expression (Europe/Paris) for periodic jobs. */
  cron?: string;
  handler: (data: T) => Promise<void>;
}

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
        ? new PgBoss({ db: fromPglite(database.pglite!), backend: 'pglite', schedule: opts.work, supervise: opts.work, useListenNotify: true })
        : new PgBoss({ connectionString: database.connectionString!, max: 4, schedule: opts.work, supervise: opts.work, useListenNotify: true });
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
            const results = await Promise.allSettled(jobs.map((job) => def.handler(job.data as never)));
            return results.map((r, i) => {
              if (r.status === 'rejected') console.error(`[jobs] ${def.name} ${jobs[i]!.id}`, r.reason);
              return { id: jobs[i]!.id, status: r.status === 'fulfilled' ? ('completed' as const) : ('failed' as const) };
            });
          },
        );
        if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'Europe/Paris' });
      }
    }
    this.boss = boss;
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

import type { AppContext } from '../../platform/context';

/**
 * What the channels keep per app node: work started right after a webhook was acknowledged
 * (awaited on shutdown, so nothing is cut in the middle) and the servers they listen on.
 */
export class ChannelRuntime {
  private inflight = new Set<Promise<unknown>>();
  private waiting: (() => void)[] = [];
  private running = 0;
  private stoppers: (() => Promise<void>)[] = [];
  stopped = false;
  /** Port of the inbound SMTP server when it runs (SMTP_INBOUND_PORT=0 picks a free one). */
  smtpPort: number | null = null;

  /**
   * @param concurrency work run at once: the rest waits its turn, so a burst of webhooks never
   * takes every database connection and the acknowledgements stay fast.
   * @param maxWaiting beyond this backlog, work is left to its job (pg-boss) instead.
   */
  constructor(
    private readonly concurrency = 4,
    private readonly maxWaiting = 5000,
  ) {}

  /** Runs `work` in the background; failures are left to the job that backs it up. */
  spawn(work: () => Promise<unknown>, onError: (err: unknown) => void): boolean {
    if (this.stopped || this.waiting.length >= this.maxWaiting) return false;
    const p = this.slot()
      .then(work)
      .catch(onError)
      .finally(() => {
        this.running--;
        this.waiting.shift()?.();
        this.inflight.delete(p);
      });
    this.inflight.add(p);
    return true;
  }

  private slot(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) =>
      this.waiting.push(() => {
        this.running++;
        resolve();
      }),
    );
  }

  onStop(fn: () => Promise<void>): void {
    this.stoppers.push(fn);
  }

  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const fn of this.stoppers.splice(0).reverse()) await fn().catch(() => {});
    await this.idle();
  }
}

const runtimes = new WeakMap<object, ChannelRuntime>();

/** One runtime per app node, keyed by its jobs (the context object itself is copied for transactions). */
export function runtimeOf(ctx: AppContext): ChannelRuntime {
  let r = runtimes.get(ctx.jobs);
  if (!r) {
    // Half the pool for inbound processing; PGlite runs one statement at a time anyway.
    r = new ChannelRuntime(ctx.database.kind === 'postgres' ? Math.max(2, Math.floor(ctx.config.dbPoolSize / 2)) : 2);
    runtimes.set(ctx.jobs, r);
  }
  return r;
}

import type { AppContext } from '../../platform/context';

/**
 * What the channels keep per app node: work started right after a webhook was acknowledged
 * (awaited on shutdown, so nothing is cut in the middle) and the servers they listen on.
 */
export class ChannelRuntime {
  private inflight = new Set<Promise<unknown>>();
  private stoppers: (() => Promise<void>)[] = [];
  stopped = false;
  /** Port of the inbound SMTP server when it runs (SMTP_INBOUND_PORT=0 picks a free one). */
  smtpPort: number | null = null;

  /** Runs `work` in the background; failures are left to the job that backs it up. */
  spawn(work: () => Promise<unknown>, onError: (err: unknown) => void): void {
    if (this.stopped) return;
    const p = Promise.resolve()
      .then(work)
      .catch(onError)
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
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
    r = new ChannelRuntime();
    runtimes.set(ctx.jobs, r);
  }
  return r;
}

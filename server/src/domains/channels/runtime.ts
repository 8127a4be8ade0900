import type { AppContext } from '../../platform/context';
import { InboxDrain } from './inbound/inbox-drain';

/** The drain's backstop poll (a notification lost while the listener reconnects, a lease run out). */
const DRAIN_POLL_MS = 5000;

/**
 * What the channels keep per app node: the inbox drain (deliveries processed as soon as they
 * are stored; its work is finished on shutdown, so nothing is cut in the middle) and the
 * servers they listen on.
 */
export class ChannelRuntime {
  private stoppers: (() => Promise<void>)[] = [];
  /** Port of the inbound SMTP server when it runs (SMTP_INBOUND_PORT=0 picks a free one). */
  smtpPort: number | null = null;

  constructor(readonly drain: InboxDrain) {}

  onStop(fn: () => Promise<void>): void {
    this.stoppers.push(fn);
  }

  async stop(): Promise<void> {
    for (const fn of this.stoppers.splice(0).reverse()) await fn().catch(() => {});
    await this.drain.stop();
  }
}

const runtimes = new WeakMap<object, ChannelRuntime>();

/** One runtime per app node, keyed by its jobs (the context object itself is copied for transactions). */
export function runtimeOf(ctx: AppContext): ChannelRuntime {
  let r = runtimes.get(ctx.jobs);
  if (!r) {
    // Half the pool for inbound processing, so a burst never takes every connection and the
    // acknowledgements stay fast; PGlite runs one statement at a time anyway.
    const poolSize = ctx.database.pool?.options.max ?? ctx.config.dbPoolSize;
    const concurrency = ctx.database.kind === 'postgres' ? Math.max(2, Math.floor(poolSize / 2)) : 2;
    r = new ChannelRuntime(new InboxDrain(ctx, { concurrency, pollMs: DRAIN_POLL_MS }));
    runtimes.set(ctx.jobs, r);
  }
  return r;
}

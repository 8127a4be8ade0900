import type { AppContext } from '../../../platform/context';
import { openDatabase, type Database } from '../../../platform/db';
import { claimDeliveries, conversationOf, INBOX_CHANNEL, runClaimed, type InboxRow } from './inbox';

export interface DrainOptions {
  /** Deliveries claimed and not finished at most (each takes one database connection at a time). */
  concurrency: number;
  /** Backstop when no notification came (listener reconnecting) and for leases run out (a worker died). */
  pollMs: number;
}

/**
 * Turns stored deliveries into messages as soon as they are committed, on every app node.
 * Woken by NOTIFY at each delivery's commit (and at once by this node's own webhooks), it claims
 * the oldest pending deliveries in batches (SKIP LOCKED: nodes share the work, never the same
 * row) and processes them: one person's deliveries one after the other in the order received,
 * different people's in parallel. No job per delivery on this path: the inbox row is the
 * durable work item, and a failure is handed to a pg-boss job that retries with backoff.
 */
export class InboxDrain {
  private inflight = 0;
  private readonly chains = new Map<string, Promise<void>>();
  private pumping: Promise<void> | null = null;
  /** There may be deliveries to claim (a notification, a poll, or the last claim came back full). */
  private more = false;
  private stopped = false;
  private unlisten: (() => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** What processing runs on: on PostgreSQL, connections of its own. */
  private ctx: AppContext;
  private own: Database | null = null;

  constructor(
    private readonly node: AppContext,
    private readonly opts: DrainOptions,
  ) {
    this.ctx = node;
  }

  async start(): Promise<void> {
    if (this.node.database.kind === 'postgres') {
      // A flood of webhooks queueing for the request pool must not hold processing back, nor
      // processing take the connections requests need: the drain has its own few.
      this.own = await openDatabase({ url: this.node.database.connectionString, poolSize: this.opts.concurrency + 1 });
      this.ctx = { ...this.node, database: this.own, db: this.own.db };
    }
    this.unlisten = await this.node.database.listen(INBOX_CHANNEL, () => this.wake());
    this.timer = setInterval(() => this.wake(), this.opts.pollMs);
    this.timer.unref();
    // Whatever was stored while no node was listening.
    this.wake();
  }

  /** Something may be waiting in the inbox. */
  wake(): void {
    if (this.stopped) return;
    this.more = true;
    this.pump();
  }

  private pump(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = this.fill()
      .catch((err: unknown) => console.error('[channels] inbox drain:', (err as Error).message))
      .finally(() => {
        this.pumping = null;
        // A wake that came while this pass was ending.
        if (this.more && this.hasRoom()) this.pump();
      });
  }

  /**
   * Claims while there is room. Refilling only once half the slots are free keeps claims in
   * batches under load (one statement for several deliveries) without letting the slots idle.
   */
  private async fill(): Promise<void> {
    while (!this.stopped && this.more && this.hasRoom()) {
      const want = this.opts.concurrency - this.inflight;
      // A notification arriving during the claim sets it again.
      this.more = false;
      const rows = await claimDeliveries(this.ctx, want);
      if (rows.length === want) this.more = true;
      for (const row of rows) this.dispatch(row);
    }
  }

  private hasRoom(): boolean {
    return this.inflight <= this.opts.concurrency / 2;
  }

  private dispatch(row: InboxRow): void {
    this.inflight++;
    const key = conversationOf(row);
    const run: Promise<void> = (this.chains.get(key) ?? Promise.resolve())
      .then(() => runClaimed(this.ctx, row, { fromJob: false }))
      // Recording the outcome failed too (database gone): the lease runs out and a drain takes it again.
      .then(
        () => undefined,
        (err: unknown) => console.error(`[channels] delivery ${row.id}:`, (err as Error).message),
      )
      .finally(() => {
        this.inflight--;
        if (this.chains.get(key) === run) this.chains.delete(key);
        if (this.more) this.pump();
      });
    this.chains.set(key, run);
  }

  /** Resolves once nothing claimed by this node is left unfinished. */
  async idle(): Promise<void> {
    while (this.pumping || this.chains.size) {
      await this.pumping;
      await Promise.allSettled([...this.chains.values()]);
    }
  }

  /** Stops claiming and finishes what this node already claimed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.().catch(() => undefined);
    await this.idle();
    await this.own?.close();
  }
}

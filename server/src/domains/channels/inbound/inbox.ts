import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../../platform/context';
import { channelInbox } from '../channel.schema';
import { runtimeOf } from '../runtime';

export const PROCESS_INBOX_JOB = 'channels.inbox.process';
export const SWEEP_INBOX_JOB = 'channels.inbox.sweep';
/** After this many tries a delivery is marked failed and kept for a human to look at. */
export const MAX_INBOX_ATTEMPTS = 6;
/** A worker that died mid-way frees its delivery after this long. */
const CLAIM_SECONDS = 60;

export type InboxSource = (typeof channelInbox.$inferSelect)['source'];
export type InboxRow = typeof channelInbox.$inferSelect;

export interface Outcome {
  state: 'processed' | 'ignored';
  result: Record<string, unknown>;
  /** Already marked processed by the processor's own transaction. */
  closed?: boolean;
}

export type InboxProcessor = (ctx: AppContext, row: InboxRow) => Promise<Outcome>;

/** Thrown by a processor for input that can never be processed (retrying would not help). */
export class UnprocessableDelivery extends Error {}

const processors = new Map<InboxSource, InboxProcessor>();

export function registerProcessor(source: InboxSource, fn: InboxProcessor): void {
  processors.set(source, fn);
}

/**
 * Stores a delivery and queues its processing, in one transaction, before the provider gets its
 * 2xx. A delivery already stored (the provider retried) is not queued again.
 */
export async function acceptDelivery(ctx: AppContext, source: InboxSource, dedupeKey: string, raw: Buffer): Promise<{ id: string; duplicate: boolean }> {
  const accepted = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(channelInbox).values({ source, dedupeKey, raw }).onConflictDoNothing().returning();
    if (!row) return null;
    await ctx.jobs.enqueue(tx, PROCESS_INBOX_JOB, { id: row.id });
    return row;
  });
  if (accepted) {
    // Start right away on this node; the job is the retry path (and wins if this node dies).
    kick(ctx, accepted);
    return { id: accepted.id, duplicate: false };
  }
  const [existing] = await ctx.db
    .select({ id: channelInbox.id })
    .from(channelInbox)
    .where(and(eq(channelInbox.source, source), eq(channelInbox.dedupeKey, dedupeKey)));
  return { id: existing!.id, duplicate: true };
}

function kick(ctx: AppContext, row: InboxRow): void {
  runtimeOf(ctx).spawn(
    () => processFirstTime(ctx, row),
    (err) => console.warn(`[channels] delivery ${row.id} will be retried by its job:`, (err as Error).message),
  );
}

export class DeliveryBusy extends Error {
  constructor(id: string) {
    super(`delivery ${id} is being processed by another worker`);
  }
}

/**
 * Processes one stored delivery at most once at a time (a claim with a lease). From a job, a
 * failure is thrown so pg-boss retries with backoff; after MAX_INBOX_ATTEMPTS it is marked failed.
 */
export async function processDelivery(ctx: AppContext, id: string, opts: { fromJob: boolean }): Promise<InboxRow['state'] | 'busy'> {
  const [row] = await ctx.db
    .update(channelInbox)
    .set({ claimedUntil: sql`now() + make_interval(secs => ${CLAIM_SECONDS})`, attempts: sql`${channelInbox.attempts} + 1` })
    .where(and(eq(channelInbox.id, id), eq(channelInbox.state, 'pending'), or(isNull(channelInbox.claimedUntil), lt(channelInbox.claimedUntil, sql`now()`))))
    .returning();
  if (!row) {
    const [current] = await ctx.db.select({ state: channelInbox.state }).from(channelInbox).where(eq(channelInbox.id, id));
    if (!current || current.state !== 'pending') return current?.state ?? 'ignored';
    // Someone else holds it; the job comes back later in case that worker fails.
    if (opts.fromJob) throw new DeliveryBusy(id);
    return 'busy';
  }
  const processor = processors.get(row.source);
  try {
    if (!processor) throw new Error(`no processor for ${row.source}`);
    const outcome = await processor(ctx, row);
    if (!outcome.closed) {
      await ctx.db
        .update(channelInbox)
        .set({ state: outcome.state, result: outcome.result, processedAt: new Date(), claimedUntil: null, error: null })
        .where(eq(channelInbox.id, id));
    }
    return outcome.state;
  } catch (err) {
    const final = err instanceof UnprocessableDelivery || row.attempts >= MAX_INBOX_ATTEMPTS;
    await ctx.db
      .update(channelInbox)
      .set({ state: final ? 'failed' : 'pending', error: (err as Error).message?.slice(0, 2000) ?? String(err), claimedUntil: null })
      .where(eq(channelInbox.id, id));
    if (final) {
      console.error(`[channels] delivery ${id} (${row.source}) failed for good:`, (err as Error).message);
      return 'failed';
    }
    if (opts.fromJob) throw err;
    return 'pending';
  }
}

/**
 * The first try, on the node that acknowledged the delivery, right after: no claim (one commit
 * less on the hot path). A job running at the same moment is harmless: messages are unique per
 * provider id, so one of the two rolls back. On failure the job takes over with its retries.
 */
async function processFirstTime(ctx: AppContext, row: InboxRow): Promise<InboxRow['state']> {
  const id = row.id;
  const processor = processors.get(row.source);
  if (!processor) return 'pending';
  try {
    const outcome = await processor(ctx, { ...row, attempts: row.attempts + 1 });
    if (!outcome.closed) {
      await ctx.db
        .update(channelInbox)
        .set({ state: outcome.state, result: outcome.result, processedAt: new Date(), attempts: sql`${channelInbox.attempts} + 1`, error: null })
        .where(and(eq(channelInbox.id, id), eq(channelInbox.state, 'pending')));
    }
    return outcome.state;
  } catch (err) {
    const final = err instanceof UnprocessableDelivery;
    await ctx.db
      .update(channelInbox)
      .set({ state: final ? 'failed' : 'pending', error: (err as Error).message?.slice(0, 2000) ?? String(err), attempts: sql`${channelInbox.attempts} + 1` })
      .where(and(eq(channelInbox.id, id), eq(channelInbox.state, 'pending')));
    if (final) console.error(`[channels] delivery ${id} (${row.source}) cannot be processed:`, (err as Error).message);
    return final ? 'failed' : 'pending';
  }
}

/** Safety net (cron): deliveries still pending after a few minutes are tried again. */
export async function sweepInbox(ctx: AppContext): Promise<number> {
  const rows = await ctx.db
    .select({ id: channelInbox.id })
    .from(channelInbox)
    .where(and(eq(channelInbox.state, 'pending'), lt(channelInbox.receivedAt, sql`now() - interval '5 minutes'`), or(isNull(channelInbox.claimedUntil), lt(channelInbox.claimedUntil, sql`now()`))))
    .limit(100);
  for (const r of rows) await processDelivery(ctx, r.id, { fromJob: true }).catch(() => undefined);
  return rows.length;
}

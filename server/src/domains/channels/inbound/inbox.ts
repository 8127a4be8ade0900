import { and, asc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../../platform/context';
import { channelInbox } from '../channel.schema';

export const PROCESS_INBOX_JOB = 'channels.inbox.process';
export const SWEEP_INBOX_JOB = 'channels.inbox.sweep';
/** Every app node LISTENs here: a stored delivery wakes the drains at once (inbox-drain.ts). */
export const INBOX_CHANNEL = 'relais_channel_inbox';
/** After this many tries a delivery is marked failed and kept for a human to look at. */
export const MAX_INBOX_ATTEMPTS = 6;
/** A worker that died mid-way frees its delivery after this long. */
export const CLAIM_SECONDS = 60;
/** First retry of a delivery that failed on the fast path (pg-boss backs off from there). */
export const RETRY_DELAY_SECONDS = 5;

export type InboxSource = (typeof channelInbox.$inferSelect)['source'];
export type InboxRow = typeof channelInbox.$inferSelect;

export interface Outcome {
  state: 'processed' | 'ignored';
  result: Record<string, unknown>;
  /** Already marked processed by the processor's own transaction. */
  closed?: boolean;
}

export type InboxProcessor = (ctx: AppContext, row: InboxRow) => Promise<Outcome>;

/**
 * Who a delivery is from, when its source knows it cheaply: a person's deliveries are processed
 * one after the other, in the order received (messages in order, one ticket for a first burst).
 */
export type ConversationOf = (row: InboxRow) => string | null;

/** Thrown by a processor for input that can never be processed (retrying would not help). */
export class UnprocessableDelivery extends Error {}

const processors = new Map<InboxSource, { process: InboxProcessor; conversationOf?: ConversationOf }>();

export function registerProcessor(source: InboxSource, process: InboxProcessor, opts: { conversationOf?: ConversationOf } = {}): void {
  processors.set(source, { process, ...opts });
}

/** The conversation a delivery belongs to; one of its own when the source cannot tell. */
export function conversationOf(row: InboxRow): string {
  try {
    const key = processors.get(row.source)?.conversationOf?.(row);
    return key ? `${row.source}:${key}` : row.id;
  } catch {
    return row.id;
  }
}

/**
 * Stores a delivery before the provider gets its 2xx: one statement (one round trip, one
 * commit) that also wakes every node's drain by NOTIFY at commit. The row itself is the durable
 * work item: nothing is lost if this node dies right after. A replay of a delivery already
 * stored (the provider retried) changes nothing.
 */
export async function acceptDelivery(ctx: AppContext, source: InboxSource, dedupeKey: string, raw: Buffer): Promise<{ id: string; duplicate: boolean }> {
  const inserted = await ctx.db.execute<{ id: string }>(sql`
    with i as (
      insert into channel_inbox (source, dedupe_key, raw) values (${source}::channel_inbox_source, ${dedupeKey}, ${raw})
      on conflict do nothing
      returning id
    )
    select i.id, pg_notify(${INBOX_CHANNEL}, '') from i`);
  const id = inserted.rows[0]?.id;
  if (id) return { id, duplicate: false };
  const [existing] = await ctx.db
    .select({ id: channelInbox.id })
    .from(channelInbox)
    .where(and(eq(channelInbox.source, source), eq(channelInbox.dedupeKey, dedupeKey)));
  return { id: existing!.id, duplicate: true };
}

const leaseFree = () => or(isNull(channelInbox.claimedUntil), lt(channelInbox.claimedUntil, sql`now()`));

/**
 * Takes up to `limit` deliveries for the drain, oldest first, each for CLAIM_SECONDS. SKIP LOCKED:
 * nodes draining together never take the same row. Taken: new deliveries and those whose worker
 * died (lease over, no error recorded); a delivery with an error belongs to its pg-boss retry job.
 */
export async function claimDeliveries(ctx: AppContext, limit: number): Promise<InboxRow[]> {
  const candidates = ctx.db
    .select({ id: channelInbox.id })
    .from(channelInbox)
    .where(and(eq(channelInbox.state, 'pending'), isNull(channelInbox.error), lt(channelInbox.attempts, MAX_INBOX_ATTEMPTS), leaseFree()))
    .orderBy(asc(channelInbox.receivedAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await ctx.db
    .update(channelInbox)
    .set({ claimedUntil: sql`now() + make_interval(secs => ${CLAIM_SECONDS})`, attempts: sql`${channelInbox.attempts} + 1` })
    .where(inArray(channelInbox.id, candidates))
    .returning();
  return rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id));
}

export class DeliveryBusy extends Error {
  constructor(id: string) {
    super(`delivery ${id} is being processed by another worker`);
  }
}

/**
 * The pg-boss path (retries and the sweep): takes one delivery by id, at most one worker at a
 * time (a claim with a lease). A failure is thrown so pg-boss retries with backoff; after
 * MAX_INBOX_ATTEMPTS it is marked failed.
 */
export async function processDelivery(ctx: AppContext, id: string): Promise<InboxRow['state'] | 'busy'> {
  const [row] = await ctx.db
    .update(channelInbox)
    .set({ claimedUntil: sql`now() + make_interval(secs => ${CLAIM_SECONDS})`, attempts: sql`${channelInbox.attempts} + 1` })
    .where(and(eq(channelInbox.id, id), eq(channelInbox.state, 'pending'), leaseFree()))
    .returning();
  if (!row) {
    const [current] = await ctx.db.select({ state: channelInbox.state }).from(channelInbox).where(eq(channelInbox.id, id));
    if (!current || current.state !== 'pending') return current?.state ?? 'ignored';
    // Someone else holds it; the job comes back later in case that worker fails.
    throw new DeliveryBusy(id);
  }
  return runClaimed(ctx, row, { fromJob: true });
}

/**
 * Processes a delivery this worker has claimed. On the drain's first try, a failure is handed
 * to a pg-boss job (in the transaction that records it), which retries with backoff.
 */
export async function runClaimed(ctx: AppContext, row: InboxRow, opts: { fromJob: boolean }): Promise<InboxRow['state']> {
  const processor = processors.get(row.source);
  try {
    if (!processor) throw new UnprocessableDelivery(`no processor for ${row.source}`);
    const outcome = await processor.process(ctx, row);
    if (!outcome.closed) {
      await ctx.db
        .update(channelInbox)
        .set({ state: outcome.state, result: outcome.result, processedAt: new Date(), claimedUntil: null, error: null })
        .where(and(eq(channelInbox.id, row.id), eq(channelInbox.state, 'pending')));
    }
    return outcome.state;
  } catch (err) {
    const error = (err as Error).message?.slice(0, 2000) || String(err);
    const final = err instanceof UnprocessableDelivery || row.attempts >= MAX_INBOX_ATTEMPTS;
    if (final) {
      await ctx.db.update(channelInbox).set({ state: 'failed', error, claimedUntil: null }).where(eq(channelInbox.id, row.id));
      console.error(`[channels] delivery ${row.id} (${row.source}) failed for good:`, error);
      return 'failed';
    }
    if (opts.fromJob) {
      await ctx.db.update(channelInbox).set({ error, claimedUntil: null }).where(eq(channelInbox.id, row.id));
      throw err;
    }
    await ctx.db.transaction(async (tx) => {
      await tx.update(channelInbox).set({ error, claimedUntil: null }).where(eq(channelInbox.id, row.id));
      await ctx.jobs.enqueue(tx, PROCESS_INBOX_JOB, { id: row.id }, { startAfterSeconds: RETRY_DELAY_SECONDS });
    });
    console.warn(`[channels] delivery ${row.id} (${row.source}) will be retried:`, error);
    return 'pending';
  }
}

/**
 * Safety net (cron): deliveries still pending after a few minutes with nobody on them (a lost
 * retry job) are tried again; one whose worker kept dying is given up and kept for a human.
 */
export async function sweepInbox(ctx: AppContext): Promise<number> {
  await ctx.db
    .update(channelInbox)
    .set({ state: 'failed', error: sql`coalesce(${channelInbox.error}, 'le traitement s’est interrompu à chaque essai')`, claimedUntil: null })
    .where(and(eq(channelInbox.state, 'pending'), gte(channelInbox.attempts, MAX_INBOX_ATTEMPTS + 2), leaseFree()));
  const rows = await ctx.db
    .select({ id: channelInbox.id })
    .from(channelInbox)
    .where(and(eq(channelInbox.state, 'pending'), lt(channelInbox.receivedAt, sql`now() - interval '5 minutes'`), leaseFree()))
    .orderBy(asc(channelInbox.receivedAt))
    .limit(100);
  for (const r of rows) await processDelivery(ctx, r.id).catch(() => undefined);
  return rows.length;
}

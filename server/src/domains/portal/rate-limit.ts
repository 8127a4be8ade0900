import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { DB } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { portalKey } from './secrets';

export const RATE_WINDOW_SECONDS = 3600;

/**
 * Counts one hit for `who` in `scope`, in PostgreSQL: one row per bucket and hour that every
 * app node increments, so two nodes do not double the allowance. Client addresses and
 * identities are stored as keyed hashes, never in clear.
 */
async function countHit(db: DB, scope: string, who: string): Promise<{ hits: number; retryAfter: number }> {
  const key = await portalKey(db, 'rate-limit');
  const bucket = `${scope}:${createHmac('sha256', key).update(who).digest('base64url').slice(0, 32)}`;
  const res = await db.execute<{ hits: number; retry_after: number }>(sql`
    insert into portal_rate_limits (bucket, window_start, hits)
    values (${bucket}, to_timestamp(floor(extract(epoch from now()) / ${RATE_WINDOW_SECONDS}) * ${RATE_WINDOW_SECONDS}), 1)
    on conflict (bucket, window_start) do update set hits = portal_rate_limits.hits + 1
    returning hits, ceil(extract(epoch from window_start) + ${RATE_WINDOW_SECONDS} - extract(epoch from now()))::int as retry_after`);
  const row = res.rows[0]!;
  const hits = Number(row.hits);
  // The first hit of a new window sweeps the windows nobody needs any more.
  if (hits === 1) await db.execute(sql`delete from portal_rate_limits where window_start < now() - interval '1 day'`);
  return { hits, retryAfter: Math.max(1, Number(row.retry_after)) };
}

/** Refuses with 429 (and Retry-After) past `limit` hits an hour; a limit of 0 turns the check off. */
export async function hitRateLimit(db: DB, reply: FastifyReply, scope: string, who: string, limit: number): Promise<void> {
  if (limit <= 0) return;
  const { hits, retryAfter } = await countHit(db, scope, who);
  if (hits > limit) {
    void reply.header('retry-after', String(retryAfter));
    throw new AppError(429, 'TOO_MANY_REQUESTS', 'Trop de demandes ont été envoyées depuis cette connexion. Réessayez dans une heure, ou appelez-nous.');
  }
}

/** Whether one more attempt for `who` fits in `limit` an hour (the attempt is counted). */
export async function withinLimit(db: DB, scope: string, who: string, limit: number): Promise<boolean> {
  if (limit <= 0) return true;
  return (await countHit(db, scope, who)).hits <= limit;
}

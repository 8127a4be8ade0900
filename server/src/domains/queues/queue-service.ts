import { eq, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context';
import type { Executor } from '../../platform/db';
import { notFound, unprocessable } from '../../platform/errors';
import type { BusinessCalendar } from '../scheduling/business-hours';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../scheduling/sla';
import { businessCalendars, queues } from './queue.schema';
import { SETTING_KEYS } from './settings';

export type QueueRow = typeof queues.$inferSelect;

export interface QueueWithRules {
  queue: QueueRow;
  calendar: BusinessCalendar;
  slaPolicy: SlaPolicy;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A queue with its calendar and the SLA policy, in one round trip: intake needs all three
 * and reads them fresh so every app node sees an admin's change at once.
 */
export async function loadQueue(tx: Executor, ref: string | null): Promise<QueueWithRules> {
  const rows = await tx
    .select({
      queue: queues,
      calendar: businessCalendars,
      policy: sql<SlaPolicy | null>`(select value from settings where key = ${SETTING_KEYS.slaPolicy})`,
    })
    .from(queues)
    .innerJoin(businessCalendars, eq(businessCalendars.id, queues.calendarId))
    .where(
      ref === null
        ? eq(queues.slug, sql`coalesce((select value #>> '{}' from settings where key = ${SETTING_KEYS.defaultQueue}), 'accueil')`)
        : UUID_RE.test(ref)
          ? or(eq(queues.id, ref), eq(queues.slug, ref))
          : eq(queues.slug, ref),
    )
    .limit(1);
  const row = rows[0];
  if (!row) {
    if (ref === null) throw unprocessable('NO_DEFAULT_QUEUE', 'Aucune file par défaut n’est configurée : indiquez le champ queue.');
    throw notFound('QUEUE_NOT_FOUND', `Aucune file « ${ref} ».`);
  }
  if (!row.queue.active) throw unprocessable('QUEUE_INACTIVE', `La file « ${row.queue.name} » est désactivée.`);
  return {
    queue: row.queue,
    calendar: { timezone: row.calendar.timezone, slots: row.calendar.slots, holidays: row.calendar.holidays, closures: row.calendar.closures },
    slaPolicy: row.policy ?? DEFAULT_SLA_POLICY,
  };
}

export async function loadCyberQueue(tx: Executor): Promise<QueueWithRules> {
  const rows = await tx.select({ slug: queues.slug }).from(queues).where(eq(queues.isCyber, true)).limit(1);
  if (!rows[0]) throw unprocessable('NO_CYBER_QUEUE', 'Aucune file « Urgences cyber » n’est configurée.');
  return loadQueue(tx, rows[0].slug);
}

/** The same, from the node's cache (dropped on any configuration change): the intake hot path. */
export function cachedQueue(ctx: AppContext, ref: string | null): Promise<QueueWithRules> {
  return ctx.cache.get(`queue:${ref ?? ''}`, () => loadQueue(ctx.db, ref));
}

import { sql, type SQL } from 'drizzle-orm';
import { tickets } from './ticket.schema';

/** "Due soon" is the hour before a deadline, as the console colours it (web/src/console/labels.ts). */
export const SLA_DUE_SOON_MINUTES = 60;

export const SLA_FILTERS = ['breached', 'due_soon'] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];

/** The clock that matters now: first response until it is given, then resolution (null while paused). */
export const slaDueAt: SQL = sql`(case when ${tickets.firstRespondedAt} is null and ${tickets.firstResponseDueAt} is not null then ${tickets.firstResponseDueAt} else ${tickets.resolutionDueAt} end)`;

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * The ticket view's own rule (slaViewOf): breached once marked by the scan, or late on either clock
 * by now, or out of budget while paused. Open tickets only: a resolved ticket has no clock left.
 */
function breached(now: Date): SQL {
  return sql`(${tickets.firstResponseBreachedAt} is not null
    or ${tickets.resolutionBreachedAt} is not null
    or (${tickets.firstResponseDueAt} is not null and coalesce(${tickets.firstRespondedAt}, ${at(now)}) > ${tickets.firstResponseDueAt})
    or (${tickets.slaPausedAt} is not null and ${tickets.slaRemainingSeconds} <= 0)
    or (${tickets.slaPausedAt} is null and ${tickets.resolutionDueAt} is not null and coalesce(${tickets.resolvedAt}, ${at(now)}) > ${tickets.resolutionDueAt}))`;
}

/** Not breached, the clock running, and its deadline within the hour. */
function dueSoon(now: Date): SQL {
  const until = new Date(now.getTime() + SLA_DUE_SOON_MINUTES * 60_000);
  return sql`(not ${breached(now)} and ${tickets.slaPausedAt} is null and ${slaDueAt} >= ${at(now)} and ${slaDueAt} < ${at(until)})`;
}

export function slaCondition(filters: readonly SlaFilter[], now = new Date()): SQL {
  const parts = [...new Set(filters)].map((f) => (f === 'breached' ? breached(now) : dueSoon(now)));
  return sql`(${tickets.status} not in ('resolved', 'closed') and (${sql.join(parts, sql` or `)}))`;
}

import { sql, type SQL } from 'drizzle-orm';
import { ACTIVE_STATUSES } from '../../../../common/src/tickets';
import type { Executor } from '../../platform/db';

export const ACTIVE_LIST = sql.join(
  ACTIVE_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);

/**
 * The least-loaded available agent of exactly that level with the needed skill, or null:
 * the ticket then waits in its queue for someone to take it.
 */
export async function pickAgent(tx: Executor, level: number, skill: string | null): Promise<string | null> {
  const rows = await tx.execute<{ id: string }>(agentChoiceSql(level, skill));
  return rows.rows[0]?.id ?? null;
}

/** The routing rule as one query, also embedded in the intake statement. */
export function agentChoiceSql(level: number | SQL, skill: string | null | SQL): SQL {
  return sql`
    select s.id, s.name, s.level from staff s
    where s.role = 'agent' and s.active and s.available and s.level = ${level}
      and (${skill}::text is null or ${skill}::text = any(s.skills))
    -- Counting stops at 100: past that an agent is simply full, and the pick stays cheap however large the backlog.
    order by (select count(*) from (select 1 from tickets t where t.assignee_id = s.id and t.status in (${ACTIVE_LIST}) limit 100) l), random()
    limit 1`;
}

import { and, isNull, lt, notInArray, or } from 'drizzle-orm';
import type { AppContext } from '../../platform/context';
import { notifyStaff, recordEvent, SYSTEM } from '../../platform/events';
import { tickets } from './ticket.schema';
import { saveTicket, snapshot } from './ticket-store';

export const SLA_SCAN_JOB = 'sla.breach-scan';

/**
 * Marks tickets whose first-response or resolution due time has passed, once each,
 * with a timeline event and a notice to the assignee and supervisors.
 */
export async function scanSlaBreaches(ctx: AppContext, now = new Date()): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(tickets)
      .where(
        and(
          notInArray(tickets.status, ['resolved', 'closed']),
          or(
            and(isNull(tickets.firstRespondedAt), isNull(tickets.firstResponseBreachedAt), lt(tickets.firstResponseDueAt, now)),
            // The resolution clock does not run while paused; the first-response one does.
            and(isNull(tickets.slaPausedAt), isNull(tickets.resolutionBreachedAt), lt(tickets.resolutionDueAt, now)),
          ),
        ),
      )
      .limit(500)
      .for('update', { skipLocked: true });
    for (const t of due) {
      const firstBreached = !t.firstRespondedAt && !t.firstResponseBreachedAt && t.firstResponseDueAt !== null && t.firstResponseDueAt < now;
      const resolutionBreached = !t.slaPausedAt && !t.resolutionBreachedAt && t.resolutionDueAt !== null && t.resolutionDueAt < now;
      const saved = await saveTicket(tx, t.id, {
        ...(firstBreached ? { firstResponseBreachedAt: now } : {}),
        ...(resolutionBreached ? { resolutionBreachedAt: now } : {}),
      });
      const clocks = [...(firstBreached ? ['first_response'] : []), ...(resolutionBreached ? ['resolution'] : [])];
      await recordEvent(tx, snapshot(saved), 'sla.breached', SYSTEM, { clocks, firstResponseDueAt: t.firstResponseDueAt, resolutionDueAt: t.resolutionDueAt });
      await notifyStaff(tx, {
        kind: 'sla_breached',
        audience: { roles: ['supervisor'], staffIds: t.assigneeId ? [t.assigneeId] : [] },
        title: `Délai dépassé (${clocks.map((c) => (c === 'first_response' ? 'première réponse' : 'résolution')).join(', ')}) : ${t.number}`,
        ticketId: t.id,
        number: t.number,
      });
    }
    return due.length;
  });
}

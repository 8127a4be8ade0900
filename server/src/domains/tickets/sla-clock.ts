import { SLA_PAUSED_STATUSES, type TicketPriority, type TicketStatus } from '../../../../common/src/tickets';
import type { BusinessCalendar } from '../scheduling/business-hours';
import { changePriority, pauseSla, resumeSla, slaView, type SlaPolicy, type SlaState } from '../scheduling/sla';
import type { TicketRow } from './ticket-store';

export function slaStateOf(t: TicketRow): SlaState {
  return {
    firstResponseDueAt: t.firstResponseDueAt,
    resolutionDueAt: t.resolutionDueAt,
    firstRespondedAt: t.firstRespondedAt,
    resolvedAt: t.resolvedAt,
    pausedAt: t.slaPausedAt,
    resolutionRemainingSeconds: t.slaRemainingSeconds,
  };
}

export function slaColumns(s: SlaState) {
  return {
    firstResponseDueAt: s.firstResponseDueAt,
    resolutionDueAt: s.resolutionDueAt,
    firstRespondedAt: s.firstRespondedAt,
    slaPausedAt: s.pausedAt,
    slaRemainingSeconds: s.resolutionRemainingSeconds === null ? null : Math.round(s.resolutionRemainingSeconds),
  };
}

/** The clock follows the status: it stops while the ball is in someone else's court. */
export function slaAfterStatusChange(cal: BusinessCalendar, t: TicketRow, to: TicketStatus, at: Date): SlaState {
  let state = slaStateOf(t);
  const willPause = SLA_PAUSED_STATUSES.includes(to);
  if (willPause && !state.pausedAt) state = pauseSla(cal, state, at);
  if (!willPause && state.pausedAt) state = resumeSla(cal, state, at);
  if (to === 'resolved' || to === 'closed') state = { ...state, resolvedAt: state.resolvedAt ?? at };
  if ((t.status === 'resolved' || t.status === 'closed') && to !== 'resolved' && to !== 'closed') state = { ...state, resolvedAt: null };
  return state;
}

export function slaAfterPriorityChange(cal: BusinessCalendar, policy: SlaPolicy, t: TicketRow, priority: TicketPriority, at: Date): SlaState {
  return changePriority(cal, policy, slaStateOf(t), t.createdAt, priority, at, t.priority);
}

export function slaViewOf(t: TicketRow, now = new Date()) {
  const v = slaView(slaStateOf(t), now);
  return {
    ...v,
    firstRespondedAt: t.firstRespondedAt?.toISOString() ?? null,
    firstResponseBreached: v.firstResponseBreached || t.firstResponseBreachedAt !== null,
    resolutionBreached: v.resolutionBreached || t.resolutionBreachedAt !== null,
    resolutionRemainingSeconds: v.resolutionRemainingSeconds === null ? null : Math.round(v.resolutionRemainingSeconds),
  };
}

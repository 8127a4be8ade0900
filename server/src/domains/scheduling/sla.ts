import type { BusinessCalendar } from './calendar';
import { addBusinessSeconds, businessSecondsBetween } from './business-hours';

export type Priority = 'low' | 'normal' | 'high' | 'critical';

/** Targets in business minutes. */
export interface SlaTarget {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}
export type SlaPolicy = Record<Priority, SlaTarget>;

/**
 * Every clock, critical included, counts business time of the calendar it is
 * given. A 15-minute promise at 3 a.m. with nobody on duty would only produce
 * breaches no one could have prevented and skew the reports. A desk that does
 * run a 24/7 rota passes ALWAYS_OPEN_CALENDAR (or its rota's calendar) as
 * `cal` to every SLA call; the state itself does not record which calendar
 * was used, so pause/resume must be given the same one.
 *
 * "A business day" is taken as 8 h, the usual contractual unit. On NUMI's 7 h
 * days that lands on the next morning, which is how customers read "next
 * business day" anyway.
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = Object.freeze({
  critical: { firstResponseMinutes: 15, resolutionMinutes: 4 * 60 }, // cyber emergency: acknowledged at once, contained the same half-day
  high: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 }, // one business day
  normal: { firstResponseMinutes: 4 * 60, resolutionMinutes: 3 * 8 * 60 }, // answered within the half-day, fixed in three days
  low: { firstResponseMinutes: 8 * 60, resolutionMinutes: 5 * 8 * 60 }, // a business week
});

/** A ticket's SLA columns. */
export interface SlaState {
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  pausedAt: Date | null;
  /** Business seconds left on the resolution clock while paused (negative once breached); null while running. */
  resolutionRemainingSeconds: number | null;
}

export interface SlaView {
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  paused: boolean;
  resolutionRemainingSeconds: number | null;
}

export function startSla(cal: BusinessCalendar, policy: SlaPolicy, priority: Priority, createdAt: Date): SlaState {
  const target = policy[priority];
  return {
    firstResponseDueAt: addBusinessSeconds(cal, createdAt, target.firstResponseMinutes * 60),
    resolutionDueAt: addBusinessSeconds(cal, createdAt, target.resolutionMinutes * 60),
    firstRespondedAt: null,
    resolvedAt: null,
    pausedAt: null,
    resolutionRemainingSeconds: null,
  };
}

/**
 * Stops the resolution clock (waiting on the contact or a third party). The
 * first-response clock is not paused: the desk has to acknowledge a ticket
 * before it can be waiting on anyone. No-op when already paused or resolved.
 */
export function pauseSla(cal: BusinessCalendar, state: SlaState, at: Date): SlaState {
  if (state.pausedAt || state.resolvedAt || !state.resolutionDueAt) return state;
  return {
    ...state,
    pausedAt: at,
    resolutionDueAt: null,
    resolutionRemainingSeconds: businessSecondsBetween(cal, at, state.resolutionDueAt),
  };
}

/** Restarts the resolution clock with what was left. No-op when not paused. */
export function resumeSla(cal: BusinessCalendar, state: SlaState, at: Date): SlaState {
  if (!state.pausedAt || state.resolutionRemainingSeconds === null) return state;
  const remaining = state.resolutionRemainingSeconds;
  // An exhausted budget must stay breached even when resuming at night, so
  // zero means "due now", not "due at the next opening".
  const due = remaining === 0 ? at : addBusinessSeconds(cal, at, remaining);
  return { ...state, pausedAt: null, resolutionDueAt: due, resolutionRemainingSeconds: null };
}

/**
 * Re-targets a ticket as if it had been opened with `newPriority`:
 * - first response (unless already given): due `newPriority`'s target after
 *   `createdAt`, so an escalation can be breached on the spot — the contact
 *   has indeed waited longer than the new promise;
 * - resolution (unless resolved): the business time already consumed on the
 *   clock, pauses excluded, is kept and the new target applies to it, i.e.
 *   remaining += new target − old target. A paused ticket stays paused.
 *
 * `previousPriority` is required because SlaState does not record the target
 * it was computed from, and without it the consumed time cannot be told apart
 * from paused time.
 */
export function changePriority(
  cal: BusinessCalendar,
  policy: SlaPolicy,
  state: SlaState,
  createdAt: Date,
  newPriority: Priority,
  at: Date,
  previousPriority: Priority,
): SlaState {
  if (newPriority === previousPriority) return state;
  const next = { ...state };
  const target = policy[newPriority];
  if (!state.firstRespondedAt) {
    next.firstResponseDueAt = addBusinessSeconds(cal, createdAt, target.firstResponseMinutes * 60);
  }
  if (!state.resolvedAt) {
    const delta = (target.resolutionMinutes - policy[previousPriority].resolutionMinutes) * 60;
    if (state.pausedAt && state.resolutionRemainingSeconds !== null) {
      next.resolutionRemainingSeconds = state.resolutionRemainingSeconds + delta;
    } else if (state.resolutionDueAt) {
      const remaining = businessSecondsBetween(cal, at, state.resolutionDueAt) + delta;
      next.resolutionDueAt = remaining === 0 ? at : addBusinessSeconds(cal, at, remaining);
    }
  }
  return next;
}

/** Records the first reply; later replies do not move it. */
export function recordFirstResponse(state: SlaState, at: Date): SlaState {
  return state.firstRespondedAt ? state : { ...state, firstRespondedAt: at };
}

/** Stops the clocks for good; a ticket resolved while paused keeps its frozen remaining time. */
export function resolveSla(state: SlaState, at: Date): SlaState {
  return state.resolvedAt ? state : { ...state, resolvedAt: at };
}

/**
 * Meeting a deadline at its exact instant is on time. While paused there is
 * no due date, and the ticket counts as breached once its budget is spent
 * (remaining <= 0), as it will be again right after it resumes.
 */
export function slaView(state: SlaState, now: Date): SlaView {
  const late = (due: Date | null, doneAt: Date | null): boolean => due !== null && (doneAt ?? now).getTime() > due.getTime();
  const paused = state.pausedAt !== null;
  return {
    firstResponseDueAt: state.firstResponseDueAt?.toISOString() ?? null,
    resolutionDueAt: state.resolutionDueAt?.toISOString() ?? null,
    firstResponseBreached: late(state.firstResponseDueAt, state.firstRespondedAt),
    resolutionBreached: paused
      ? state.resolutionRemainingSeconds !== null && state.resolutionRemainingSeconds <= 0
      : late(state.resolutionDueAt, state.resolvedAt),
    paused,
    resolutionRemainingSeconds: state.resolutionRemainingSeconds,
  };
}

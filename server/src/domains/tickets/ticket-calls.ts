import { and, asc, desc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import type { AppContext } from '../../platform/context';
import type { Executor } from '../../platform/db';
import { unprocessable } from '../../platform/errors';
import { recordEvent, type Actor } from '../../platform/events';
import { staff } from '../auth/auth.schema';
import { calls } from '../channels/channel.schema';
import { contactIdentities } from '../contacts/contact.schema';
import { normalizePhone } from '../contacts/identities';
import type { CallView, RecordCallInput } from './call.schemas';
import { assertOpenForWork, mutateTicket } from './ticket-commands';
import { saveTicket, snapshot } from './ticket-store';

/** Longer than any real hotline call: a timer left running over lunch is a mistake, not a call. */
export const MAX_CALL_SECONDS = 4 * 3600;
// The agent's computer and the server disagree by a few seconds; a minute is plenty.
const CLOCK_SKEW_MS = 60_000;

/** Start and end as the console's timer gave them, checked before anything is written. */
export function checkCallTimes(input: Pick<RecordCallInput, 'startedAt' | 'endedAt'>, now = new Date()) {
  const startedAt = new Date(input.startedAt);
  const endedAt = new Date(input.endedAt);
  if (endedAt.getTime() <= startedAt.getTime()) {
    throw unprocessable('CALL_ENDS_BEFORE_START', 'La fin de l’appel (endedAt) doit être après son début (startedAt).', { field: 'endedAt' });
  }
  if (endedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw unprocessable('CALL_IN_FUTURE', 'La fin de l’appel (endedAt) est dans le futur : enregistrez l’appel une fois terminé.', { field: 'endedAt' });
  }
  const durationSeconds = Math.round((endedAt.getTime() - startedAt.getTime()) / 1000);
  if (durationSeconds > MAX_CALL_SECONDS) {
    throw unprocessable('CALL_TOO_LONG', `Un appel de plus de ${MAX_CALL_SECONDS / 3600} heures n’est pas plausible : vérifiez le début et la fin.`, { field: 'endedAt', maxSeconds: MAX_CALL_SECONDS });
  }
  return { startedAt, endedAt, durationSeconds };
}

async function firstPhone(db: Executor, contactId: string): Promise<string | null> {
  const [row] = await db
    .select({ value: contactIdentities.value })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.contactId, contactId), eq(contactIdentities.kind, 'phone')))
    .orderBy(asc(contactIdentities.createdAt))
    .limit(1);
  return row?.value ?? null;
}

/** How long a caller may wait in the phone menu and the queue before an agent starts the timer. */
const IVR_WAIT_MS = 30 * 60_000;

/**
 * The phone menu's record of the call an agent is timing, if there is one: an inbound call of
 * this ticket (or of its client, not yet on a ticket) that nobody answered yet, begun before the
 * agent's timer ended and at most half an hour before it started. Locked, so two agents timing
 * the same call cannot both claim it.
 */
async function unansweredIvrCall(tx: Executor, t: { id: string; contactId: string }, times: { startedAt: Date; endedAt: Date }, phone: string | null) {
  const [row] = await tx
    .select()
    .from(calls)
    .where(
      and(
        eq(calls.source, 'ivr'),
        eq(calls.direction, 'inbound'),
        isNull(calls.staffId),
        or(eq(calls.ticketId, t.id), and(isNull(calls.ticketId), eq(calls.contactId, t.contactId))),
        gte(calls.startedAt, new Date(times.startedAt.getTime() - IVR_WAIT_MS)),
        lte(calls.startedAt, times.endedAt),
      ),
    )
    .orderBy(desc(calls.startedAt))
    .limit(1)
    .for('update');
  // A number typed in the console that is not the caller's: another call.
  if (!row || (phone && row.fromNumber && row.fromNumber !== phone)) return null;
  return row;
}

/**
 * A call timed in the console goes on the ticket as a call record with its timeline event.
 * Talking with an agent answers the client: the first-response clock stops at the call. A call
 * that came through the phone menu is already recorded: the agent's timing completes that
 * record (who answered, the note) rather than making a second one; its duration stays the
 * provider's once its status callback has given it.
 */
export function recordConsoleCall(ctx: AppContext, ref: string, actor: Actor & { kind: 'staff' }, input: RecordCallInput) {
  const times = checkCallTimes(input);
  const givenPhone = input.phone ? normalizePhone(input.phone, 'phone') : null;
  return mutateTicket(ctx, ref, async (tx, t) => {
    assertOpenForWork(t);
    const inbound = input.direction === 'inbound';
    const ivr = inbound ? await unansweredIvrCall(tx, t, times, givenPhone) : null;
    const phone = ivr?.fromNumber ?? givenPhone ?? (await firstPhone(tx, t.contactId));
    const [call] = ivr
      ? await tx
          .update(calls)
          .set({
            staffId: actor.id,
            ticketId: t.id,
            contactId: ivr.contactId ?? t.contactId,
            note: input.note ?? ivr.note,
            // Until the provider's status callback gives the call's own duration (it then replaces this).
            durationSeconds: ivr.endedAt ? ivr.durationSeconds : times.durationSeconds,
          })
          .where(eq(calls.id, ivr.id))
          .returning()
      : await tx
          .insert(calls)
          .values({
            source: 'console',
            direction: input.direction,
            fromNumber: inbound ? phone : null,
            toNumber: inbound ? null : phone,
            contactId: t.contactId,
            ticketId: t.id,
            queueId: t.queueId,
            staffId: actor.id,
            outcome: 'completed',
            status: 'completed',
            durationSeconds: times.durationSeconds,
            note: input.note ?? null,
            startedAt: times.startedAt,
            endedAt: times.endedAt,
          })
          .returning();
    // The intake timer starts before the ticket exists: the response cannot come before the request.
    const respondedAt = new Date(Math.max(times.startedAt.getTime(), t.createdAt.getTime()));
    const saved = await saveTicket(tx, t.id, t.firstRespondedAt ? {} : { firstRespondedAt: respondedAt });
    await recordEvent(tx, snapshot(saved), 'call.recorded', actor, {
      callId: call!.id,
      direction: input.direction,
      startedAt: times.startedAt.toISOString(),
      endedAt: times.endedAt.toISOString(),
      durationSeconds: times.durationSeconds,
      ...(ivr ? { viaPhoneMenu: true } : {}),
      ...(input.note ? { note: input.note } : {}),
    });
    const [me] = await tx.select({ name: staff.name }).from(staff).where(eq(staff.id, actor.id));
    return callView(call!, me ? { id: actor.id, name: me.name } : null);
  });
}

function callView(c: typeof calls.$inferSelect, agent: { id: string; name: string } | null): CallView {
  return {
    id: c.id,
    source: c.source,
    direction: c.direction,
    phone: c.direction === 'inbound' ? c.fromNumber : c.toNumber,
    staff: agent,
    outcome: c.outcome,
    status: c.status,
    startedAt: c.startedAt.toISOString(),
    endedAt: c.endedAt?.toISOString() ?? null,
    durationSeconds: c.durationSeconds,
    recordingUrl: c.recordingUrl,
    note: c.note,
  };
}

/** Every call on the ticket, through the phone menu or timed in the console, oldest first. */
export async function listCalls(db: Executor, ticketId: string): Promise<CallView[]> {
  const rows = await db
    .select({ c: calls, staffName: staff.name })
    .from(calls)
    .leftJoin(staff, eq(staff.id, calls.staffId))
    .where(eq(calls.ticketId, ticketId))
    .orderBy(asc(calls.startedAt), asc(calls.id));
  return rows.map(({ c, staffName }) => callView(c, c.staffId && staffName ? { id: c.staffId, name: staffName } : null));
}

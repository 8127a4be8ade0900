import { and, desc, eq } from 'drizzle-orm';
import type { AppContext } from '../../platform/context';
import { conflict, forbidden, unprocessable } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { staff } from '../auth/auth.schema';
import type { StaffPrincipal } from '../auth/auth-context';
import { ticketEvents } from './ticket.schema';
import { assertOpenForWork, mutateTicket } from './ticket-commands';
import { saveTicket, snapshot, type TicketRow } from './ticket-store';

export const POSSIBLE_EMERGENCY_DISMISSED = 'triage.possible_emergency_dismissed';

/** Who may say "not an emergency": those trained to recognise one (level 2 or 3) and supervisors. */
export function canDismissPossibleEmergency(p: Pick<StaffPrincipal, 'role' | 'level'>): boolean {
  return p.role === 'supervisor' || (p.role === 'agent' && (p.level ?? 0) >= 2);
}

/**
 * "Not an emergency": the triage's flag is cleared, so the ticket leaves the level-3 list and its
 * red banner goes; the timeline keeps who, why and what the triage had seen (the flag's reasons).
 * The red button stays available: an agent who changes their mind presses it as on any ticket.
 */
export function dismissPossibleEmergency(ctx: AppContext, ref: string, actor: StaffPrincipal, rawReason: string): Promise<TicketRow> {
  if (!canDismissPossibleEmergency(actor)) {
    throw forbidden('Seuls un conseiller de niveau 2 ou 3 et un superviseur peuvent dire qu’une demande n’est pas une urgence.');
  }
  const reason = rawReason.trim();
  if (reason.length < 3) {
    throw unprocessable('REASON_REQUIRED', 'Dites en quelques mots pourquoi ce n’est pas une urgence.', [{ field: 'body.reason', problem: 'Raison trop courte (3 caractères au moins).' }]);
  }
  return mutateTicket(ctx, ref, async (tx, t) => {
    assertOpenForWork(t);
    if (t.cyberEmergency) {
      throw conflict('ALREADY_CYBER_EMERGENCY', `La demande ${t.number} est déjà confirmée comme urgence cyber : elle ne peut plus être écartée.`);
    }
    if (!t.possibleEmergency) {
      const [last] = await tx
        .select({ at: ticketEvents.createdAt, name: staff.name, data: ticketEvents.data })
        .from(ticketEvents)
        .leftJoin(staff, eq(staff.id, ticketEvents.actorId))
        .where(and(eq(ticketEvents.ticketId, t.id), eq(ticketEvents.type, POSSIBLE_EMERGENCY_DISMISSED)))
        .orderBy(desc(ticketEvents.id))
        .limit(1);
      if (last) {
        throw conflict('POSSIBLE_EMERGENCY_ALREADY_DISMISSED', `${last.name ?? 'Un membre de l’équipe'} a déjà dit que la demande ${t.number} n’est pas une urgence.`, {
          dismissedAt: last.at.toISOString(),
          dismissedBy: last.name,
          reason: last.data.reason ?? null,
        });
      }
      throw conflict('NOT_A_POSSIBLE_EMERGENCY', `La demande ${t.number} n’est pas signalée comme urgence possible.`);
    }
    const saved = await saveTicket(tx, t.id, { possibleEmergency: null });
    await recordEvent(tx, snapshot(saved), POSSIBLE_EMERGENCY_DISMISSED, { kind: 'staff', id: actor.id }, { reason, previous: t.possibleEmergency });
    return saved;
  });
}

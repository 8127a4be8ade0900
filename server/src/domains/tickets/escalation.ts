import { eq } from 'drizzle-orm';
import type { AppContext } from '../../platform/context';
import { conflict, unprocessable } from '../../platform/errors';
import { notifyStaff, recordEvent, SYSTEM, type Actor } from '../../platform/events';
import { staff } from '../auth/auth.schema';
import { loadCyberQueue, loadQueue } from '../queues/queue-service';
import { DEFAULT_FIRST_INSTRUCTIONS, getSetting, SETTING_KEYS } from '../queues/settings';
import { pauseSla, startSla } from '../scheduling/sla';
import { pickAgent } from './routing';
import { slaColumns } from './sla-clock';
import { checklistItems } from './ticket.schema';
import type { EscalateInput } from './ticket.schemas';
import { applyStatus, mutateTicket } from './ticket-commands';
import { findTicket, saveTicket, snapshot } from './ticket-store';

export const CYBER_ALERT_JOB = 'cyber.alert-check';

/** L1→L2→L3 with a reason, or to the software publisher; the timeline keeps who, when and why. */
export function escalateTicket(ctx: AppContext, ref: string, actor: Actor, input: EscalateInput) {
  return mutateTicket(ctx, ref, async (tx, t) => {
    if (t.status === 'closed' || t.status === 'resolved') {
      throw conflict('TICKET_NOT_ACTIVE', `La demande ${t.number} est résolue ou clôturée : rouvrez-la avant de l’escalader.`);
    }
    const reason = input.reason.trim();
    if (input.to === 'vendor') {
      if (!input.vendor) throw unprocessable('VENDOR_REQUIRED', 'Indiquez l’éditeur (vendor.name) et, si vous l’avez, sa référence.', { field: 'vendor.name' });
      const saved = await applyStatus(tx, t, 'waiting_on_third_party', actor, { reason, vendor: input.vendor });
      await recordEvent(tx, snapshot(saved), 'ticket.escalated', actor, { from: t.level, to: 'vendor', reason, vendor: input.vendor });
      return saved;
    }
    if (input.to <= t.level) {
      throw conflict('ESCALATION_NOT_UPWARD', `La demande est déjà au niveau ${t.level} : l’escalade va vers un niveau supérieur.`, { level: t.level });
    }
    // The current owner keeps the ticket only if their level is high enough.
    let assigneeId = t.assigneeId;
    if (assigneeId) {
      const [owner] = await tx.select({ level: staff.level, role: staff.role }).from(staff).where(eq(staff.id, assigneeId));
      if (owner?.role === 'agent' && (owner.level ?? 0) < input.to) assigneeId = null;
    }
    const rules = await loadQueue(tx, t.queueId);
    if (!assigneeId) assigneeId = await pickAgent(tx, input.to, rules.queue.requiredSkill);
    const saved = await saveTicket(tx, t.id, { level: input.to, assigneeId });
    await recordEvent(tx, snapshot(saved), 'ticket.escalated', actor, { from: t.level, to: input.to, reason, previousAssigneeId: t.assigneeId });
    if (assigneeId !== t.assigneeId) {
      await recordEvent(tx, snapshot(saved), assigneeId ? 'ticket.assigned' : 'ticket.unassigned', SYSTEM, { from: t.assigneeId, assigneeId, auto: true });
    }
    return saved;
  });
}

/**
 * The red button: critical, level 3, the cyber queue, the first-instructions checklist,
 * level-3 agents alerted live, and supervisors alerted if nobody of level 3 takes it in time.
 */
export function triggerCyberEmergency(ctx: AppContext, ref: string, actor: Actor, note?: string) {
  return mutateTicket(ctx, ref, async (tx, t) => {
    if (t.cyberEmergency) throw conflict('ALREADY_CYBER_EMERGENCY', `La demande ${t.number} est déjà une urgence cyber.`);
    if (t.status === 'closed') throw conflict('TICKET_CLOSED', `La demande ${t.number} est clôturée : créez une nouvelle demande.`);
    const cyber = await loadCyberQueue(tx);
    const now = new Date();
    let current = t;
    if (t.status === 'resolved' || t.status === 'awaiting_audit') current = await applyStatus(tx, t, 'open', actor, { reason: 'Urgence cyber' });
    let assigneeId = current.assigneeId;
    if (assigneeId) {
      const [owner] = await tx.select({ level: staff.level, role: staff.role }).from(staff).where(eq(staff.id, assigneeId));
      if (!(owner?.role === 'agent' && owner.level === 3)) assigneeId = null;
    }
    // An emergency gets a fresh critical clock from the moment the button is pressed.
    const fresh = startSla(cyber.calendar, cyber.slaPolicy, 'critical', now);
    const sla = current.slaPausedAt ? pauseSla(cyber.calendar, fresh, now) : fresh;
    const saved = await saveTicket(tx, t.id, {
      cyberEmergency: true,
      cyberEmergencyAt: now,
      priority: 'critical',
      level: 3,
      queueId: cyber.queue.id,
      assigneeId,
      ...slaColumns({ ...sla, firstRespondedAt: current.firstRespondedAt }),
      firstResponseBreachedAt: null,
      resolutionBreachedAt: null,
    });
    const instructions = await getSetting<string[]>(tx, SETTING_KEYS.firstInstructions, DEFAULT_FIRST_INSTRUCTIONS);
    if (instructions.length) {
      await tx.insert(checklistItems).values(instructions.map((label, position) => ({ ticketId: t.id, kind: 'first_instructions', source: 'red_button', position, label })));
    }
    await recordEvent(tx, snapshot(saved), 'ticket.cyber_emergency', actor, {
      previous: { level: t.level, priority: t.priority, queueId: t.queueId, assigneeId: t.assigneeId },
      ...(note ? { note } : {}),
    });
    await notifyStaff(tx, {
      kind: 'cyber_emergency',
      audience: { agentLevel: 3, roles: ['supervisor'] },
      title: `Urgence cyber : ${saved.number} — ${saved.subject}`,
      ticketId: saved.id,
      number: saved.number,
    });
    const delay = await getSetting<number>(tx, SETTING_KEYS.cyberAlertDelaySeconds, ctx.config.cyberAlertDelaySeconds);
    await ctx.jobs.enqueue(tx, CYBER_ALERT_JOB, { ticketId: saved.id }, { startAfterSeconds: delay });
    return saved;
  });
}

/** Runs after the delay: if no level-3 agent has taken the emergency, supervisors are alerted. */
export async function checkCyberEmergencyTaken(ctx: AppContext, ticketId: string): Promise<boolean> {
  const t = await findTicket(ctx.db, ticketId).catch(() => null);
  if (!t || !t.cyberEmergency || t.status === 'resolved' || t.status === 'closed') return false;
  if (t.assigneeId) {
    const [owner] = await ctx.db.select({ level: staff.level, role: staff.role }).from(staff).where(eq(staff.id, t.assigneeId));
    if (owner?.role === 'agent' && owner.level === 3) return false;
  }
  await ctx.db.transaction(async (tx) => {
    await recordEvent(tx, snapshot(t), 'supervisors.alerted', SYSTEM, { reason: 'cyber_emergency_untaken' });
    await notifyStaff(tx, {
      kind: 'cyber_emergency_untaken',
      audience: { roles: ['supervisor', 'admin'] },
      title: `Urgence cyber non prise en charge : ${t.number}`,
      ticketId: t.id,
      number: t.number,
    });
  });
  return true;
}

import { eq } from 'drizzle-orm';
import type { AppContext } from '../platform/context';
import type { Actor } from '../platform/events';
import { loadQueue } from '../domains/queues/queue-service';
import { backward, compile } from '../domains/scheduling/compiled-calendar';
import { startSla } from '../domains/scheduling/sla';
import { scanSlaBreaches } from '../domains/tickets/sla-breaches';
import { slaColumns } from '../domains/tickets/sla-clock';
import { createTicket } from '../domains/tickets/ticket-intake';
import { ticketEvents, tickets } from '../domains/tickets/ticket.schema';

/**
 * A request nobody answered in time, for the "Délais" view: taken in by the intake, then moved
 * back to the opening hours of a couple of hours ago (a demo is seeded in one go, and the
 * intake rightly dates a request "now"), its clocks recomputed by the SLA rules for that
 * moment; the breach itself is found and announced by the real scan.
 */
export async function seedLateRequest(ctx: AppContext, actor: Actor): Promise<void> {
  const { ticket } = await createTicket(ctx, actor, {
    subject: 'Je ne peux plus imprimer mes billets de train',
    description: 'Le site SNCF dit que mon billet est prêt mais l’imprimante ne sort qu’une page blanche. Je pars mardi.',
    channel: 'email',
    priority: 'high',
    contact: { name: 'Robert Vidal', email: 'robert.vidal@example.fr', phone: '06 31 72 58 04' },
  });
  const rules = await loadQueue(ctx.db, ticket.queueId);
  const period = backward(compile(rules.calendar), Date.now() - 2 * 3_600_000).next().value;
  if (!period) return;
  const createdAt = new Date(period.start + 10 * 60_000);
  const sla = startSla(rules.calendar, rules.slaPolicy, 'high', createdAt);
  await ctx.db.transaction(async (tx) => {
    await tx.update(tickets).set({ createdAt, updatedAt: createdAt, ...slaColumns(sla) }).where(eq(tickets.id, ticket.id));
    await tx.update(ticketEvents).set({ createdAt }).where(eq(ticketEvents.ticketId, ticket.id));
  });
  await scanSlaBreaches(ctx);
}

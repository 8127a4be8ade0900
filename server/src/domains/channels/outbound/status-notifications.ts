import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../../platform/context';
import { notifyContact } from '../../../platform/contact-notifications';
import { getSetting, putSetting } from '../../queues/settings';
import { messages, ticketEvents, tickets } from '../../tickets/ticket.schema';
import { portalLink } from './portal-link';

export const STATUS_NOTIFICATIONS_JOB = 'channels.status-notifications';
const CURSOR_KEY = 'channels.statusNotifications.cursor';
/** A public reply sent this recently already asked the client: no separate "waiting for you". */
const RECENT_REPLY_MINUTES = 10;

/**
 * Tells the client when their request waits for them or is resolved (with the satisfaction
 * question), from the timeline: every status change, wherever it was made (console, API,
 * automation), is seen once, in order, without touching the code that makes it. Runs every
 * minute (pg-boss cron, one node at a time); the cursor only moves forward with the jobs queued.
 */
export async function scanStatusNotifications(ctx: AppContext): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    // One scanner at a time, whatever the number of nodes.
    await tx.execute(sql`select pg_advisory_xact_lock(727365)`);
    const cursor = await getSetting<number | null>(tx, CURSOR_KEY, null);
    if (cursor === null) {
      // First run: only what happens from now on.
      const [{ max }] = (await tx.select({ max: sql<number>`coalesce(max(${ticketEvents.id}), 0)` }).from(ticketEvents)) as [{ max: number }];
      await putSetting(tx, CURSOR_KEY, Number(max));
      return 0;
    }
    const events = await tx
      .select({ id: ticketEvents.id, ticketId: ticketEvents.ticketId, data: ticketEvents.data, createdAt: ticketEvents.createdAt })
      .from(ticketEvents)
      .where(and(gt(ticketEvents.id, cursor), eq(ticketEvents.type, 'ticket.status_changed')))
      .orderBy(asc(ticketEvents.id))
      .limit(500);
    let queued = 0;
    for (const e of events) {
      const to = (e.data as { to?: string }).to;
      if (to !== 'resolved' && to !== 'waiting_on_contact') continue;
      const [t] = await tx.select().from(tickets).where(eq(tickets.id, e.ticketId));
      // Only if it still stands: resolved then reopened a second later says nothing.
      if (!t || t.status !== to) continue;
      if (to === 'waiting_on_contact') {
        const recent = await tx
          .select({ id: messages.id })
          .from(messages)
          .where(
            and(
              eq(messages.ticketId, t.id),
              eq(messages.authorKind, 'staff'),
              eq(messages.visibility, 'public'),
              inArray(messages.channel, ['email', 'whatsapp', 'sms']),
              gt(messages.createdAt, sql`${e.createdAt}::timestamptz - make_interval(mins => ${RECENT_REPLY_MINUTES})`),
            ),
          )
          .limit(1);
        if (recent.length) continue;
      }
      await notifyContact(ctx, tx, {
        contactId: t.contactId,
        ticketId: t.id,
        template: to === 'resolved' ? 'resolved' : 'waiting_on_you',
        variables: { number: t.number, subject: t.subject, link: portalLink(ctx), event: String(e.id) },
      });
      queued++;
    }
    const last = events[events.length - 1];
    if (last) await putSetting(tx, CURSOR_KEY, last.id);
    return queued;
  });
}

import { and, asc, count, eq, sql } from 'drizzle-orm';
import { TICKET_STATUSES } from '../../../common/src/tickets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../test/helpers/app';
import { callbacks, calls } from '../domains/channels/channel.schema';
import { contentVersions } from '../domains/knowledge/knowledge.schema';
import { redeemMagicLink } from '../domains/portal/portal-session';
import { portalRatings } from '../domains/portal/portal.schema';
import { attachments, checklistItems, messages, ticketEvents, tickets } from '../domains/tickets/ticket.schema';
import { demoPortalLink, seedDemo } from './demo';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
  expect(await seedDemo(env.relais.ctx, 'relais-demo')).toBe('seeded');
}, 120_000);
afterAll(async () => env?.close());

const db = () => env.relais.ctx.db;
const ticketOf = async (subject: string) => (await db().select().from(tickets).where(eq(tickets.subject, subject)))[0]!;

describe('numi demo workspace', () => {
  it('has callbacks asked for on the portal and the phone menu, one late, one done with its outcome', async () => {
    const rows = await db().select().from(callbacks).orderBy(asc(callbacks.createdAt));
    const pending = rows.filter((c) => c.status === 'pending');
    expect(pending.map((c) => c.source).sort()).toEqual(['console', 'ivr', 'portal']);
    const portal = pending.find((c) => c.source === 'portal')!;
    expect(portal).toMatchObject({ phone: '+33645127890', reason: expect.stringMatching(/^Demandé sur le site : /) });
    expect(portal.dueAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const ivr = pending.find((c) => c.source === 'ivr')!;
    expect(ivr).toMatchObject({ phone: '+33475321908', callSid: 'CAdemo0000000000000000000000000002' });
    const late = pending.find((c) => c.source === 'console')!;
    expect(late.dueAt.getTime()).toBeLessThan(Date.now() - 30 * 60_000);
    expect(late.ticketId).toBe((await ticketOf('Ordinateur très lent au démarrage')).id);
    const done = rows.filter((c) => c.status === 'done');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ outcome: 'reached', note: 'Code annuel dicté à Mme Roux, le logiciel est débloqué.' });
    expect(await db().select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, done[0]!.ticketId!), eq(ticketEvents.type, 'callback.completed')))).toHaveLength(1);
  });

  it('has a call timed in the console on a request and a phone-menu call with its duration', async () => {
    const orange = await ticketOf('Je n’arrive plus à lire mes emails Orange');
    const [consoleCall] = await db().select().from(calls).where(eq(calls.source, 'console'));
    expect(consoleCall).toMatchObject({ ticketId: orange.id, direction: 'inbound', status: 'completed', durationSeconds: 444 });
    expect(orange.firstRespondedAt).not.toBeNull();
    const ivr = await db().select().from(calls).where(eq(calls.source, 'ivr')).orderBy(asc(calls.callSid));
    expect(ivr.map((c) => [c.outcome, c.status, c.durationSeconds])).toEqual([
      ['queued', 'completed', 252],
      ['callback', 'completed', 38],
    ]);
    const [ended] = await db().select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, ivr[0]!.ticketId!), eq(ticketEvents.type, 'call.ended')));
    expect(ended!.data).toMatchObject({ durationSeconds: 252, status: 'completed' });
  });

  it('has a WhatsApp conversation with a photo from the client and replies in every delivery state', async () => {
    const [t] = await db().select().from(tickets).where(and(eq(tickets.channel, 'whatsapp'), eq(tickets.subject, 'Fausse alerte de sécurité sur la tablette')));
    const msgs = await db().select().from(messages).where(eq(messages.ticketId, t!.id)).orderBy(asc(messages.createdAt));
    expect(msgs.map((m) => [m.authorKind, m.deliveryStatus])).toEqual([
      ['contact', null],
      ['staff', 'read'],
      ['contact', null],
      ['staff', 'failed'],
      ['staff', 'delivered'],
      ['staff', 'sent'],
    ]);
    expect(msgs[3]!.deliveryError).toMatch(/^131026 /);
    const [photo] = await db().select().from(attachments).where(eq(attachments.messageId, msgs[0]!.id));
    expect(photo).toMatchObject({ contentType: 'image/png' });
    // Each delivery change is in the timeline, as the webhook would have written it.
    const [{ n }] = (await db().select({ n: count() }).from(ticketEvents).where(and(eq(ticketEvents.ticketId, t!.id), eq(ticketEvents.type, 'message.delivery_updated')))) as [{ n: number }];
    expect(n).toBe(4 + 2 + 1 + 1);
  });

  it('has a request past its first-response time, marked by the breach scan', async () => {
    const late = await ticketOf('Je ne peux plus imprimer mes billets de train');
    expect(late.firstResponseDueAt!.getTime()).toBeLessThan(Date.now());
    expect(late.firstResponseBreachedAt).not.toBeNull();
    const events = await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, late.id)).orderBy(asc(ticketEvents.id));
    expect(events.map((e) => e.type)).toContain('sla.breached');
    expect(events[0]!.createdAt.getTime()).toBe(late.createdAt.getTime());
  });

  it('has requests in every status', async () => {
    const rows = await db().selectDistinct({ status: tickets.status }).from(tickets);
    expect(rows.map((r) => r.status).sort()).toEqual([...TICKET_STATUSES].sort());
  });

  it('has a rated resolved request, a procedure half done and an unconfirmed possible emergency', async () => {
    const roux = await ticketOf('Code annuel du logiciel de paie');
    expect(roux.status).toBe('resolved');
    expect(await db().select({ score: portalRatings.score }).from(portalRatings).where(eq(portalRatings.ticketId, roux.id))).toEqual([{ score: 5 }]);

    const orange = await ticketOf('Je n’arrive plus à lire mes emails Orange');
    const items = await db().select().from(checklistItems).where(and(eq(checklistItems.ticketId, orange.id), eq(checklistItems.kind, 'procedure')));
    expect(items.length).toBeGreaterThan(5);
    expect(items.filter((i) => i.checkedAt).length).toBe(3);

    const scam = await ticketOf('Un faux conseiller de ma banque m’a appelée');
    expect(scam.possibleEmergency).not.toBeNull();
    expect(scam.cyberEmergency).toBe(false);
    expect(scam.level).toBe(1);
  });

  it('has procedures and articles with several versions, one restored', async () => {
    const rows = await db()
      .select({ kind: contentVersions.kind, contentId: contentVersions.contentId, n: sql<number>`count(*)::int`, notes: sql<string[]>`array_agg(${contentVersions.note} order by ${contentVersions.version})` })
      .from(contentVersions)
      .groupBy(contentVersions.kind, contentVersions.contentId)
      .having(sql`count(*) > 1`);
    expect(rows.map((r) => [r.kind, r.n]).sort()).toEqual([
      ['article', 3],
      ['procedure', 2],
      ['procedure', 3],
    ]);
    expect(rows.find((r) => r.n === 3 && r.kind === 'procedure')!.notes[2]).toBe('Restauration de la version 1');
  });

  it('prints a working "Mes demandes" link for the demo client, and is not seeded twice', async () => {
    const link = await demoPortalLink(env.relais.ctx);
    const token = new URL(link!).searchParams.get('t')!;
    const session = await redeemMagicLink(db(), token, null);
    expect(session.contactName).toBe('Jeanne Dupuis');

    const before = await Promise.all([tickets, callbacks, calls, messages, contentVersions].map(async (table) => ((await db().select({ n: count() }).from(table)) as [{ n: number }])[0].n));
    expect(await seedDemo(env.relais.ctx, 'relais-demo')).toBe('already');
    const after = await Promise.all([tickets, callbacks, calls, messages, contentVersions].map(async (table) => ((await db().select({ n: count() }).from(table)) as [{ n: number }])[0].n));
    expect(after).toEqual(before);
  });
});

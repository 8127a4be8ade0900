import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../../../test/helpers/app';
import { messages, ticketEvents, tickets } from '../../tickets/ticket.schema';
import { contactNotifications } from '../channel.schema';
import { postWhatsApp, startChannelTestEnv, waText } from '../testing/channel-test-kit';
import type { FakeGraph } from '../testing/fake-graph';
import { countStatements, inMeasure } from '../testing/count-statements';
import { until } from '../testing/fake-server';
import { deliverNotification } from './delivery';

const SECRET = 'cost-app-secret';
const TOKEN = 'cost-access-token';
const PHONE_ID = '106540352242977';
let env: TestEnv;
let graph: FakeGraph;
let channels: { close(): Promise<void> } | undefined;

beforeAll(async () => {
  const started = await startChannelTestEnv({ whatsapp: { secret: SECRET, token: TOKEN, phoneNumberId: PHONE_ID }, env: { PUBLIC_URL: 'https://relais.example' } });
  channels = started;
  env = started.env;
  graph = started.graph;
});
afterAll(async () => {
  await channels?.close();
});

describe('cost of one client notification', () => {
  it('sends a WhatsApp notification in two statements, records it and its event, and sends a retried job once', async () => {
    const wa = '33612770001';
    expect((await postWhatsApp(env, SECRET, waText(PHONE_ID, 'wamid.COST1', wa, 'Bonjour, mon ordinateur ne démarre plus'))).statusCode).toBe(200);
    const [m] = await until(async () => {
      const r = await env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, 'wamid.COST1'));
      return r.length ? r : null;
    });
    const [t] = await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, m!.ticketId));
    const payload = (i: number) => ({ contactId: t!.contactId, ticketId: t!.id, template: 'ticket_received' as const, variables: { run: String(i) } });
    // Warm: the template cache and the prepared statements, as on a node that has been running.
    expect(await deliverNotification(env.relais.ctx, payload(-1))).toBe('sent');

    const N = Number(process.env.NOTIFICATION_COST_RUNS ?? 30);
    const counter = countStatements(env.relais.ctx.database);
    const cpu = process.cpuUsage();
    try {
      await inMeasure(async () => {
        for (let i = 0; i < N; i++) expect(await deliverNotification(env.relais.ctx, payload(i))).toBe('sent');
      });
    } finally {
      counter.stop();
    }
    const used = process.cpuUsage(cpu);
    const perNotification = counter.count() / N;
    console.info(`[notification cost] ${env.relais.ctx.database.kind}: ${perNotification} statements, ${((used.user + used.system) / 1000 / N).toFixed(2)} ms CPU (Node) per notification over ${N}`);
    expect(perNotification).toBeLessThanOrEqual(2);

    // Each one recorded as sent, once, with its event on the ticket, and reached Meta once.
    const rows = await env.relais.ctx.db.select().from(contactNotifications).where(eq(contactNotifications.ticketId, t!.id));
    const measured = rows.filter((r) => r.template === 'ticket_received' && r.status === 'sent' && r.channel === 'whatsapp' && r.recipient === `+${wa}` && r.attempts === 1);
    expect(measured.length).toBeGreaterThanOrEqual(N + 1);
    const events = await env.relais.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t!.id));
    const sentIds = new Set(events.filter((e) => e.type === 'notification.sent').map((e) => (e.data as { notificationId: string }).notificationId));
    for (const r of measured) expect(sentIds.has(r.id)).toBe(true);

    const before = graph.sent.length;
    expect(await deliverNotification(env.relais.ctx, payload(0))).toBe('skipped');
    expect(graph.sent.length).toBe(before);
  });
});

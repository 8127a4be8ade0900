import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call } from '../../../../test/helpers/http';
import { checkCyberEmergencyTaken } from './escalation';
import { scanSlaBreaches } from './sla-breaches';
import { tickets } from './ticket.schema';

let env: TestEnv;
beforeAll(async () => {
  // This file runs the job workers for real, with a one-second red-button delay.
  env = await startTestEnv({ RELAIS_JOBS: 'true', RELAIS_CYBER_ALERT_DELAY_SECONDS: '1' });
});
afterAll(async () => env?.close());

async function newTicket(subject: string, phone: string) {
  const res = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject, channel: 'phone', contact: { name: subject, phone } } });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: string };
}
const eventTypes = async (id: string) =>
  ((await call(env.relais.app, 'GET', `/api/v1/tickets/${id}/events`, { auth: env.staff.supervisor.auth })).body.items as { type: string }[]).map((e) => e.type);

async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('red button follow-up', () => {
  it('alerts supervisors through the job queue when no level-3 agent takes the emergency in time', async () => {
    const t = await newTicket('Rançongiciel', '0612121212');
    await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/cyber-emergency`, { auth: env.staff.n1.auth, body: {} });
    const types = await until(async () => {
      const ts = await eventTypes(t.id);
      return ts.includes('supervisors.alerted') && ts;
    });
    expect(types.filter((x) => x === 'supervisors.alerted')).toHaveLength(1);
  });

  it('does not alert when a level-3 agent has taken it', async () => {
    const t = await newTicket('Arnaque au faux conseiller', '0612121213');
    await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/cyber-emergency`, { auth: env.staff.n1.auth, body: {} });
    await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/assign`, { auth: env.staff.n3.auth, body: { assigneeId: 'me' } });
    expect(await checkCyberEmergencyTaken(env.relais.ctx, t.id)).toBe(false);
    // The queued check has run (or runs) and finds it taken too.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await eventTypes(t.id)).not.toContain('supervisors.alerted');
  });
});

describe('SLA breaches', () => {
  it('marks an overdue first response and resolution once, with an event', async () => {
    const t = await newTicket('Lenteur', '0612121214');
    const past = new Date(Date.now() - 60_000);
    await env.relais.ctx.db.update(tickets).set({ firstResponseDueAt: past, resolutionDueAt: past }).where(eq(tickets.id, t.id));
    const before = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}`, { auth: env.staff.n1.auth });
    expect(before.body.sla.firstResponseBreached).toBe(true);
    await scanSlaBreaches(env.relais.ctx);
    await scanSlaBreaches(env.relais.ctx);
    const [row] = await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(row!.firstResponseBreachedAt).not.toBeNull();
    expect(row!.resolutionBreachedAt).not.toBeNull();
    expect((await eventTypes(t.id)).filter((x) => x === 'sla.breached')).toHaveLength(1);
  });

  it('leaves paused, resolved and on-time tickets alone', async () => {
    const paused = await newTicket('En attente', '0612121215');
    await call(env.relais.app, 'POST', `/api/v1/tickets/${paused.id}/status`, { auth: env.staff.n1.auth, body: { status: 'waiting_on_contact' } });
    const onTime = await newTicket('À l’heure', '0612121216');
    await env.relais.ctx.db.update(tickets).set({ firstResponseDueAt: new Date(Date.now() - 1000) }).where(eq(tickets.id, paused.id));
    await scanSlaBreaches(env.relais.ctx);
    // The first-response clock keeps running while waiting; resolution is paused.
    const [p] = await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, paused.id));
    expect(p!.resolutionBreachedAt).toBeNull();
    expect(p!.firstResponseBreachedAt).not.toBeNull();
    expect(await eventTypes(onTime.id)).not.toContain('sla.breached');
  });

  it('runs the scan from the cron schedule registered in pg-boss', async () => {
    const rows = await env.relais.ctx.db.execute<{ name: string; cron: string }>(sql`select name, cron from pgboss.schedule`);
    expect(rows.rows).toContainEqual(expect.objectContaining({ name: 'sla.breach-scan', cron: '* * * * *' }));
  });
});

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { usingPostgres } from '../../../../test/helpers/database';
import { call, expectError } from '../../../../test/helpers/http';
import { calls } from '../channels/channel.schema';
import { ticketEvents, tickets } from './ticket.schema';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => env?.close());

let seq = 0;
async function newTicket() {
  seq++;
  const res = await call(env.relais.app, 'POST', '/api/v1/tickets', {
    auth: env.staff.n1.auth,
    body: { subject: `Appel ${seq}`, channel: 'phone', contact: { name: `Appelant ${seq}`, phone: `06${String(20000000 + seq).padStart(8, '0')}` } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: string };
}
const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
const record = (ref: string, body: unknown, who: keyof TestEnv['staff'] = 'n1') => call(env.relais.app, 'POST', `/api/v1/tickets/${ref}/calls`, { auth: env.staff[who].auth, body });

describe(`calls recorded from the console (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('records the call with its duration, agent and number, a timeline event, and answers the client', async () => {
    const t = await newTicket();
    const startedAt = ago(200);
    const endedAt = ago(8);
    const res = await record(t.number, { startedAt, endedAt, direction: 'inbound', note: 'Imprimante réinstallée avec la cliente.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ source: 'console', direction: 'inbound', durationSeconds: 192, phone: expect.stringMatching(/^\+336\d{8}$/), outcome: 'completed', note: 'Imprimante réinstallée avec la cliente.' });
    expect(res.body.staff).toEqual({ id: env.staff.n1.id, name: expect.any(String) });

    const [row] = await env.relais.ctx.db.select().from(calls).where(eq(calls.id, res.body.id));
    expect(row).toMatchObject({ ticketId: t.id, staffId: env.staff.n1.id, source: 'console', direction: 'inbound', callSid: null, durationSeconds: 192, toNumber: null });
    expect(row!.fromNumber).toMatch(/^\+336\d{8}$/);
    expect(row!.startedAt.toISOString()).toBe(startedAt);
    expect(row!.endedAt!.toISOString()).toBe(endedAt);

    const events = await env.relais.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
    const ev = events.find((e) => e.type === 'call.recorded');
    expect(ev).toMatchObject({ actorKind: 'staff', actorId: env.staff.n1.id, data: { callId: res.body.id, direction: 'inbound', durationSeconds: 192, startedAt, endedAt, note: 'Imprimante réinstallée avec la cliente.' } });

    // A conversation with an agent is the first response (not before the ticket existed).
    const [saved] = await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(saved!.firstRespondedAt!.getTime()).toBe(Math.max(Date.parse(startedAt), saved!.createdAt.getTime()));

    const list = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}/calls`, { auth: env.staff.n2.auth });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
  });

  it('an outbound call keeps the number dialled and lists in call order', async () => {
    const t = await newTicket();
    const second = await record(t.id, { startedAt: ago(60), endedAt: ago(30), direction: 'outbound', phone: '01 23 45 67 89' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const first = await record(t.id, { startedAt: ago(600), endedAt: ago(500), direction: 'inbound' }, 'n2');
    expect(first.status).toBe(201);
    const [row] = await env.relais.ctx.db.select().from(calls).where(eq(calls.id, second.body.id));
    expect(row).toMatchObject({ direction: 'outbound', toNumber: '+33123456789', fromNumber: null });
    const list = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.number}/calls`, { auth: env.staff.supervisor.auth });
    expect(list.body.items.map((c: { id: string; durationSeconds: number }) => [c.id, c.durationSeconds])).toEqual([
      [first.body.id, 100],
      [second.body.id, 30],
    ]);
  });

  it('refuses impossible times with a clear 4xx and writes nothing', async () => {
    const t = await newTicket();
    expectError(await record(t.id, { startedAt: ago(10), endedAt: ago(20), direction: 'inbound' }), 422, 'CALL_ENDS_BEFORE_START');
    // The same instant for both ends (two calls of ago() can be a millisecond apart: a 0-second call).
    const instant = ago(10);
    expectError(await record(t.id, { startedAt: instant, endedAt: instant, direction: 'inbound' }), 422, 'CALL_ENDS_BEFORE_START');
    expectError(await record(t.id, { startedAt: ago(10), endedAt: new Date(Date.now() + 10 * 60_000).toISOString(), direction: 'inbound' }), 422, 'CALL_IN_FUTURE');
    const tooLong = await record(t.id, { startedAt: ago(5 * 3600), endedAt: ago(1), direction: 'inbound' });
    expectError(tooLong, 422, 'CALL_TOO_LONG');
    expect(tooLong.body.error.details.field).toBe('endedAt');
    expectError(await record(t.id, { startedAt: 'hier', endedAt: ago(1), direction: 'inbound' }), 400, 'VALIDATION_FAILED');
    expectError(await record(t.id, { startedAt: ago(10), endedAt: ago(1), direction: 'sideways' }), 400, 'VALIDATION_FAILED');
    expectError(await record(t.id, { startedAt: ago(10), endedAt: ago(1), direction: 'inbound', callSid: 'CA1' }), 400, 'VALIDATION_FAILED');
    expectError(await record(t.id, { startedAt: ago(10), endedAt: ago(1), direction: 'inbound', phone: '1234' }), 422, 'INVALID_PHONE');
    expectError(await record('NUM-99999999', { startedAt: ago(10), endedAt: ago(1), direction: 'inbound' }), 404, 'TICKET_NOT_FOUND');
    expectError(await record(t.id, { startedAt: ago(10), endedAt: ago(1), direction: 'inbound' }, 'technician'), 403, 'FORBIDDEN');
    expect(await env.relais.ctx.db.select().from(calls).where(eq(calls.ticketId, t.id))).toEqual([]);
    const events = await env.relais.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
    expect(events.filter((e) => e.type === 'call.recorded')).toEqual([]);
  });

  it('hides the calls of other tickets from a technician, and refuses calls on a closed ticket', async () => {
    const t = await newTicket();
    expectError(await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}/calls`, { auth: env.staff.technician.auth }), 404, 'TICKET_NOT_FOUND');
    await env.relais.ctx.db.update(tickets).set({ status: 'closed' }).where(eq(tickets.id, t.id));
    expectError(await record(t.id, { startedAt: ago(10), endedAt: ago(1), direction: 'inbound' }), 409, 'TICKET_CLOSED');
  });
});

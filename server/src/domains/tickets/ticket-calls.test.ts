import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { usingPostgres } from '../../../../test/helpers/database';
import { call, expectError } from '../../../../test/helpers/http';
import { calls } from '../channels/channel.schema';
import { callStatus } from '../channels/voice/ivr';
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

  it('completes the phone menu\'s record of the call the agent answered instead of recording it twice', async () => {
    const t = await newTicket();
    const [ticket] = await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, t.id));
    const caller = '+33620009999';
    // The phone menu's records: this call (queued to the ticket), an older one, another caller's.
    const [ivr] = await env.relais.ctx.db
      .insert(calls)
      .values({ callSid: `CA${seq}a`, source: 'ivr', fromNumber: caller, contactId: ticket!.contactId, ticketId: t.id, outcome: 'queued', startedAt: new Date(Date.now() - 300_000) })
      .returning();
    const [old] = await env.relais.ctx.db
      .insert(calls)
      .values({ callSid: `CA${seq}b`, source: 'ivr', fromNumber: caller, contactId: ticket!.contactId, ticketId: t.id, outcome: 'queued', startedAt: new Date(Date.now() - 3 * 3600_000) })
      .returning();

    const res = await record(t.number, { startedAt: ago(200), endedAt: ago(20), direction: 'inbound', note: 'Rassurée, rien à faire.' }, 'n2');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ id: ivr!.id, source: 'ivr', phone: caller, durationSeconds: 180, note: 'Rassurée, rien à faire.', staff: { id: env.staff.n2.id } });
    const rows = await env.relais.ctx.db.select().from(calls).where(eq(calls.ticketId, t.id));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === old!.id)!.staffId).toBeNull();
    const events = await env.relais.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
    expect(events.find((e) => e.type === 'call.recorded')!.data).toMatchObject({ callId: ivr!.id, viaPhoneMenu: true });
    const [saved] = await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(saved!.firstRespondedAt).not.toBeNull();

    // Answered once: a second timing of the same moment is a call of its own.
    const again = await record(t.number, { startedAt: ago(190), endedAt: ago(15), direction: 'inbound' }, 'n1');
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ source: 'console' });
    expect(again.body.id).not.toBe(ivr!.id);

    // The provider's status callback still ends the call with its own duration.
    const status = { callSid: ivr!.callSid!, accountSid: null, from: caller, to: '+33100000000', callStatus: 'completed', direction: 'inbound', callerName: null, forwardedFrom: null, parentCallSid: null, digits: null, speechResult: null, callDurationSeconds: 230, recording: null, raw: {} };
    await callStatus(env.relais.ctx, status);
    const [ended] = await env.relais.ctx.db.select().from(calls).where(eq(calls.id, ivr!.id));
    expect(ended).toMatchObject({ status: 'completed', durationSeconds: 230, staffId: env.staff.n2.id, note: 'Rassurée, rien à faire.' });
    expect(ended!.endedAt).not.toBeNull();
  });

  it('keeps a console call apart from a phone-menu call of another number or of an outbound call', async () => {
    const t = await newTicket();
    const [ticket] = await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, t.id));
    const [ivr] = await env.relais.ctx.db
      .insert(calls)
      .values({ callSid: `CA${seq}c`, source: 'ivr', fromNumber: '+33620008888', contactId: ticket!.contactId, ticketId: t.id, outcome: 'queued', startedAt: new Date(Date.now() - 120_000) })
      .returning();
    const other = await record(t.number, { startedAt: ago(100), endedAt: ago(10), direction: 'inbound', phone: '06 99 99 99 99' });
    expect(other.body).toMatchObject({ source: 'console', phone: '+33699999999' });
    const out = await record(t.number, { startedAt: ago(100), endedAt: ago(10), direction: 'outbound' });
    expect(out.body).toMatchObject({ source: 'console', direction: 'outbound' });
    const [untouched] = await env.relais.ctx.db.select().from(calls).where(eq(calls.id, ivr!.id));
    expect(untouched!.staffId).toBeNull();
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

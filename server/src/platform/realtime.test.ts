import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelaisApp } from '../app';
import { startTestEnv, type TestEnv } from '../../../test/helpers/app';
import { usingPostgres } from '../../../test/helpers/database';
import { call } from '../../../test/helpers/http';
import { connectRealtime, type WsClient } from '../../../test/helpers/ws';

let env: TestEnv;
let nodeB: RelaisApp;
let urlA: string;
let urlB: string;
const clients: WsClient[] = [];

beforeAll(async () => {
  env = await startTestEnv();
  nodeB = await env.startNode();
  urlA = await env.relais.app.listen({ port: 0, host: '127.0.0.1' });
  urlB = await nodeB.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await env?.close();
});

describe(`realtime across two app nodes (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('delivers the red-button alert to level-3 agents and supervisors on both nodes, without a reload', async () => {
    const l3OnB = await connectRealtime(urlB, env.staff.n3.token);
    const supervisorOnA = await connectRealtime(urlA, env.staff.supervisor.token);
    const l1OnB = await connectRealtime(urlB, env.staff.n1.token);
    const technicianOnA = await connectRealtime(urlA, env.staff.technician.token);
    clients.push(l3OnB, supervisorOnA, l1OnB, technicianOnA);

    const created = await call(env.relais.app, 'POST', '/api/v1/tickets', {
      auth: env.staff.n1.auth,
      body: { subject: 'On me demande de payer en bitcoin', channel: 'phone', contact: { name: 'Odile', phone: '0611223344' } },
    });
    // The button is pressed through node A; node B's consoles hear it from PostgreSQL.
    const pressed = await call(env.relais.app, 'POST', `/api/v1/tickets/${created.body.id}/cyber-emergency`, { auth: env.staff.n1.auth, body: {} });
    expect(pressed.status).toBe(200);

    const isAlert = (m: { type: string; notification?: { kind: string; ticketId: string } }) =>
      m.type === 'notification' && m.notification?.kind === 'cyber_emergency' && m.notification.ticketId === created.body.id;
    const onB = await l3OnB.waitFor(isAlert);
    expect(onB.notification.number).toBe(created.body.number);
    await supervisorOnA.waitFor(isAlert);
    const ev = await l1OnB.waitFor((m) => m.type === 'ticket.event' && m.event.type === 'ticket.cyber_emergency');
    expect(ev.event).toMatchObject({ ticketId: created.body.id, level: 3, cyberEmergency: true });
    // The level-1 agent sees the ticket change but is not paged; the technician sees neither.
    expect(l1OnB.messages.some(isAlert)).toBe(false);
    expect(technicianOnA.messages.filter((m) => m.type !== 'hello')).toEqual([]);
  });

  it('does not announce a change that was rolled back', async () => {
    const watcher = await connectRealtime(urlB, env.staff.supervisor.token);
    clients.push(watcher);
    const t = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'x', channel: 'web', contact: { name: 'Y', phone: '0611223355' } } });
    await watcher.waitFor((m) => m.type === 'ticket.event' && m.event.ticketId === t.body.id);
    const before = watcher.messages.length;
    const bad = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.body.id}/status`, { auth: env.staff.n1.auth, body: { status: 'waiting_on_third_party' } });
    expect(bad.status).toBe(422);
    const ok = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.body.id}/qualify`, { auth: env.staff.n1.auth, body: { priority: 'high' } });
    expect(ok.status).toBe(200);
    await watcher.waitFor((m) => m.type === 'ticket.event' && m.event.type === 'ticket.qualified' && m.event.ticketId === t.body.id);
    const after = watcher.messages.slice(before).map((m) => m.event?.type);
    expect(after.filter((x) => x === 'ticket.status_changed').length).toBe(1); // new → open from qualify only
  });

  it('refuses a connection without a valid token', async () => {
    await expect(connectRealtime(urlA, 'rls_invalid')).rejects.toThrow();
  });
});

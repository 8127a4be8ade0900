import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelaisApp } from '../app';
import { startTestEnv, type TestEnv } from '../../../test/helpers/app';
import { usingPostgres } from '../../../test/helpers/database';
import { call } from '../../../test/helpers/http';
import { connectRealtime, type WsClient } from '../../../test/helpers/ws';
import { publishPresence } from './presence';

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

async function connect(url: string, who: keyof TestEnv['staff']): Promise<WsClient> {
  const c = await connectRealtime(url, env.staff[who].token);
  clients.push(c);
  return c;
}

let seq = 0;
async function newTicket(): Promise<{ id: string; number: string }> {
  seq++;
  const res = await call(env.relais.app, 'POST', '/api/v1/tickets', {
    auth: env.staff.n1.auth,
    body: { subject: `Présence ${seq}`, channel: 'web', contact: { name: `Client ${seq}`, phone: `06${String(30000000 + seq).padStart(8, '0')}` } },
  });
  expect(res.status).toBe(201);
  return res.body;
}

type Viewer = { staffId: string; typing: string | null; name: string; role: string };
const rosterOf = (ticketId: string, pred: (viewers: Viewer[]) => boolean) => (m: { type: string; ticketId?: string; viewers?: Viewer[] }) =>
  m.type === 'presence' && m.ticketId === ticketId && pred(m.viewers!);
const has = (viewers: Viewer[], staffId: string, typing: string | null | undefined = undefined) =>
  viewers.some((v) => v.staffId === staffId && (typing === undefined || v.typing === typing));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`presence on a ticket across two app nodes (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('shows who views and who types from node A on node B; typing and a closed tab go away', async () => {
    const t = await newTicket();
    // Short lives on the sending node, so the test sees them run out (signals carry them).
    env.relais.ctx.realtime.presenceTtl = { viewingMs: 30_000, typingMs: 900 };
    const n1OnA = await connect(urlA, 'n1');
    const n2OnB = await connect(urlB, 'n2');

    n1OnA.send({ type: 'presence', ticketId: t.id, state: 'viewing' });
    await n1OnA.waitFor(rosterOf(t.id, (v) => has(v, env.staff.n1.id)));
    n2OnB.send({ type: 'presence', ticketId: t.id, state: 'viewing' });
    // Node B already heard n1 from PostgreSQL: n2 sees them at once, by name.
    const first = await n2OnB.waitFor(rosterOf(t.id, (v) => has(v, env.staff.n1.id) && has(v, env.staff.n2.id)));
    expect(first.viewers.find((v: Viewer) => v.staffId === env.staff.n1.id)).toMatchObject({ role: 'agent', level: 1, typing: null, name: expect.stringContaining('agent') });
    // And n1, on node A, sees n2 arrive.
    await n1OnA.waitFor(rosterOf(t.id, (v) => has(v, env.staff.n2.id)));

    n1OnA.send({ type: 'presence', ticketId: t.id, state: 'typing', composing: 'internal' });
    await n2OnB.waitFor(rosterOf(t.id, (v) => has(v, env.staff.n1.id, 'internal')));
    const typedAt = Date.now();
    // No more keystrokes: the typing mark runs out, the person is still on the page.
    const after = n2OnB.messages.length;
    await n2OnB.waitFor((m) => n2OnB.messages.indexOf(m) >= after && rosterOf(t.id, (v) => has(v, env.staff.n1.id, null))(m), 5000);
    expect(Date.now() - typedAt).toBeGreaterThanOrEqual(800);

    // The tab closes: node A announces it left, node B's console drops it without waiting.
    const beforeClose = n2OnB.messages.length;
    n1OnA.close();
    await n2OnB.waitFor((m) => n2OnB.messages.indexOf(m) >= beforeClose && rosterOf(t.id, (v) => !has(v, env.staff.n1.id) && has(v, env.staff.n2.id))(m));
  });

  it('forgets a console that stopped repeating itself (crashed tab or node)', async () => {
    const t = await newTicket();
    const n2OnB = await connect(urlB, 'n2');
    n2OnB.send({ type: 'presence', ticketId: t.id, state: 'viewing' });
    await n2OnB.waitFor(rosterOf(t.id, (v) => has(v, env.staff.n2.id)));
    // What a node that then died had said, straight on the channel: nobody will say "left".
    await publishPresence(env.relais.ctx.db, {
      ticketId: t.id,
      assigneeId: null,
      conn: 'ghost-connection',
      staff: { id: env.staff.n3.id, name: 'Fantôme', role: 'agent', level: 3 },
      state: 'typing',
      composing: 'public',
      ttlMs: 1200,
      typingTtlMs: 600,
    });
    await n2OnB.waitFor(rosterOf(t.id, (v) => has(v, env.staff.n3.id, 'public')));
    const at = n2OnB.messages.length;
    await n2OnB.waitFor((m) => n2OnB.messages.indexOf(m) >= at && rosterOf(t.id, (v) => !has(v, env.staff.n3.id))(m), 5000);
  });

  it('keeps a technician out of the presence of tickets not assigned to them', async () => {
    const t = await newTicket();
    const tech = await connect(urlB, 'technician');
    const n1 = await connect(urlA, 'n1');
    n1.send({ type: 'presence', ticketId: t.id, state: 'typing', composing: 'public' });
    await n1.waitFor(rosterOf(t.id, (v) => has(v, env.staff.n1.id, 'public')));

    tech.send({ type: 'presence', ticketId: t.id, state: 'viewing' });
    const refused = await tech.waitFor((m) => m.type === 'error');
    expect(refused.code).toBe('TICKET_NOT_FOUND');
    n1.send({ type: 'presence', ticketId: t.id, state: 'viewing' });
    await sleep(400);
    expect(tech.messages.filter((m) => m.type === 'presence')).toEqual([]);
    // Nor did the refused technician appear to the agent.
    expect(n1.messages.some(rosterOf(t.id, (v) => has(v, env.staff.technician.id)))).toBe(false);

    // Assigned to them, the ticket's presence is theirs to see; taken away, it empties.
    await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/assign`, { auth: env.staff.supervisor.auth, body: { assigneeId: env.staff.technician.id } });
    tech.send({ type: 'presence', ticketId: t.id, state: 'viewing' });
    await tech.waitFor(rosterOf(t.id, (v) => has(v, env.staff.n1.id) && has(v, env.staff.technician.id)));
    await n1.waitFor(rosterOf(t.id, (v) => has(v, env.staff.technician.id)));
    const at = tech.messages.length;
    await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/assign`, { auth: env.staff.supervisor.auth, body: { assigneeId: env.staff.n2.id } });
    await tech.waitFor((m) => tech.messages.indexOf(m) >= at && rosterOf(t.id, (v) => v.length === 0)(m));
    tech.send({ type: 'presence', ticketId: t.id, state: 'typing', composing: 'public' });
    expect((await tech.waitFor((m) => tech.messages.indexOf(m) >= at && m.type === 'error')).code).toBe('TICKET_NOT_FOUND');
  });

  it('answers bad messages with an error frame and keeps the connection', async () => {
    const t = await newTicket();
    const c = await connect(urlA, 'n2');
    const bad: unknown[] = [
      'pas du json',
      '[1,2]',
      'null',
      { type: 'subscribe', ticketId: t.id },
      { type: 'presence', ticketId: 'NUM-10001', state: 'viewing' },
      { type: 'presence', ticketId: t.id, state: 'dancing' },
      { type: 'presence', ticketId: t.id, state: 'viewing', composing: 'public' },
      { type: 'presence', ticketId: t.id, state: 'typing', composing: 'sms' },
      { type: 'presence', ticketId: t.id, state: 'viewing', ttlMs: 999999999 },
      { type: 'presence', ticketId: '00000000-0000-4000-8000-000000000000', state: 'viewing' },
      JSON.stringify({ type: 'presence', ticketId: t.id, state: 'viewing', pad: 'x'.repeat(5000) }),
    ];
    for (const m of bad) c.send(m);
    await c.waitFor(() => c.messages.filter((m) => m.type === 'error').length === bad.length);
    const codes = c.messages.filter((m) => m.type === 'error').map((m) => m.code);
    expect(codes.filter((x) => x === 'INVALID_MESSAGE')).toHaveLength(bad.length - 1);
    expect(codes).toContain('TICKET_NOT_FOUND');
    expect(c.messages.filter((m) => m.type === 'presence')).toEqual([]);
    // Still connected and served.
    c.send({ type: 'presence', ticketId: t.id, state: 'viewing' });
    await c.waitFor(rosterOf(t.id, (v) => has(v, env.staff.n2.id)));
  });

  it('limits a flood from one socket', async () => {
    const t = await newTicket();
    const c = await connect(urlB, 'supervisor');
    for (let i = 0; i < 40; i++) c.send({ type: 'presence', ticketId: t.id, state: 'viewing' });
    await c.waitFor((m) => m.type === 'error' && m.code === 'RATE_LIMITED');
    await c.waitFor(rosterOf(t.id, (v) => has(v, env.staff.supervisor.id)));
    expect(c.messages.filter((m) => m.code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(15);
  });
});

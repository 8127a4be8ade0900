import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { usingPostgres } from '../../../../test/helpers/database';
import { call, expectError } from '../../../../test/helpers/http';
import { connectRealtime } from '../../../../test/helpers/ws';
import { ticketEvents, tickets } from './ticket.schema';

let env: TestEnv;
let url: string;
beforeAll(async () => {
  env = await startTestEnv();
  url = await env.relais.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => env?.close());

type Who = keyof TestEnv['staff'];
let seq = 0;
/** A request whose words the triage reads as a scam in progress (or not, with `plain`). */
async function flagged(plain = false) {
  seq++;
  const res = await call(env.relais.app, 'POST', '/api/v1/tickets', {
    auth: env.staff.n1.auth,
    body: {
      subject: plain ? `Imprimante ${seq}` : `Arnaque ${seq}`,
      description: plain ? 'elle imprime en gris' : 'un faux conseiller de la banque ma fait valider 3 virements je vois plus mon argent',
      channel: 'phone',
      contact: { name: `Cliente ${seq}`, phone: `06${String(20000000 + seq).padStart(8, '0')}` },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (!plain) expect(res.body.possibleEmergency?.reasons.length).toBeGreaterThan(0);
  return res.body as { id: string; number: string; possibleEmergency: { reasons: { code: string; label: string }[] } | null };
}
const dismiss = (ref: string, body: unknown, who: Who = 'n2') => call(env.relais.app, 'POST', `/api/v1/tickets/${ref}/possible-emergency/dismiss`, { auth: env.staff[who].auth, body });
const eventsOf = (id: string) => env.relais.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id)).orderBy(ticketEvents.id);
const rowOf = async (id: string) => (await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;
const unconfirmed = async (qs = '', who: Who = 'n3') => {
  const res = await call(env.relais.app, 'GET', `/api/v1/tickets?possibleEmergency=unconfirmed${qs}`, { auth: env.staff[who].auth });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: { id: string }[]; nextCursor: string | null };
};

describe(`possible cyber emergency: dismissed or confirmed (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a level-2 agent says "not an emergency": the flag goes, the timeline keeps who, why and what triage saw, consoles are told', async () => {
    const t = await flagged();
    const reasons = t.possibleEmergency!.reasons;
    const watcher = await connectRealtime(url, env.staff.n3.token);
    try {
      const res = await dismiss(t.number, { reason: '  La cliente parle d’un virement de l’an dernier, déjà remboursé.  ' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ possibleEmergency: null, cyberEmergency: false });
      expect((await rowOf(t.id)).possibleEmergency).toBeNull();

      const ev = (await eventsOf(t.id)).find((e) => e.type === 'triage.possible_emergency_dismissed')!;
      expect(ev).toMatchObject({ actorKind: 'staff', actorId: env.staff.n2.id });
      expect(ev.data.reason).toBe('La cliente parle d’un virement de l’an dernier, déjà remboursé.');
      expect((ev.data.previous as { reasons: unknown[] }).reasons).toEqual(reasons);

      const signal = await watcher.waitFor((m) => m.type === 'ticket.event' && m.event.ticketId === t.id && m.event.type === 'triage.possible_emergency_dismissed');
      expect(signal.event.number).toBe(t.number);
    } finally {
      watcher.close();
    }

    // The API's timeline names the person who said so.
    const timeline = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}/events`, { auth: env.staff.n1.auth });
    expect(timeline.body.items.find((e: { type: string }) => e.type === 'triage.possible_emergency_dismissed').actor.name).toMatch(/agent 2/);
  });

  it('dismissing twice, or a ticket never flagged, is a clear 409 that writes nothing', async () => {
    const t = await flagged();
    expect((await dismiss(t.id, { reason: 'Simple question sur un ancien virement.' }, 'supervisor')).status).toBe(200);
    const before = (await eventsOf(t.id)).length;
    const again = await dismiss(t.id, { reason: 'Toujours pas une urgence.' }, 'n3');
    expectError(again, 409, 'POSSIBLE_EMERGENCY_ALREADY_DISMISSED');
    expect(again.body.error.details).toMatchObject({ reason: 'Simple question sur un ancien virement.', dismissedBy: expect.stringMatching(/supervisor/) });
    expect((await eventsOf(t.id)).length).toBe(before);

    const plain = await flagged(true);
    expectError(await dismiss(plain.id, { reason: 'Rien d’urgent ici.' }), 409, 'NOT_A_POSSIBLE_EMERGENCY');
  });

  it('is refused on a confirmed emergency; the red button still works on a flagged ticket, and after a dismissal', async () => {
    const t = await flagged();
    const red = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/cyber-emergency`, { auth: env.staff.n1.auth, body: {} });
    expect(red.status, JSON.stringify(red.body)).toBe(200);
    expect(red.body).toMatchObject({ cyberEmergency: true, level: 3 });
    const before = (await eventsOf(t.id)).length;
    expectError(await dismiss(t.id, { reason: 'Finalement non.' }), 409, 'ALREADY_CYBER_EMERGENCY');
    expect((await eventsOf(t.id)).length).toBe(before);
    expect((await rowOf(t.id)).cyberEmergency).toBe(true);

    const changedMind = await flagged();
    expect((await dismiss(changedMind.id, { reason: 'Ancien message, rien en cours.' })).status).toBe(200);
    const later = await call(env.relais.app, 'POST', `/api/v1/tickets/${changedMind.id}/cyber-emergency`, { auth: env.staff.n2.auth, body: { note: 'La cliente rappelle : le faux conseiller est en ligne.' } });
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect(later.body.cyberEmergency).toBe(true);
  });

  it('only level-2 or 3 agents and supervisors may dismiss; bad input is a 4xx that writes nothing', async () => {
    const t = await flagged();
    expectError(await dismiss(t.id, { reason: 'Pas urgent.' }, 'n1'), 403, 'FORBIDDEN');
    expectError(await dismiss(t.id, { reason: 'Pas urgent.' }, 'technician'), 403, 'FORBIDDEN');
    expectError(await dismiss(t.id, { reason: 'Pas urgent.' }, 'admin'), 403, 'FORBIDDEN');
    expectError(await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/possible-emergency/dismiss`, { body: { reason: 'Pas urgent.' } }), 401, 'UNAUTHENTICATED');
    expectError(await dismiss(t.id, {}), 400, 'VALIDATION_FAILED');
    expectError(await dismiss(t.id, { reason: 'no' }), 400, 'VALIDATION_FAILED');
    expectError(await dismiss(t.id, { reason: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED');
    expectError(await dismiss(t.id, { reason: 'Pas urgent.', extra: 1 }), 400, 'VALIDATION_FAILED');
    const blank = await dismiss(t.id, { reason: '     ' });
    expectError(blank, 422, 'REASON_REQUIRED');
    expect(blank.body.error.details[0].field).toBe('body.reason');
    expectError(await dismiss('NUM-99999999', { reason: 'Pas urgent.' }), 404, 'TICKET_NOT_FOUND');
    expect((await rowOf(t.id)).possibleEmergency).not.toBeNull();
    expect((await eventsOf(t.id)).some((e) => e.type === 'triage.possible_emergency_dismissed')).toBe(false);

    // A closed ticket is not changed any more.
    for (const status of ['resolved', 'closed']) {
      expect((await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/status`, { auth: env.staff.n2.auth, body: { status } })).status).toBe(200);
    }
    expectError(await dismiss(t.id, { reason: 'Pas urgent.' }), 409, 'TICKET_CLOSED');
  });

  it('lists the unconfirmed possible emergencies, oldest first, page by page, without the confirmed, dismissed or finished ones', async () => {
    const a = await flagged();
    const b = await flagged();
    const c = await flagged();
    const d = await flagged();
    const plain = await flagged(true);
    const confirmed = await flagged();
    const dismissed = await flagged();
    const resolved = await flagged();
    await call(env.relais.app, 'POST', `/api/v1/tickets/${confirmed.id}/cyber-emergency`, { auth: env.staff.n1.auth, body: {} });
    await dismiss(dismissed.id, { reason: 'Pas une arnaque en cours.' });
    await call(env.relais.app, 'POST', `/api/v1/tickets/${resolved.id}/status`, { auth: env.staff.n2.auth, body: { status: 'resolved' } });
    // Created in this order, but made older in another: the list follows the creation time, not the insertion.
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    for (const [t, ago] of [[a, 30], [b, 50], [c, 40], [d, 10]] as const) await env.relais.ctx.db.update(tickets).set({ createdAt: at(ago) }).where(eq(tickets.id, t.id));

    const mine = new Set([a, b, c, d, plain, confirmed, dismissed, resolved].map((t) => t.id));
    const full = (await unconfirmed('&limit=100')).items.map((t) => t.id).filter((id) => mine.has(id));
    expect(full).toEqual([b.id, c.id, a.id, d.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await unconfirmed(`&limit=2${cursor ? `&cursor=${cursor}` : ''}`, 'supervisor');
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => mine.has(id))).toEqual(full);
    expect(new Set(seen).size).toBe(seen.length);

    // A cursor of another order is refused, and so is an unknown value.
    const newest = await call(env.relais.app, 'GET', '/api/v1/tickets?limit=1', { auth: env.staff.n3.auth });
    expectError(await call(env.relais.app, 'GET', `/api/v1/tickets?possibleEmergency=unconfirmed&cursor=${newest.body.nextCursor}`, { auth: env.staff.n3.auth }), 400, 'INVALID_CURSOR');
    expectError(await call(env.relais.app, 'GET', '/api/v1/tickets?possibleEmergency=yes', { auth: env.staff.n3.auth }), 400, 'VALIDATION_FAILED');
    // A technician still sees only their own tickets.
    expect((await unconfirmed('', 'technician')).items).toEqual([]);
  });

  it('documents the route and the filter in the OpenAPI document', async () => {
    const doc = (await call(env.relais.app, 'GET', '/api/openapi.json')).body;
    expect(doc.paths['/api/v1/tickets/{ref}/possible-emergency/dismiss'].post.requestBody.content['application/json'].schema.required).toEqual(['reason']);
    const param = doc.paths['/api/v1/tickets'].get.parameters.find((p: { name: string }) => p.name === 'possibleEmergency');
    expect(JSON.stringify(param.schema)).toContain('unconfirmed');
  });
});

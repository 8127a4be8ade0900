import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, TEST_PASSWORD, type TestEnv } from '../../../../test/helpers/app';
import { call, expectError } from '../../../../test/helpers/http';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => env?.close());

describe('POST /api/v1/auth/tokens', () => {
  it('exchanges email and password for a token usable as bearer and as a session cookie', async () => {
    const res = await call(env.relais.app, 'POST', '/api/v1/auth/tokens', { body: { email: env.staff.n2.email.toUpperCase(), password: TEST_PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^rls_/);
    expect(res.body.staff).toMatchObject({ id: env.staff.n2.id, role: 'agent', level: 2 });
    expect(res.body.staff.passwordHash).toBeUndefined();
    const me = await call(env.relais.app, 'GET', '/api/v1/me', { auth: { authorization: `Bearer ${res.body.token}` } });
    expect(me.body.id).toBe(env.staff.n2.id);
    const byCookie = await env.relais.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { relais_session: res.body.token } });
    expect(JSON.parse(byCookie.body).id).toBe(env.staff.n2.id);
    const out = await call(env.relais.app, 'DELETE', '/api/v1/auth/tokens/current', { auth: { authorization: `Bearer ${res.body.token}` } });
    expect(out.status).toBe(204);
    expectError(await call(env.relais.app, 'GET', '/api/v1/me', { auth: { authorization: `Bearer ${res.body.token}` } }), 401, 'UNAUTHENTICATED');
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const wrong = await call(env.relais.app, 'POST', '/api/v1/auth/tokens', { body: { email: env.staff.n1.email, password: 'nope' } });
    const unknown = await call(env.relais.app, 'POST', '/api/v1/auth/tokens', { body: { email: 'personne@example.fr', password: 'nope' } });
    expectError(wrong, 401, 'UNAUTHENTICATED');
    expect(unknown.body).toEqual(wrong.body);
    expectError(await call(env.relais.app, 'POST', '/api/v1/auth/tokens', { body: { email: 'x@y.fr' } }), 400, 'VALIDATION_FAILED');
  });

  it('refuses a deactivated account and its existing tokens', async () => {
    const s = await env.addStaff('agent', 1);
    expect((await call(env.relais.app, 'GET', '/api/v1/me', { auth: s.auth })).status).toBe(200);
    const off = await call(env.relais.app, 'PATCH', `/api/v1/staff/${s.id}`, { auth: env.staff.admin.auth, body: { active: false } });
    expect(off.body.active).toBe(false);
    expectError(await call(env.relais.app, 'GET', '/api/v1/me', { auth: s.auth }), 401, 'UNAUTHENTICATED');
    expectError(await call(env.relais.app, 'POST', '/api/v1/auth/tokens', { body: { email: s.email, password: TEST_PASSWORD } }), 401, 'UNAUTHENTICATED');
  });
});

describe('staff administration', () => {
  it('lets only admins create and change staff, with levels and skills', async () => {
    const body = { email: 'nouvelle@numi.example', name: 'Inès Roussel', role: 'agent', level: 2, skills: ['messagerie', 'logiciel X'], password: 'un-long-mot-de-passe' };
    expectError(await call(env.relais.app, 'POST', '/api/v1/staff', { auth: env.staff.supervisor.auth, body }), 403, 'FORBIDDEN');
    const created = await call(env.relais.app, 'POST', '/api/v1/staff', { auth: env.staff.admin.auth, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'agent', level: 2, skills: ['messagerie', 'logiciel X'], active: true });
    expectError(await call(env.relais.app, 'POST', '/api/v1/staff', { auth: env.staff.admin.auth, body }), 409, 'STAFF_EMAIL_TAKEN');
    expectError(await call(env.relais.app, 'POST', '/api/v1/staff', { auth: env.staff.admin.auth, body: { ...body, email: 'x@numi.example', level: undefined } }), 422, 'LEVEL_REQUIRED');
    expectError(await call(env.relais.app, 'POST', '/api/v1/staff', { auth: env.staff.admin.auth, body: { ...body, email: 'y@numi.example', password: 'court' } }), 400, 'VALIDATION_FAILED');
    const up = await call(env.relais.app, 'PATCH', `/api/v1/staff/${created.body.id}`, { auth: env.staff.admin.auth, body: { level: 3, skills: ['sécurité'] } });
    expect(up.body).toMatchObject({ level: 3, skills: ['sécurité'] });
    const login = await call(env.relais.app, 'POST', '/api/v1/auth/tokens', { body: { email: body.email, password: body.password } });
    expect(login.status).toBe(201);
  });

  it('keeps at least one active admin', async () => {
    const admins = (await call(env.relais.app, 'GET', '/api/v1/staff', { auth: env.staff.admin.auth })).body.items.filter((s: { role: string; active: boolean }) => s.role === 'admin' && s.active);
    expect(admins).toHaveLength(1);
    expectError(await call(env.relais.app, 'PATCH', `/api/v1/staff/${env.staff.admin.id}`, { auth: env.staff.admin.auth, body: { active: false } }), 409, 'LAST_ADMIN');
  });
});

describe('queues, business hours and settings', () => {
  it('tells publicly whether the hotline is open and when it next opens', async () => {
    const res = await call(env.relais.app, 'GET', '/api/v1/business-hours/status');
    expect(res.status).toBe(200);
    expect(typeof res.body.open).toBe('boolean');
    expect(res.body.timezone).toBe('Europe/Paris');
    expect(res.body.label).toMatch(/^(Ouvert|Fermé)/);
    if (!res.body.open) expect(res.body.nextOpenAt).not.toBeNull();
    expectError(await call(env.relais.app, 'GET', '/api/v1/business-hours/status?queue=inconnue'), 404, 'QUEUE_NOT_FOUND');
  });

  it('lets admins change a queue, its calendar and the SLA targets, and checks them', async () => {
    const queues = await call(env.relais.app, 'GET', '/api/v1/queues', { auth: env.staff.n1.auth });
    expect(queues.body.items.map((q: { slug: string }) => q.slug)).toEqual(expect.arrayContaining(['logiciels', 'cloud', 'commercial', 'administratif', 'urgences-cyber']));
    expect(queues.body.items.filter((q: { menuKey: number | null }) => q.menuKey !== null).map((q: { menuKey: number }) => q.menuKey).sort()).toEqual([1, 2, 3, 4]);
    expectError(await call(env.relais.app, 'PATCH', '/api/v1/queues/cloud', { auth: env.staff.n1.auth, body: { defaultLevel: 3 } }), 403, 'FORBIDDEN');
    expect((await call(env.relais.app, 'PATCH', '/api/v1/queues/cloud', { auth: env.staff.admin.auth, body: { defaultLevel: 3 } })).body.defaultLevel).toBe(3);
    await call(env.relais.app, 'PATCH', '/api/v1/queues/cloud', { auth: env.staff.admin.auth, body: { defaultLevel: 2 } });

    const calId = queues.body.items[0].calendarId;
    const cal = await call(env.relais.app, 'GET', `/api/v1/calendars/${calId}`, { auth: env.staff.n1.auth });
    expect(cal.body.timezone).toBe('Europe/Paris');
    const bad = await call(env.relais.app, 'PUT', `/api/v1/calendars/${calId}`, {
      auth: env.staff.admin.auth,
      body: { timezone: 'Mars/Olympus', slots: [{ weekday: 1, start: '18:00', end: '09:00' }], holidays: { country: 'FR' }, closures: [] },
    });
    expectError(bad, 422, 'INVALID_CALENDAR');
    expect(bad.body.error.details.errors.length).toBeGreaterThanOrEqual(2);
    const always = { timezone: 'Europe/Paris', slots: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })), holidays: null, closures: [] };
    expect((await call(env.relais.app, 'PUT', `/api/v1/calendars/${calId}`, { auth: env.staff.admin.auth, body: always })).status).toBe(200);
    expect((await call(env.relais.app, 'GET', '/api/v1/business-hours/status')).body.open).toBe(true);

    const policy = (await call(env.relais.app, 'GET', '/api/v1/settings/sla-policy', { auth: env.staff.n1.auth })).body;
    expect(policy.critical.firstResponseMinutes).toBeGreaterThan(0);
    expectError(
      await call(env.relais.app, 'PUT', '/api/v1/settings/sla-policy', { auth: env.staff.admin.auth, body: { ...policy, low: { firstResponseMinutes: 600, resolutionMinutes: 60 } } }),
      422,
      'INVALID_SLA',
    );
    const faster = { ...policy, normal: { firstResponseMinutes: 30, resolutionMinutes: 120 } };
    expect((await call(env.relais.app, 'PUT', '/api/v1/settings/sla-policy', { auth: env.staff.admin.auth, body: faster })).status).toBe(200);
    const t = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'x', channel: 'web', contact: { name: 'Z', phone: '0699999999' } } });
    // Always open now: the first response is due exactly 30 minutes after creation.
    expect(new Date(t.body.sla.firstResponseDueAt).getTime() - new Date(t.body.createdAt).getTime()).toBe(30 * 60_000);

    const fi = await call(env.relais.app, 'PUT', '/api/v1/settings/first-instructions', { auth: env.staff.admin.auth, body: { items: ['Ne rien payer.', 'Appeler la banque.'] } });
    expect(fi.status).toBe(200);
    const red = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.body.id}/cyber-emergency`, { auth: env.staff.n1.auth, body: {} });
    expect(red.body.checklist.map((i: { label: string }) => i.label)).toEqual(['Ne rien payer.', 'Appeler la banque.']);
    expectError(await call(env.relais.app, 'PUT', '/api/v1/settings/first-instructions', { auth: env.staff.admin.auth, body: { items: [] } }), 400, 'VALIDATION_FAILED');
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call } from '../../../../test/helpers/http';
import { newRequest, portal, PORTAL_TEST_ENV } from './portal-test-kit';
import { setPortalCookie } from './portal-session';
import { computeVerificationCode, verificationCodeFor, verificationDay } from './verification-code';

describe('the verification code (pure)', () => {
  const key = randomBytes(32);

  it('is 4 digits, the same for a ticket all day long, different from one day or ticket to the next', () => {
    const id = randomUUID();
    expect(computeVerificationCode(key, id, '2026-03-02')).toMatch(/^\d{4}$/);
    expect(computeVerificationCode(key, id, '2026-03-02')).toBe(computeVerificationCode(key, id, '2026-03-02'));
    const ids = Array.from({ length: 30 }, () => randomUUID());
    const today = ids.map((i) => computeVerificationCode(key, i, '2026-03-02'));
    const tomorrow = ids.map((i) => computeVerificationCode(key, i, '2026-03-03'));
    expect(new Set(today).size).toBeGreaterThan(25);
    expect(today.filter((c, i) => c === tomorrow[i]).length).toBeLessThan(3);
    // Another server secret gives other codes: a scammer cannot compute them.
    const other = randomBytes(32);
    expect(ids.filter((i) => computeVerificationCode(other, i, '2026-03-02') === computeVerificationCode(key, i, '2026-03-02')).length).toBeLessThan(3);
  });

  it('changes at midnight in Paris, not in UTC', () => {
    expect(verificationDay(new Date('2026-03-01T22:59:00Z'))).toBe('2026-03-01');
    expect(verificationDay(new Date('2026-03-01T23:00:00Z'))).toBe('2026-03-02');
    // Summer time: Paris is UTC+2.
    expect(verificationDay(new Date('2026-07-14T21:59:00Z'))).toBe('2026-07-14');
    expect(verificationDay(new Date('2026-07-14T22:00:00Z'))).toBe('2026-07-15');
  });
});

describe('the verification code in the console and the portal', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv(PORTAL_TEST_ENV);
  });
  afterAll(async () => env?.close());

  it('is the same on the staff ticket view, the portal and a second app node', async () => {
    const r = await newRequest(env.relais.app, { name: 'Gisèle', email: 'gisele@exemple.fr', description: 'Un monsieur dit être de ma banque' });
    const staffView = await call(env.relais.app, 'GET', `/api/v1/tickets/${r.body.number}`, { auth: env.staff.n2.auth });
    expect(staffView.body.verificationCode).toMatch(/^\d{4}$/);
    const node2 = await env.startNode();
    const onNode2 = await call(node2.app, 'GET', `/api/v1/tickets/${r.body.number}`, { auth: env.staff.n2.auth });
    const portalView = await portal(node2.app, 'GET', `/requests/${r.body.number}`, { token: r.body.portalToken });
    expect(new Set([r.body.verificationCode, staffView.body.verificationCode, onNode2.body.verificationCode, portalView.body.verificationCode]).size).toBe(1);
    // Tomorrow's code is another one (with overwhelming probability; checked over several tickets above).
    const tomorrow = await verificationCodeFor(env.relais.ctx.db, staffView.body.id, new Date(Date.now() + 86400_000));
    expect(tomorrow).toMatch(/^\d{4}$/);
    // Lists do not carry it; the single-ticket answers do.
    const list = await call(env.relais.app, 'GET', '/api/v1/tickets', { auth: env.staff.n2.auth });
    expect(list.body.items[0].verificationCode).toBeUndefined();
    const afterAssign = await call(env.relais.app, 'POST', `/api/v1/tickets/${r.body.number}/assign`, { auth: env.staff.n2.auth, body: { assigneeId: 'me' } });
    expect(afterAssign.status, JSON.stringify(afterAssign.body)).toBe(200);
    expect(afterAssign.body.verificationCode).toBe(staffView.body.verificationCode);
  });
});

describe('the portal cookie', () => {
  it('is Secure when the public address is https', () => {
    const calls: unknown[][] = [];
    const reply = { setCookie: (...a: unknown[]) => calls.push(a) } as never;
    setPortalCookie(reply, { publicUrl: 'https://aide.exemple.fr' }, 'rlp_x', new Date());
    setPortalCookie(reply, { publicUrl: 'http://127.0.0.1:3000' }, 'rlp_x', new Date());
    expect(calls.map((c) => (c[2] as { secure: boolean; httpOnly: boolean; sameSite: string }).secure)).toEqual([true, false]);
    expect(calls[0]![2]).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/api/v1/portal' });
  });
});

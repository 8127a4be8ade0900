import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../test/helpers/app';
import { loadConfig } from '../config';
import { expectPortalError, PORTAL_TEST_ENV, portal } from '../domains/portal/portal-test-kit';

describe('RELAIS_TRUST_PROXY', () => {
  it('is off by default and reads true, a number of hops, or addresses and CIDR ranges', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ RELAIS_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ RELAIS_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ RELAIS_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(() => loadConfig({ RELAIS_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/RELAIS_TRUST_PROXY.*10\.0\.0\.0\/33/);
    expect(() => loadConfig({ RELAIS_TRUST_PROXY: 'mon-proxy' })).toThrow(/RELAIS_TRUST_PROXY/);
    expect(() => loadConfig({ RELAIS_TRUST_PROXY: '99' })).toThrow(/RELAIS_TRUST_PROXY/);
  });
});

/** Five magic-link requests per address and hour (PORTAL_TEST_ENV); the sixth is refused. */
async function exhaust(env: TestEnv, proxy: string, forwardedFor: string) {
  const send = () => portal(env.relais.app, 'POST', '/magic-links', { body: { email: 'personne@exemple.fr' }, ip: proxy, headers: { 'x-forwarded-for': forwardedFor } });
  for (let i = 0; i < 5; i++) expect((await send()).status).toBe(202);
  expectPortalError(await send(), 429, 'TOO_MANY_REQUESTS');
}

describe('client addresses behind a reverse proxy', () => {
  let behind: TestEnv;
  let direct: TestEnv;
  beforeAll(async () => {
    [behind, direct] = await Promise.all([startTestEnv({ ...PORTAL_TEST_ENV, RELAIS_TRUST_PROXY: '192.0.2.10' }), startTestEnv(PORTAL_TEST_ENV)]);
  });
  afterAll(async () => Promise.all([behind?.close(), direct?.close()]));

  it('counts the portal limits per client when the proxy is trusted', async () => {
    await exhaust(behind, '192.0.2.10', '203.0.113.7');
    // Another client through the same proxy still gets through.
    const other = await portal(behind.relais.app, 'POST', '/magic-links', { body: { email: 'personne@exemple.fr' }, ip: '192.0.2.10', headers: { 'x-forwarded-for': '203.0.113.8' } });
    expect(other.status).toBe(202);
  });

  it('ignores X-Forwarded-For from anyone else, so a client cannot pick its address', async () => {
    await exhaust(behind, '198.51.100.4', '203.0.113.20');
    const spoofed = await portal(behind.relais.app, 'POST', '/magic-links', { body: { email: 'personne@exemple.fr' }, ip: '198.51.100.4', headers: { 'x-forwarded-for': '203.0.113.21' } });
    expectPortalError(spoofed, 429, 'TOO_MANY_REQUESTS');
    // Without RELAIS_TRUST_PROXY the header is never believed.
    await exhaust(direct, '198.51.100.5', '203.0.113.30');
    expectPortalError(await portal(direct.relais.app, 'POST', '/magic-links', { body: { email: 'personne@exemple.fr' }, ip: '198.51.100.5', headers: { 'x-forwarded-for': '203.0.113.31' } }), 429, 'TOO_MANY_REQUESTS');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../test/helpers/app';
import { call } from '../../../test/helpers/http';

let env: TestEnv;
let ticket: { id: string; number: string };
beforeAll(async () => {
  env = await startTestEnv();
  ticket = (await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Base', channel: 'phone', contact: { name: 'Base', phone: '0600000001' } } })).body;
});
afterAll(async () => env?.close());

// Values a client can send: every JSON type, edge numbers, long and odd strings.
const JUNK: unknown[] = [
  null, true, 0, -1, 1.5, 1e308, '', ' ', 'x'.repeat(10_000), '😀', '\u0000', "'; drop table tickets; --", [], [null], {}, { a: {} },
  { status: null }, { to: 4, reason: 'x' }, { to: '2', reason: 'xx' }, { assigneeId: 42 }, { body: {}, visibility: 'public' },
  { subject: ['x'], channel: 'phone', contact: { name: 'x', phone: 123 } }, { contact: { phones: 'x' } }, { checked: 'yes' },
  { email: null, password: null }, { items: [1] }, { timezone: 1, slots: 'x', holidays: [], closures: {} },
];

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

describe('the API contract', () => {
  it('publishes an OpenAPI 3 document and a browsable page', async () => {
    const doc = await call(env.relais.app, 'GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/tickets', '/api/v1/tickets/{ref}', '/api/v1/tickets/{ref}/escalate', '/api/v1/tickets/{ref}/cyber-emergency', '/api/v1/contacts', '/api/v1/business-hours/status', '/api/v1/auth/tokens']) {
      expect(Object.keys(doc.body.paths)).toContain(p);
    }
    const page = await env.relais.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('answers /health', async () => {
    const res = await call(env.relais.app, 'GET', '/health');
    expect(res.body).toMatchObject({ status: 'ok', db: true });
  });

  it('denies every staff route to anonymous callers and technicians where they have no business', async () => {
    const doc = (await call(env.relais.app, 'GET', '/api/openapi.json')).body as OpenApi;
    const publicRoutes = new Set(['POST /api/v1/auth/tokens', 'GET /api/v1/business-hours/status']);
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const key = `${method.toUpperCase()} ${p}`;
        // Public by design: login, opening hours, the help centre; the portal and the
        // provider webhooks authenticate their callers themselves (session, signatures).
        if (publicRoutes.has(key) || p.startsWith('/api/v1/help/') || p.startsWith('/api/v1/portal/') || p.startsWith('/webhooks/')) continue;
        const url = p.replace('{ref}', ticket.id).replace('{id}', '00000000-0000-4000-8000-000000000000').replace('{itemId}', '00000000-0000-4000-8000-000000000000').replace('{slug}', 'cloud');
        const res = await call(env.relais.app, method.toUpperCase(), url, { body: method === 'get' ? undefined : {} });
        expect(res.status, key).toBe(401);
      }
    }
  });

  it('never answers 500, whatever JSON is sent to any route', async () => {
    const doc = (await call(env.relais.app, 'GET', '/api/openapi.json')).body as OpenApi;
    const failures: string[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        if (method === 'get' || method === 'delete') continue;
        for (const ref of [ticket.number, 'NUM-1', 'x']) {
          const url = p.replace('{ref}', ref).replace('{id}', env.staff.n1.id).replace('{itemId}', 'nope').replace('{slug}', 'cloud');
          for (const junk of JUNK) {
            const res = await env.relais.app.inject({
              method: method.toUpperCase() as 'POST',
              url,
              headers: { ...env.staff.admin.auth, 'content-type': 'application/json' },
              payload: JSON.stringify(junk),
            });
            if (res.statusCode >= 500) failures.push(`${method.toUpperCase()} ${url} ${JSON.stringify(junk).slice(0, 60)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
            else if (res.statusCode >= 400) expect(JSON.parse(res.body).error.code, `${method} ${url}`).toMatch(/^[A-Z_]+$/);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // Query strings too.
    for (const q of ['status=zzz', 'level=9', 'limit=-1', 'cyberEmergency=maybe', 'q=' + encodeURIComponent("%' or 1=1 --"), 'q=' + 'é'.repeat(300), 'queue=%00']) {
      const res = await call(env.relais.app, 'GET', `/api/v1/tickets?${q}`, { auth: env.staff.n1.auth });
      expect(res.status, q).toBeLessThan(500);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../../test/helpers/app';
import { usingPostgres } from '../../../../../test/helpers/database';
import { call } from '../../../../../test/helpers/http';
import { connectRealtime, type WsClient } from '../../../../../test/helpers/ws';
import { businessCalendars } from '../../queues/queue.schema';
import { computeTwilioSignature } from '../twilio/signature';

const SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH = 'twilio-auth-calls';
const BASE = 'https://relais.example';
const OUR_NUMBER = '+33159000000';

let env: TestEnv;
let url: string;
const sockets: WsClient[] = [];

beforeAll(async () => {
  env = await startTestEnv({ PUBLIC_URL: BASE, TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: AUTH, TWILIO_PHONE_NUMBER: OUR_NUMBER, TWILIO_API_URL: 'http://127.0.0.1:9' });
  // Open at every hour, so the menu (not the closed message) answers.
  await env.relais.ctx.db.update(businessCalendars).set({ slots: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })) as never, holidays: null, closures: [] });
  env.relais.ctx.cache.clear();
  url = await env.relais.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await env?.close();
});

async function twilioPost(path: string, params: Record<string, string>) {
  return env.relais.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': computeTwilioSignature(AUTH, `${BASE}${path}`, params) },
    payload: new URLSearchParams(params).toString(),
  });
}
const callParams = (callSid: string, from: string, extra: Record<string, string> = {}) => ({ AccountSid: SID, CallSid: callSid, From: from, To: OUR_NUMBER, CallStatus: 'in-progress', Direction: 'inbound', ApiVersion: '2010-04-01', ...extra });
const actionOf = (twiml: string) => /<Gather[^>]*action="([^"]+)"/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');
const isKind = (kind: string, callSid: string) => (m: { type: string; notification?: { kind: string; data?: { callSid?: string } } }) => m.type === 'notification' && m.notification?.kind === kind && m.notification.data?.callSid === callSid;

describe(`incoming calls in the console (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('shows the caller with their open requests, then only to the chosen queue’s agents, and takes it off when the call ends', async () => {
    // A known client with a request in progress.
    const t = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Sauvegarde en ligne bloquée', channel: 'phone', contact: { name: 'Gérard Lenoir', phone: '06 77 88 99 00' } } });
    expect(t.status).toBe(201);
    const n1 = await connectRealtime(url, env.staff.n1.token);
    const n2 = await connectRealtime(url, env.staff.n2.token);
    const sup = await connectRealtime(url, env.staff.supervisor.token);
    const tech = await connectRealtime(url, env.staff.technician.token);
    sockets.push(n1, n2, sup, tech);

    const sid = 'CAcallnotif000000000000000000001';
    const first = await twilioPost('/webhooks/twilio/voice', callParams(sid, '+33677889900'));
    expect(first.statusCode).toBe(200);
    // While the caller listens to the menu: every agent and supervisor sees who is calling.
    for (const ws of [n1, n2, sup]) {
      const m = await ws.waitFor(isKind('call.incoming', sid));
      expect(m.notification.data.contact.name).toBe('Gérard Lenoir');
      expect(m.notification.data.tickets.map((x: { number: string }) => x.number)).toEqual([t.body.number]);
    }

    // The caller presses 2: Cloud, a level-2 queue.
    const menu = actionOf(first.body)!.slice(BASE.length);
    const chose = await twilioPost(menu, callParams(sid, '+33677889900', { Digits: '2' }));
    expect(chose.statusCode).toBe(200);
    const queued = await n2.waitFor(isKind('call.queued', sid));
    expect(queued.notification).toMatchObject({ title: 'Appel entrant (Cloud) : Gérard Lenoir', number: expect.stringMatching(/^NUM-/) });
    expect(queued.notification.data).toMatchObject({ from: '+33677889900', contact: { name: 'Gérard Lenoir' }, queue: { name: 'Cloud', level: 2 } });
    expect(queued.notification.data.tickets.map((x: { number: string }) => x.number)).toContain(queued.notification.number);
    await sup.waitFor(isKind('call.queued', sid));
    // Everyone first drops the menu card; the level-1 agent gets no queue card.
    await n1.waitFor(isKind('call.routed', sid));
    await new Promise((r) => setTimeout(r, 300));
    expect(n1.messages.some(isKind('call.queued', sid))).toBe(false);
    expect(tech.messages.some((m) => m.type === 'notification' && String(m.notification.kind).startsWith('call.'))).toBe(false);
    // Quiet signals are marked so the console does not show them as alerts.
    expect((await n1.waitFor(isKind('call.routed', sid))).notification.quiet).toBe(true);

    // The call ends: every console takes it off.
    const ended = await twilioPost('/webhooks/twilio/voice/status', callParams(sid, '+33677889900', { CallStatus: 'completed', CallDuration: '95' }));
    expect(ended.statusCode).toBeLessThan(300);
    for (const ws of [n1, n2, sup]) expect((await ws.waitFor(isKind('call.ended', sid))).notification.quiet).toBe(true);
  });
});

describe('callbacks in the console, live', () => {
  it('signals every desk console when a callback is planned or done', async () => {
    const watcher = await connectRealtime(url, env.staff.n2.token);
    sockets.push(watcher);
    const t = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Rappel', channel: 'phone', contact: { name: 'Ana', phone: '06 77 88 99 11' } } });
    const cb = await call(env.relais.app, 'POST', '/api/v1/callbacks', { auth: env.staff.n1.auth, body: { ticket: t.body.number, ownerId: env.staff.n1.id } });
    expect(cb.status).toBe(201);
    const changed = (id: string) => (m: { type: string; notification?: { kind: string; quiet?: boolean; data?: { callbackId?: string } } }) => m.type === 'notification' && m.notification?.kind === 'callback.changed' && m.notification.data?.callbackId === id && m.notification.quiet === true;
    await watcher.waitFor(changed(cb.body.id));
    const before = watcher.messages.filter(changed(cb.body.id)).length;
    const done = await call(env.relais.app, 'POST', `/api/v1/callbacks/${cb.body.id}/complete`, { auth: env.staff.n1.auth, body: { outcome: 'reached', note: 'Problème réglé' } });
    expect(done.status).toBe(200);
    await watcher.waitFor((m) => watcher.messages.filter(changed(cb.body.id)).length > before && changed(cb.body.id)(m));
  });
});

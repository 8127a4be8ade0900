import { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../../test/helpers/app';
import { call } from '../../../../../test/helpers/http';
import { businessCalendars } from '../../queues/queue.schema';
import { messages, ticketEvents } from '../../tickets/ticket.schema';
import { callbacks, calls, channelInbox } from '../channel.schema';
import { startFakeServer, until, type FakeServer, type RecordedRequest } from '../testing/fake-server';
import { computeTwilioSignature } from './signature';

const SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH = 'twilio-auth-token-test';
const OUR_NUMBER = '+33159000000';
const BASE = 'https://relais.example';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f60000000049454e44ae426082', 'hex');

let env: TestEnv;
let twilio: FakeServer;
let smsCount = 0;
const basic = `Basic ${Buffer.from(`${SID}:${AUTH}`).toString('base64')}`;

/** Twilio's 2010-04-01 REST API as documented: basic auth, form-encoded body, JSON answer. */
function twilioApi(req: RecordedRequest) {
  if (req.headers.authorization !== basic) return { status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } };
  if (req.method === 'POST' && req.path === `/2010-04-01/Accounts/${SID}/Messages.json`) {
    const f = req.form!;
    if (!f.get('To') || !f.get('Body') || (!f.get('From') && !f.get('MessagingServiceSid'))) return { status: 400, body: { code: 21604, message: "A 'To' phone number is required.", status: 400 } };
    return { status: 201, body: { sid: `SM${String(++smsCount).padStart(32, '0')}`, status: 'queued', to: f.get('To'), from: f.get('From'), body: f.get('Body') } };
  }
  if (req.method === 'GET' && req.path.startsWith(`/2010-04-01/Accounts/${SID}/Messages/`) && req.path.includes('/Media/')) return { headers: { 'content-type': 'image/png' }, body: PNG };
  return { status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } };
}

beforeAll(async () => {
  twilio = await startFakeServer(twilioApi);
  env = await startTestEnv({ RELAIS_JOBS: 'true', PUBLIC_URL: BASE, TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: AUTH, TWILIO_API_URL: twilio.url, TWILIO_PHONE_NUMBER: OUR_NUMBER });
});
afterAll(async () => {
  await env?.close();
  await twilio?.close();
});

/** Opening hours that are open right now, or that open at 09:00 on the next weekday. */
async function setHours(open: boolean) {
  const now = DateTime.now().setZone('Europe/Paris');
  const slots = open ? [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })) : [{ weekday: (now.weekday % 7) + 1, start: '09:00', end: '12:00' }];
  await env.relais.ctx.db.update(businessCalendars).set({ slots: slots as never, holidays: null, closures: [] });
  env.relais.ctx.cache.clear();
}

/** Posts a form signed the way Twilio signs it: HMAC-SHA1 over the public URL and the sorted fields. */
async function twilioPost(pathAndQuery: string, params: Record<string, string>, signature?: string) {
  const url = pathAndQuery.startsWith('http') ? pathAndQuery : `${BASE}${pathAndQuery}`;
  const path = url.slice(BASE.length);
  return env.relais.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature ?? computeTwilioSignature(AUTH, url, params) },
    payload: new URLSearchParams(params).toString(),
  });
}

const callParams = (callSid: string, from: string, extra: Record<string, string> = {}) => ({ AccountSid: SID, CallSid: callSid, From: from, To: OUR_NUMBER, CallStatus: 'in-progress', Direction: 'inbound', ApiVersion: '2010-04-01', ...extra });
const actionOf = (twiml: string) => /<Gather[^>]*action="([^"]+)"/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');
const ticketOfCall = async (callSid: string) => (await env.relais.ctx.db.select().from(calls).where(eq(calls.callSid, callSid)))[0];
const eventsOf = async (ticketId: string) => (await env.relais.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId))).map((e) => e.type);

describe('phone: IVR webhooks', () => {
  beforeEach(() => setHours(true));

  it('refuses a call webhook with a bad or missing X-Twilio-Signature (401), nothing stored', async () => {
    expect((await twilioPost('/webhooks/twilio/voice', callParams('CAforged', '+33612000001'), 'bm90IHRoZSByaWdodCBzaWduYXR1cmU=')).statusCode).toBe(401);
    const unsigned = await env.relais.app.inject({ method: 'POST', url: '/webhooks/twilio/voice', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(callParams('CAforged', '+33612000001')).toString() });
    expect(unsigned.statusCode).toBe(401);
    // Signed for another URL (the signature binds the public URL).
    const other = computeTwilioSignature(AUTH, 'https://evil.example/webhooks/twilio/voice', callParams('CAforged', '+33612000001'));
    expect((await twilioPost('/webhooks/twilio/voice', callParams('CAforged', '+33612000001'), other)).statusCode).toBe(401);
    expect(await ticketOfCall('CAforged')).toBeUndefined();
    expect((await twilioPost('/webhooks/twilio/voice', { AccountSid: SID })).statusCode).toBe(400);
  });

  it('plays the French menu built from the queues: keys 1–4, 0 for an adviser, 9 to repeat', async () => {
    const res = await twilioPost('/webhooks/twilio/voice', callParams('CA100', '+33612000001'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/xml');
    const xml = res.body;
    expect(xml).toMatch(/<Gather [^>]*numDigits="1"/);
    expect(xml).toContain('<Say language="fr-FR">Pour Logiciels, tapez 1.</Say>');
    for (const s of ['Pour Cloud, tapez 2.', 'Pour Commercial, tapez 3.', 'Pour Administratif, tapez 4.', 'Pour parler à un conseiller, tapez 0.', 'Pour réécouter ce message, tapez 9.']) expect(xml).toContain(s);
    expect(xml).toContain('<Pause length="1"/>');
    expect(actionOf(xml)).toBe(`${BASE}/webhooks/twilio/voice/menu?step=menu&try=0`);
    expect(await ticketOfCall('CA100')).toMatchObject({ fromNumber: '+33612000001', outcome: 'ivr' });

    const again = await twilioPost(actionOf(xml)!, callParams('CA100', '+33612000001', { Digits: '9' }));
    expect(again.body).toContain('Je répète.');
    const wrong = await twilioPost(actionOf(xml)!, callParams('CA100', '+33612000001', { Digits: '7' }));
    expect(wrong.body).toContain('Ce choix n’existe pas.');
    expect(actionOf(wrong.body)).toContain('try=1');
  });

  it('records the call on a new ticket of the chosen queue, then its duration from the status callback', async () => {
    const menu = await twilioPost('/webhooks/twilio/voice', callParams('CA200', '+33612000002'));
    const chosen = await twilioPost(actionOf(menu.body)!, callParams('CA200', '+33612000002', { Digits: '2' }));
    expect(chosen.statusCode).toBe(200);
    // No desk phone configured: callback or voicemail is offered.
    expect(chosen.body).toContain('Pour être rappelé par un conseiller, tapez 1.');
    const c = await ticketOfCall('CA200');
    expect(c!.ticketId).toBeTruthy();
    const t = (await call(env.relais.app, 'GET', `/api/v1/tickets/${c!.ticketId}`, { auth: env.staff.n1.auth })).body;
    expect(t).toMatchObject({ channel: 'phone', queue: { slug: 'cloud' }, contact: { phones: ['+33612000002'] } });
    const status = await twilioPost('/webhooks/twilio/voice/status', callParams('CA200', '+33612000002', { CallStatus: 'completed', CallDuration: '95' }));
    expect(status.statusCode).toBe(204);
    await twilioPost('/webhooks/twilio/voice/status', callParams('CA200', '+33612000002', { CallStatus: 'completed', CallDuration: '95' }));
    expect(await ticketOfCall('CA200')).toMatchObject({ durationSeconds: 95, status: 'completed' });
    expect((await eventsOf(c!.ticketId!)).filter((e) => e === 'call.ended')).toHaveLength(1);
    expect(await eventsOf(c!.ticketId!)).toContain('call.received');

    // The caller's next call, same queue: the same open ticket.
    const menu2 = await twilioPost('/webhooks/twilio/voice', callParams('CA201', '+33612000002'));
    await twilioPost(actionOf(menu2.body)!, callParams('CA201', '+33612000002', { Digits: '2' }));
    expect((await ticketOfCall('CA201'))!.ticketId).toBe(c!.ticketId);
  });

  it('takes a callback request from the menu: owned by an agent, due now while open, listed and closed with its outcome', async () => {
    const menu = await twilioPost('/webhooks/twilio/voice', callParams('CA300', '+33612000003'));
    const offer = await twilioPost(actionOf(menu.body)!, callParams('CA300', '+33612000003', { Digits: '1' }));
    const done = await twilioPost(actionOf(offer.body)!, callParams('CA300', '+33612000003', { Digits: '1' }));
    expect(done.body).toContain('Un conseiller va vous rappeler dès que possible.');
    expect(done.body).toContain('<Hangup/>');
    // Twilio retries: still one callback.
    await twilioPost(actionOf(offer.body)!, callParams('CA300', '+33612000003', { Digits: '1' }));
    const rows = await env.relais.ctx.db.select().from(callbacks).where(eq(callbacks.callSid, 'CA300'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ phone: '+33612000003', source: 'ivr', status: 'pending' });
    expect(rows[0]!.ownerId).toBeTruthy();

    const list = await call(env.relais.app, 'GET', '/api/v1/callbacks', { auth: env.staff.n1.auth });
    expect(list.status).toBe(200);
    const item = (list.body.items as { id: string; phone: string; owner: { id: string } | null }[]).find((i) => i.id === rows[0]!.id);
    expect(item).toMatchObject({ phone: '+33612000003' });
    const closed = await call(env.relais.app, 'POST', `/api/v1/callbacks/${rows[0]!.id}/complete`, { auth: env.staff.n1.auth, body: { outcome: 'reached', note: 'Réglé au téléphone' } });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'done', outcome: 'reached', note: 'Réglé au téléphone' });
    const twice = await call(env.relais.app, 'POST', `/api/v1/callbacks/${rows[0]!.id}/complete`, { auth: env.staff.n1.auth, body: { outcome: 'reached' } });
    expect(twice.status).toBe(409);
  });
});

describe('phone: out of hours', () => {
  beforeEach(() => setHours(false));

  it('reads the opening hours, then offers a callback at the next opening', async () => {
    const res = await twilioPost('/webhooks/twilio/voice', callParams('CA400', '+33612000004'));
    expect(res.body).toContain('La hotline est fermée pour le moment.');
    expect(res.body).toMatch(/Nos horaires : Le (lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche), de 9 heures à midi\./);
    const done = await twilioPost(actionOf(res.body)!, callParams('CA400', '+33612000004', { Digits: '1' }));
    expect(done.body).toMatch(/Un conseiller vous rappellera (demain|[a-z]+) à 9 heures\./);
    const [cb] = await env.relais.ctx.db.select().from(callbacks).where(eq(callbacks.callSid, 'CA400'));
    const local = DateTime.fromJSDate(cb!.dueAt).setZone('Europe/Paris');
    expect(local.toFormat('HH:mm')).toBe('09:00');
    expect(cb!.dueAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('records a voicemail and puts the recording URL on the caller’s ticket', async () => {
    const res = await twilioPost('/webhooks/twilio/voice', callParams('CA500', '+33612000005'));
    const prompt = await twilioPost(actionOf(res.body)!, callParams('CA500', '+33612000005', { Digits: '2' }));
    expect(prompt.body).toMatch(/<Record action="https:\/\/relais\.example\/webhooks\/twilio\/voice\/recording" method="POST" maxLength="180"[^>]*playBeep="true"/);
    const recUrl = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Recordings/RE0001`;
    const rec = await twilioPost('/webhooks/twilio/voice/recording', callParams('CA500', '+33612000005', { RecordingUrl: recUrl, RecordingSid: 'RE0001', RecordingDuration: '34' }));
    expect(rec.body).toContain('votre message est bien enregistré');
    const c = await ticketOfCall('CA500');
    expect(c).toMatchObject({ recordingUrl: recUrl, outcome: 'voicemail' });
    const items = (await call(env.relais.app, 'GET', `/api/v1/tickets/${c!.ticketId}/messages`, { auth: env.staff.n1.auth })).body.items as { body: string }[];
    expect(items.map((m) => m.body)).toContain(`Message vocal (34 s) : ${recUrl}`);
    expect(await eventsOf(c!.ticketId!)).toContain('voicemail.received');
  });
});

describe('SMS', () => {
  const sms = (sid: string, from: string, body: string, extra: Record<string, string> = {}) => ({ ToCountry: 'FR', SmsMessageSid: sid, NumMedia: '0', SmsSid: sid, SmsStatus: 'received', Body: body, To: OUR_NUMBER, NumSegments: '1', MessageSid: sid, AccountSid: SID, From: from, ApiVersion: '2010-04-01', ...extra });
  const smsSentTo = (to: string) => twilio.requests.filter((r) => r.method === 'POST' && r.form?.get('To') === to);
  async function ticketOfSms(sid: string) {
    const [m] = await until(async () => {
      const rows = await env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, sid));
      return rows.length ? rows : null;
    }, 25_000, `sms ${sid}`);
    return (await call(env.relais.app, 'GET', `/api/v1/tickets/${m!.ticketId}`, { auth: env.staff.n1.auth })).body as { id: string; number: string; status: string };
  }

  it('refuses a bad signature (401) and a form without MessageSid (400), storing nothing', async () => {
    const before = (await env.relais.ctx.db.select().from(channelInbox)).length;
    expect((await twilioPost('/webhooks/twilio/sms', sms('SMforged', '+33612000010', 'x'), 'AAAA')).statusCode).toBe(401);
    expect((await twilioPost('/webhooks/twilio/sms', { From: '+33612000010', To: OUR_NUMBER, Body: 'x' })).statusCode).toBe(400);
    expect((await env.relais.ctx.db.select().from(channelInbox)).length).toBe(before);
  });

  it('makes a ticket of an SMS, confirms it by SMS through the Twilio API, once even if Twilio retries', async () => {
    const first = await twilioPost('/webhooks/twilio/sms', sms('SM0001', '+33612000011', 'Bonjour, ma box internet clignote en rouge'));
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<Response></Response>');
    await twilioPost('/webhooks/twilio/sms', sms('SM0001', '+33612000011', 'Bonjour, ma box internet clignote en rouge'));
    const t = await ticketOfSms('SM0001');
    expect(await env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, 'SM0001'))).toHaveLength(1);
    const [confirm] = await until(async () => {
      const r = smsSentTo('+33612000011');
      return r.length ? r : null;
    });
    expect(confirm!.form!.get('From')).toBe(OUR_NUMBER);
    expect(confirm!.form!.get('Body')).toContain(t.number);
    expect(confirm!.form!.get('Body')).toMatch(/https:\/\/relais\.example\/mes-demandes\?t=[A-Za-z0-9_-]{32}/);
    expect(confirm!.form!.get('StatusCallback')).toBe(`${BASE}/webhooks/twilio/sms/status`);
  });

  it('downloads MMS media with the account credentials', async () => {
    await twilioPost('/webhooks/twilio/sms', sms('MM0002', '+33612000012', 'La photo', { NumMedia: '1', MediaUrl0: `${twilio.url}/2010-04-01/Accounts/${SID}/Messages/MM0002/Media/ME0001`, MediaContentType0: 'image/png' }));
    const t = await ticketOfSms('MM0002');
    const files = (await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}/attachments`, { auth: env.staff.n1.auth })).body.items as { contentType: string; filename: string }[];
    expect(files).toEqual([expect.objectContaining({ contentType: 'image/png', filename: 'mms-1.png' })]);
    expect(twilio.requests.find((r) => r.path.endsWith('/Media/ME0001'))!.headers.authorization).toBe(basic);
  });

  it('sends a console reply by SMS and follows its status callbacks', async () => {
    await twilioPost('/webhooks/twilio/sms', sms('SM0003', '+33612000013', 'Allô ?'));
    const t = await ticketOfSms('SM0003');
    const reply = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/messages`, { auth: env.staff.n1.auth, body: { body: 'Bonjour, redémarrez la box puis dites-moi.', visibility: 'public' } });
    const [row] = await until(async () => {
      const r = await env.relais.ctx.db.select().from(messages).where(eq(messages.id, reply.body.id));
      return r[0]?.deliveryStatus === 'sent' ? r : null;
    });
    expect(smsSentTo('+33612000013').some((r) => r.form!.get('Body') === 'Bonjour, redémarrez la box puis dites-moi.')).toBe(true);
    const status = (s: string, extra: Record<string, string> = {}) => ({ AccountSid: SID, MessageSid: row!.providerMessageId!, MessageStatus: s, SmsSid: row!.providerMessageId!, SmsStatus: s, To: '+33612000013', From: OUR_NUMBER, ApiVersion: '2010-04-01', ...extra });
    expect((await twilioPost('/webhooks/twilio/sms/status', status('delivered'))).statusCode).toBe(204);
    await until(async () => (await env.relais.ctx.db.select().from(messages).where(eq(messages.id, reply.body.id)))[0]?.deliveryStatus === 'delivered');

    const reply2 = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/messages`, { auth: env.staff.n1.auth, body: { body: 'Second message', visibility: 'public' } });
    const [row2] = await until(async () => {
      const r = await env.relais.ctx.db.select().from(messages).where(eq(messages.id, reply2.body.id));
      return r[0]?.deliveryStatus === 'sent' ? r : null;
    });
    await twilioPost('/webhooks/twilio/sms/status', { ...status('undelivered', { ErrorCode: '30003', ErrorMessage: 'Unreachable destination handset' }), MessageSid: row2!.providerMessageId!, SmsSid: row2!.providerMessageId! });
    const failed = await until(async () => {
      const r = (await env.relais.ctx.db.select().from(messages).where(eq(messages.id, reply2.body.id)))[0];
      return r?.deliveryStatus === 'failed' ? r : null;
    });
    expect(failed.deliveryError).toContain('30003');
  });

  it('takes a digit after the resolution as the satisfaction answer, and any other answer as a reopening', async () => {
    await twilioPost('/webhooks/twilio/sms', sms('SM0004', '+33612000014', 'Mon ordinateur est lent'));
    const t = await ticketOfSms('SM0004');
    const r = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/status`, { auth: env.staff.n1.auth, body: { status: 'resolved' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await twilioPost('/webhooks/twilio/sms', sms('SM0005', '+33612000014', '5'));
    const after = await ticketOfSms('SM0005');
    expect(after).toMatchObject({ id: t.id, status: 'resolved' });
    expect(await eventsOf(t.id)).toContain('rating.added');
    const portalView = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}/events`, { auth: env.staff.n1.auth });
    expect((portalView.body.items as { type: string; data: { score?: number } }[]).find((e) => e.type === 'rating.added')!.data.score).toBe(5);
    await twilioPost('/webhooks/twilio/sms', sms('SM0006', '+33612000014', 'En fait ça recommence ce matin'));
    expect(await ticketOfSms('SM0006')).toMatchObject({ id: t.id, status: 'open' });
  });
});

describe('callbacks API', () => {
  beforeEach(() => setHours(false));

  it('refuses a time outside business hours and plans one at the next opening by default', async () => {
    const t = (await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Rappel', channel: 'phone', contact: { name: 'Rémi', phone: '0612000020' } } })).body;
    const now = DateTime.now().setZone('Europe/Paris');
    const closedAt = now.plus({ days: 1 }).set({ hour: 20, minute: 0 });
    const refused = await call(env.relais.app, 'POST', '/api/v1/callbacks', { auth: env.staff.n1.auth, body: { ticket: t.number, dueAt: closedAt.toISO() } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('CALLBACK_OUTSIDE_HOURS');
    const ok = await call(env.relais.app, 'POST', '/api/v1/callbacks', { auth: env.staff.n1.auth, body: { ticket: t.number, reason: 'Rappeler pour la facture', ownerId: env.staff.n2.id } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ phone: '+33612000020', owner: { id: env.staff.n2.id }, ticket: { number: t.number }, source: 'console', status: 'pending' });
    expect(DateTime.fromISO(ok.body.dueAt).setZone('Europe/Paris').toFormat('HH:mm')).toBe('09:00');
    const moved = await call(env.relais.app, 'PATCH', `/api/v1/callbacks/${ok.body.id}`, { auth: env.staff.supervisor.auth, body: { ownerId: env.staff.n1.id } });
    expect(moved.status).toBe(200);
    expect(moved.body.owner.id).toBe(env.staff.n1.id);
    const mine = await call(env.relais.app, 'GET', '/api/v1/callbacks?owner=me', { auth: env.staff.n1.auth });
    expect((mine.body.items as { id: string }[]).map((i) => i.id)).toContain(ok.body.id);
    expect((await call(env.relais.app, 'GET', '/api/v1/callbacks', {})).status).toBe(401);
    expect((await call(env.relais.app, 'POST', '/api/v1/callbacks', { auth: env.staff.n1.auth, body: {} })).status).toBe(422);
  });
});

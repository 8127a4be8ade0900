import fs from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../../test/helpers/app';
import { call } from '../../../../../test/helpers/http';
import { buildApp, type RelaisApp } from '../../../app';
import { loadConfig } from '../../../config';
import { settings } from '../../queues/queue.schema';
import { emailTransport, twilioClient, whatsappClient } from '../providers';
import { postWhatsApp, waText } from '../testing/channel-test-kit';
import { startFakeGraph, type FakeGraph } from '../testing/fake-graph';
import { startFakeServer, until, type FakeServer } from '../testing/fake-server';
import { computeTwilioSignature } from '../twilio/signature';
import { loadProviderSettings, mergeChannels, PROVIDER_SETTING } from './provider-settings';
import { settingsKey, unseal } from './settings-crypto';

const BASE = 'https://hotline.numi.example';
const PHONE_ID = '106540352242922';
const APP_SECRET = 'app-secret-saved-from-the-screen';
const VERIFY = 'verify-token-from-the-screen';
const OLD_TOKEN = 'EAAG-old-token-never-shown';
const NEW_TOKEN = 'EAAG-new-token-never-shown';
const SID = 'AC0123456789abcdef0123456789abcdef';
const TW_TOKEN = 'twilio-auth-token-never-shown';
const SMTP_PASSWORD = 'mot de passe smtp/à:garder';

let env: TestEnv;
let node2: RelaisApp;
let graph: FakeGraph;
let twilio: FakeServer;

beforeAll(async () => {
  graph = await startFakeGraph({ token: NEW_TOKEN, phoneNumberId: PHONE_ID });
  twilio = await startFakeServer((req) => {
    if (req.headers.authorization !== `Basic ${Buffer.from(`${SID}:${TW_TOKEN}`).toString('base64')}`) return { status: 401, body: { code: 20003, message: 'Authenticate' } };
    return { status: 201, body: { sid: 'SM00000000000000000000000000000001', status: 'queued' } };
  });
  env = await startTestEnv({ PUBLIC_URL: BASE });
  // Another app node on the same database with its own configuration object (startNode shares
  // the first node's), as a second server would have: only NOTIFY can tell it of a change.
  node2 = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', RELAIS_DATA_DIR: env.dataDir, RELAIS_JOBS: 'false', PUBLIC_URL: BASE }), database: await env.testDb.openAnother(), migrate: false });
});
afterAll(async () => {
  await node2?.close();
  await env?.close();
  await graph?.close();
  await twilio?.close();
});

const admin = () => env.staff.admin.auth;
const status = async () => (await call(env.relais.app, 'GET', '/api/v1/settings/channels', { auth: admin() })).body;
async function storedRow(): Promise<string> {
  const [row] = await env.relais.ctx.db.select().from(settings).where(eq(settings.key, PROVIDER_SETTING));
  return JSON.stringify(row?.value ?? null);
}
const handshake = (app: RelaisApp, token: string) => app.app.inject({ method: 'GET', url: `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444` });

describe('the « Canaux » screen: what is configured, and where each setting comes from', () => {
  it('with nothing set, says what is missing, by variable, and where to point each provider', async () => {
    const s = await status();
    expect(s.publicUrl).toEqual({ value: BASE, https: true, local: false });
    expect(s.secretsKey).toBe('file');
    expect(s.whatsapp).toMatchObject({ configured: false, setByEnvironment: false, webhookUrl: `${BASE}/webhooks/whatsapp`, missing: ['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN'] });
    expect(s.whatsapp.settings.apiUrl).toMatchObject({ source: 'none', value: null });
    expect(s.twilio).toMatchObject({ configured: false, voiceUrl: `${BASE}/webhooks/twilio/voice`, smsUrl: `${BASE}/webhooks/twilio/sms`, statusUrl: `${BASE}/webhooks/twilio/voice/status`, missing: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER'] });
    expect(s.email).toMatchObject({ outbound: false, imap: false, from: { variable: 'EMAIL_FROM', source: 'default', value: 'Hotline <support@relais.localhost>', saved: null }, smtp: { source: 'none', inUse: null, saved: null } });
    expect((await call(env.relais.app, 'GET', '/api/v1/settings/channels', { auth: env.staff.supervisor.auth })).status).toBe(403);
  });
});

describe('provider settings saved from the screen', () => {
  it('refuses an incomplete or wrong WhatsApp form field by field, and stores nothing', async () => {
    const res = await call(env.relais.app, 'PUT', '/api/v1/settings/channels/whatsapp', { auth: admin(), body: { phoneNumberId: '12ab', apiUrl: 'graph.facebook.com', appSecret: APP_SECRET } });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('INVALID_CHANNEL_SETTINGS');
    expect((res.body.error.details as { field: string }[]).map((d) => d.field)).toEqual(['body.phoneNumberId', 'body.apiUrl', 'body.verifyToken', 'body.accessToken']);
    expect(await storedRow()).toBe('null');
    expect((await call(env.relais.app, 'PUT', '/api/v1/settings/channels/whatsapp', { auth: env.staff.supervisor.auth, body: { phoneNumberId: PHONE_ID } })).status).toBe(403);
  });

  it('turns WhatsApp on for every node at once: secrets sealed at rest, never returned, used by the webhook and the Graph client', async () => {
    expect((await handshake(node2, VERIFY)).statusCode).toBe(503);
    const res = await call(env.relais.app, 'PUT', '/api/v1/settings/channels/whatsapp', {
      auth: admin(),
      body: { phoneNumberId: ` ${PHONE_ID} `, apiUrl: `${graph.url}/v21.0`, appSecret: APP_SECRET, verifyToken: VERIFY, accessToken: OLD_TOKEN },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.whatsapp).toMatchObject({ configured: true, phoneNumberId: PHONE_ID, missing: [], ignored: [], changed: { by: expect.any(String) } });
    expect(res.body.whatsapp.settings).toMatchObject({
      phoneNumberId: { source: 'admin', value: PHONE_ID, saved: PHONE_ID },
      apiUrl: { source: 'admin', value: `${graph.url}/v21.0` },
      accessToken: { source: 'admin', saved: true, unreadable: false },
    });
    const shown = JSON.stringify(res.body) + JSON.stringify(await status());
    for (const secret of [APP_SECRET, VERIFY, OLD_TOKEN]) expect(shown).not.toContain(secret);

    // At rest: sealed (AES-GCM), the key in the data folder with mode 600, not in the database.
    const row = await storedRow();
    for (const secret of [APP_SECRET, VERIFY, OLD_TOKEN]) expect(row).not.toContain(secret);
    expect(row).toContain(PHONE_ID);
    const keyFile = path.join(env.dataDir, 'secrets', 'settings.key');
    expect((await fs.stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(row).not.toContain((await fs.readFile(keyFile, 'utf8')).trim());

    // The other node follows through NOTIFY, without restart: handshake and signature with the saved secrets.
    expect(node2.ctx.config).not.toBe(env.relais.ctx.config);
    await until(async () => (await handshake(node2, VERIFY)).statusCode === 200, 5000, 'node 2 reloads');
    expect((await handshake(node2, VERIFY)).body).toBe('1158201444');
    expect((await handshake(node2, 'wrong')).statusCode).toBe(403);
    expect((await postWhatsApp({ relais: node2 }, 'not-the-secret', waText(PHONE_ID, 'wamid.PS1', '33612000001', 'Bonjour'))).statusCode).toBe(401);
    expect((await postWhatsApp({ relais: node2 }, APP_SECRET, waText(PHONE_ID, 'wamid.PS1', '33612000001', 'Bonjour'))).statusCode).toBe(200);
  });

  it('replaces one token and keeps the other secrets; the Graph client uses the new token at once', async () => {
    const before = await loadProviderSettings(env.relais.ctx.db, env.relais.ctx.config);
    const res = await call(env.relais.app, 'PUT', '/api/v1/settings/channels/whatsapp', { auth: admin(), body: { phoneNumberId: PHONE_ID, apiUrl: `${graph.url}/v21.0`, accessToken: NEW_TOKEN } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = await loadProviderSettings(env.relais.ctx.db, env.relais.ctx.config);
    expect(after.values).toMatchObject({ WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY, WHATSAPP_ACCESS_TOKEN: NEW_TOKEN });
    expect(before.values.WHATSAPP_ACCESS_TOKEN).toBe(OLD_TOKEN);
    for (const app of [env.relais, node2]) {
      await until(async () => app.ctx.config.channels.whatsapp?.accessToken === NEW_TOKEN, 5000, 'token reloaded');
      const wamid = await whatsappClient(app.ctx.config)!.sendText('33612000002', 'Bonjour, ici la hotline.');
      expect(graph.sent.find((s) => s.wamid === wamid)!.body).toMatchObject({ to: '33612000002', text: { body: 'Bonjour, ici la hotline.' } });
    }
  });

  it('a node with another key cannot read the secrets: the channel stays off there and the screen says why', async () => {
    const other = { ...env.relais.ctx.config, settingsKey: 'une-autre-cle-de-plus-de-trente-deux-caracteres' };
    const state = await loadProviderSettings(env.relais.ctx.db, other);
    expect(state.unreadable.sort()).toEqual(['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN']);
    expect(state.values.WHATSAPP_PHONE_NUMBER_ID).toBe(PHONE_ID);
    const merged = mergeChannels(other, state.values);
    expect(merged.channels.whatsapp).toBeNull();
    expect(merged.ignored.whatsapp!.join(' ')).toContain('WHATSAPP_APP_SECRET');
    // A sealed value is bound to its variable: moved to another field, it does not open.
    const key = await settingsKey(env.relais.ctx.config);
    const raw = JSON.parse(await storedRow()) as { values: Record<string, { sealed: string }> };
    expect(unseal(key, 'WHATSAPP_ACCESS_TOKEN', raw.values.WHATSAPP_ACCESS_TOKEN!)).toBe(NEW_TOKEN);
    expect(unseal(key, 'WHATSAPP_APP_SECRET', raw.values.WHATSAPP_ACCESS_TOKEN!)).toBeNull();
  });

  it('Twilio from the screen: the SMS webhook checks the saved auth token and the SMS client uses it', async () => {
    const res = await call(env.relais.app, 'PUT', '/api/v1/settings/channels/twilio', { auth: admin(), body: { accountSid: SID, phoneNumber: '+33 1 59 00 00 01', agentNumber: '', apiUrl: twilio.url, authToken: TW_TOKEN } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.twilio).toMatchObject({ configured: true, phoneNumber: '+33159000001', agentNumber: null, settings: { authToken: { source: 'admin', saved: true } } });
    expect(JSON.stringify(res.body)).not.toContain(TW_TOKEN);
    const params = { MessageSid: 'SMPS1', AccountSid: SID, From: '+33612000003', To: '+33159000001', Body: 'Bonjour', NumMedia: '0' };
    const sms = (sig: string) => node2.app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig }, payload: new URLSearchParams(params).toString() });
    await until(async () => !!node2.ctx.config.channels.twilio, 5000, 'node 2 reloads');
    expect((await sms(computeTwilioSignature('wrong', `${BASE}/webhooks/twilio/sms`, params))).statusCode).toBe(401);
    expect((await sms(computeTwilioSignature(TW_TOKEN, `${BASE}/webhooks/twilio/sms`, params))).statusCode).toBe(200);
    const sent = await twilioClient(node2.ctx.config)!.sendSms({ to: '+33612000003', from: '+33159000001', body: 'Test' });
    expect(sent.sid).toMatch(/^SM/);
  });

  it('email: the SMTP password is kept when only the server changes, never shown; the transport follows the new address', async () => {
    const first = await call(env.relais.app, 'PUT', '/api/v1/settings/channels/email', {
      auth: admin(),
      body: { from: 'Hotline numi <support@numi.example>', smtp: { host: 'smtp.numi.example', port: 587, security: 'starttls', user: 'hotline@numi.example', password: SMTP_PASSWORD } },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const moved = await call(env.relais.app, 'PUT', '/api/v1/settings/channels/email', {
      auth: admin(),
      body: { from: 'Hotline numi <support@numi.example>', smtp: { host: 'mail.numi.example', port: 465, security: 'tls', user: 'hotline@numi.example' } },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.email).toMatchObject({
      outbound: true,
      fromAddress: 'support@numi.example',
      replyAddress: 'support+<jeton>@numi.example',
      from: { source: 'admin', value: 'Hotline numi <support@numi.example>' },
      smtp: { source: 'admin', inUse: { host: 'mail.numi.example', port: 465, security: 'tls', user: 'hotline@numi.example', password: true } },
    });
    expect(JSON.stringify(moved.body)).not.toContain('garder');
    const state = await loadProviderSettings(env.relais.ctx.db, env.relais.ctx.config);
    expect(state.values.SMTP_URL).toBe(`smtps://hotline%40numi.example:${encodeURIComponent(SMTP_PASSWORD)}@mail.numi.example:465`);
    expect(await storedRow()).not.toContain('mail.numi.example');
    const transport = emailTransport(env.relais.ctx.config)!;
    expect((transport.options as { host?: string }).host).toBe('mail.numi.example');
    // A mail server's user without a password, first time: refused.
    const bad = await call(env.relais.app, 'PUT', '/api/v1/settings/channels/email', { auth: admin(), body: { imap: { host: 'imap.numi.example', port: 993, security: 'tls', user: 'hotline' } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ field: 'body.imap.password', problem: 'indiquez le mot de passe de la boîte' }]);
  });

  it('removing a provider’s settings turns it off on every node', async () => {
    const res = await call(env.relais.app, 'DELETE', '/api/v1/settings/channels/whatsapp', { auth: admin() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.whatsapp.configured).toBe(false);
    expect(res.body.twilio.configured).toBe(true);
    await until(async () => (await handshake(node2, VERIFY)).statusCode === 503, 5000, 'node 2 reloads');
    expect(await storedRow()).not.toContain('WHATSAPP_');
  });
});

describe('environment variables win', () => {
  let envd: TestEnv;
  beforeAll(async () => {
    envd = await startTestEnv({ PUBLIC_URL: 'http://127.0.0.1:3000', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v', WHATSAPP_ACCESS_TOKEN: 't', WHATSAPP_PHONE_NUMBER_ID: PHONE_ID, SMTP_URL: 'smtp://relay.local:25', RELAIS_SETTINGS_KEY: 'k'.repeat(40) });
  });
  afterAll(async () => envd?.close());

  it('refuses to save over a variable the server sets, names it, and shows where each value comes from', async () => {
    const wa = await call(envd.relais.app, 'PUT', '/api/v1/settings/channels/whatsapp', { auth: envd.staff.admin.auth, body: { phoneNumberId: '123456', appSecret: 'x', verifyToken: 'y', accessToken: 'z' } });
    expect(wa.status).toBe(409);
    expect(wa.body.error.code).toBe('SET_BY_ENVIRONMENT');
    expect(wa.body.error.details.variables).toEqual(['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN']);
    const smtp = await call(envd.relais.app, 'PUT', '/api/v1/settings/channels/email', { auth: envd.staff.admin.auth, body: { smtp: { host: 'smtp.numi.example', port: 587, security: 'starttls' } } });
    expect(smtp.status).toBe(409);
    expect(smtp.body.error.details.variables).toEqual(['SMTP_URL']);
    // What the environment leaves free stays editable.
    const from = await call(envd.relais.app, 'PUT', '/api/v1/settings/channels/email', { auth: envd.staff.admin.auth, body: { from: 'Hotline <aide@numi.example>' } });
    expect(from.status, JSON.stringify(from.body)).toBe(200);
    expect(from.body.email).toMatchObject({ fromAddress: 'aide@numi.example', from: { source: 'admin' }, smtp: { source: 'env', inUse: { host: 'relay.local', port: 25, security: 'starttls', password: false } } });
    expect(from.body.whatsapp).toMatchObject({ configured: true, setByEnvironment: true, settings: { accessToken: { source: 'env', saved: false }, phoneNumberId: { source: 'env', value: PHONE_ID } } });
    expect(from.body.secretsKey).toBe('env');
    expect(from.body.publicUrl).toEqual({ value: 'http://127.0.0.1:3000', https: false, local: true });
  });
});

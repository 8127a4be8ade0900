import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call } from '../../../../test/helpers/http';
import { ConfigError, loadConfig } from '../../config';
import { messages } from '../tickets/ticket.schema';
import { contactNotifications } from './channel.schema';
import { scanStatusNotifications } from './outbound/status-notifications';
import { startFakeServer, until, type FakeServer } from './testing/fake-server';
import { computeTwilioSignature } from './twilio/signature';

const SID = 'AC00000000000000000000000000000001';
const AUTH = 'secret-twilio-token-do-not-show';
const BASE = 'https://relais.example';
let env: TestEnv;
let twilio: FakeServer;
let n = 0;

beforeAll(async () => {
  twilio = await startFakeServer((req) => {
    if (req.headers.authorization !== `Basic ${Buffer.from(`${SID}:${AUTH}`).toString('base64')}`) return { status: 401, body: { code: 20003, message: 'Authenticate' } };
    return { status: 201, body: { sid: `SM${String(++n).padStart(32, '0')}`, status: 'queued' } };
  });
  env = await startTestEnv({ RELAIS_JOBS: 'true', PUBLIC_URL: BASE, TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: AUTH, TWILIO_API_URL: twilio.url, TWILIO_PHONE_NUMBER: '+33159000001' });
});
afterAll(async () => {
  await env?.close();
  await twilio?.close();
});

async function smsTicket(sid: string, from: string, body: string) {
  const params = { MessageSid: sid, AccountSid: SID, From: from, To: '+33159000001', Body: body, NumMedia: '0' };
  const url = `${BASE}/webhooks/twilio/sms`;
  const res = await env.relais.app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': computeTwilioSignature(AUTH, url, params) }, payload: new URLSearchParams(params).toString() });
  expect(res.statusCode).toBe(200);
  const [m] = await until(async () => {
    const r = await env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, sid));
    return r.length ? r : null;
  });
  return m!.ticketId;
}
const smsTo = (to: string) => twilio.requests.filter((r) => r.form?.get('To') === to).map((r) => r.form!.get('Body')!);

describe('client message templates', () => {
  it('lists the six French templates with their variables; only admins edit them; unknown variables are refused', async () => {
    const list = await call(env.relais.app, 'GET', '/api/v1/settings/templates', { auth: env.staff.n1.auth });
    expect(list.status).toBe(200);
    expect((list.body.items as { key: string }[]).map((t) => t.key)).toEqual(['ticket_received', 'magic_link', 'agent_reply', 'waiting_on_you', 'resolved', 'secret_warning']);
    expect(list.body.items[0]).toMatchObject({ isDefault: true, variables: ['name', 'number', 'subject', 'link'] });
    const body = { templates: { ticket_received: { subject: 'Demande {{number}}', text: 'Bonjour {{name}}, demande {{numero}} reçue.' } } };
    expect((await call(env.relais.app, 'PUT', '/api/v1/settings/templates', { auth: env.staff.n1.auth, body })).status).toBe(403);
    const bad = await call(env.relais.app, 'PUT', '/api/v1/settings/templates', { auth: env.staff.admin.auth, body });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('INVALID_TEMPLATE');
    expect(bad.body.error.message).toContain('{{numero}}');
    expect((await call(env.relais.app, 'PUT', '/api/v1/settings/templates', { auth: env.staff.admin.auth, body: { templates: { nope: null } } })).status).toBe(422);
  });

  it('uses the edited template for the next message, and null puts the default back', async () => {
    const put = await call(env.relais.app, 'PUT', '/api/v1/settings/templates', { auth: env.staff.admin.auth, body: { templates: { ticket_received: { subject: 'Demande {{number}}', text: 'Numi : demande {{number}} bien reçue. Suivi : {{link}}' } } } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.items[0]).toMatchObject({ key: 'ticket_received', isDefault: false });
    await smsTicket('SMT1', '+33612990001', 'Bonjour');
    const [text] = await until(async () => (smsTo('+33612990001').length ? smsTo('+33612990001') : null));
    expect(text).toMatch(/^Numi : demande NUM-\d+ bien reçue\. Suivi : https:\/\/relais\.example\/mes-demandes\?t=/);
    const reset = await call(env.relais.app, 'PUT', '/api/v1/settings/templates', { auth: env.staff.admin.auth, body: { templates: { ticket_received: null } } });
    expect(reset.body.items[0].isDefault).toBe(true);
  });

  it('shows which channels are configured and where to point the providers, never a secret', async () => {
    const res = await call(env.relais.app, 'GET', '/api/v1/settings/channels', { auth: env.staff.admin.auth });
    expect(res.status).toBe(200);
    expect(res.body.twilio).toMatchObject({ configured: true, phoneNumber: '+33159000001', smsUrl: `${BASE}/webhooks/twilio/sms` });
    expect(res.body.whatsapp.configured).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain(AUTH);
    expect((await call(env.relais.app, 'GET', '/api/v1/settings/channels', { auth: env.staff.n1.auth })).status).toBe(403);
  });
});

describe('status notifications', () => {
  it('sends "resolved" with the satisfaction question, and "waiting for you" unless a reply just asked', async () => {
    await scanStatusNotifications(env.relais.ctx);
    const t1 = await smsTicket('SMS1', '+33612990002', 'Mon écran est noir');
    await call(env.relais.app, 'POST', `/api/v1/tickets/${t1}/status`, { auth: env.staff.n1.auth, body: { status: 'waiting_on_contact' } });
    const t2 = await smsTicket('SMS2', '+33612990003', 'Mon clavier ne marche plus');
    await call(env.relais.app, 'POST', `/api/v1/tickets/${t2}/messages`, { auth: env.staff.n1.auth, body: { body: 'Est-il branché en USB ?', visibility: 'public' } });
    await call(env.relais.app, 'POST', `/api/v1/tickets/${t2}/status`, { auth: env.staff.n1.auth, body: { status: 'waiting_on_contact' } });
    const t3 = await smsTicket('SMS3', '+33612990004', 'Virus ?');
    await call(env.relais.app, 'POST', `/api/v1/tickets/${t3}/status`, { auth: env.staff.n1.auth, body: { status: 'resolved' } });
    expect(await scanStatusNotifications(env.relais.ctx)).toBe(2);
    expect(await scanStatusNotifications(env.relais.ctx)).toBe(0);
    await until(async () => smsTo('+33612990002').some((b) => b.includes('nous avons besoin de votre réponse')));
    const resolved = await until(async () => smsTo('+33612990004').find((b) => b.includes('est résolue')));
    expect(resolved).toContain('Répondez à ce SMS par un chiffre de 1 (pas du tout satisfait) à 5 (très satisfait).');
    await new Promise((r) => setTimeout(r, 500));
    expect(smsTo('+33612990003').some((b) => b.includes('nous avons besoin de votre réponse'))).toBe(false);
    const rows = await env.relais.ctx.db.select().from(contactNotifications).where(eq(contactNotifications.ticketId, t3));
    expect(rows.map((r) => [r.template, r.channel, r.status]).sort()).toEqual([
      ['resolved', 'sms', 'sent'],
      ['ticket_received', 'sms', 'sent'],
    ]);
  });
});

describe('channel configuration', () => {
  it('needs each provider’s variables together, and checks their format', () => {
    expect(loadConfig({}).channels).toMatchObject({ whatsapp: null, twilio: null, email: { smtpUrl: null, inboundPort: null, fromAddress: 'support@relais.localhost' } });
    try {
      loadConfig({ WHATSAPP_APP_SECRET: 'x', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_PHONE_NUMBER: '0612', SMTP_URL: 'http://x', EMAIL_FROM: 'pas une adresse', SMTP_INBOUND_PORT: 'abc' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      for (const name of ['WHATSAPP_VERIFY_TOKEN', 'TWILIO_PHONE_NUMBER', 'SMTP_URL', 'EMAIL_FROM', 'SMTP_INBOUND_PORT']) expect(msg).toContain(name);
    }
    const c = loadConfig({ EMAIL_FROM: 'Hotline Numi <support@numi.fr>', SMTP_URL: 'smtps://u:p@smtp.numi.fr:465', SMTP_INBOUND_PORT: '2525', IMAP_URL: 'imaps://u:p@imap.numi.fr/INBOX' }).channels.email;
    expect(c).toMatchObject({ fromName: 'Hotline Numi', fromAddress: 'support@numi.fr', domain: 'numi.fr', localPart: 'support', inboundPort: 2525 });
  });
});

import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../../test/helpers/app';
import { call } from '../../../../../test/helpers/http';
import { messages, tickets } from '../../tickets/ticket.schema';
import { channelInbox, contactNotifications } from '../channel.schema';
import { PNG, whatsappVariables } from '../testing/channel-test-kit';
import { startFakeServer, until, type FakeServer, type RecordedRequest } from '../testing/fake-server';

const SECRET = 'app-secret-test';
const TOKEN = 'EAAG-test-token';
const PHONE_ID = '106540352242922';
const OPUS = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(24), Buffer.from('OpusHead'), Buffer.alloc(40)]);

let env: TestEnv;
let graph: FakeServer;
let sent = 0;
const media: Record<string, { bytes: Buffer; mime: string }> = { 'media-png': { bytes: PNG, mime: 'image/png' }, 'media-voice': { bytes: OPUS, mime: 'audio/ogg; codecs=opus' } };

/** Answers as Meta's Graph API documents it, and refuses what Meta would refuse. */
function graphHandler(req: RecordedRequest, server: FakeServer) {
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } } };
  const mediaMeta = /^\/v21\.0\/([\w-]+)$/.exec(req.path);
  if (req.method === 'GET' && mediaMeta && media[mediaMeta[1]!]) {
    const m = media[mediaMeta[1]!]!;
    return { body: { messaging_product: 'whatsapp', url: `${server.url}/download/${mediaMeta[1]}`, mime_type: m.mime, file_size: m.bytes.length, id: mediaMeta[1] } };
  }
  const dl = /^\/download\/([\w-]+)$/.exec(req.path);
  if (req.method === 'GET' && dl && media[dl[1]!]) return { headers: { 'content-type': media[dl[1]!]!.mime }, body: media[dl[1]!]!.bytes };
  if (req.method === 'POST' && req.path === `/v21.0/${PHONE_ID}/messages`) {
    const b = req.json as Record<string, unknown>;
    if (b?.messaging_product !== 'whatsapp' || typeof b.to !== 'string' || !/^\d+$/.test(b.to)) return { status: 400, body: { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } } };
    if (b.type === 'text' && typeof (b.text as { body?: unknown })?.body !== 'string') return { status: 400, body: { error: { message: '(#100) Invalid parameter', code: 100 } } };
    return { body: { messaging_product: 'whatsapp', contacts: [{ input: b.to, wa_id: b.to }], messages: [{ id: `wamid.OUT${++sent}` }] } };
  }
  return { status: 404, body: { error: { message: 'Unknown path', code: 803 } } };
}

beforeAll(async () => {
  graph = await startFakeServer(graphHandler);
  env = await startTestEnv({
    RELAIS_JOBS: 'true',
    PUBLIC_URL: 'https://relais.example',
    ...whatsappVariables({ secret: SECRET, token: TOKEN, phoneNumberId: PHONE_ID }, graph.url),
  });
});
afterAll(async () => {
  await env?.close();
  await graph?.close();
});

const sign = (raw: string) => `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;

async function post(body: unknown, signature?: string | null) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-hub-signature-256'] = signature ?? sign(raw);
  return env.relais.app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers, payload: raw });
}

/** The envelope Meta documents for the `messages` field. */
function envelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '33123456789', phone_number_id: PHONE_ID }, ...value } }] }],
  };
}

const from = (wa: string, name: string) => ({ contacts: [{ profile: { name }, wa_id: wa }] });
const ts = () => String(Math.floor(Date.now() / 1000));
function textMessage(id: string, wa: string, body: string, name = 'Josette Martin') {
  return envelope({ ...from(wa, name), messages: [{ from: wa, id, timestamp: ts(), type: 'text', text: { body } }] });
}

const inboxCount = async () => Number((await env.relais.ctx.db.select({ n: sql<number>`count(*)` }).from(channelInbox))[0]!.n);
const messageByWamid = (wamid: string) => env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, wamid));
async function ticketOf(wamid: string) {
  const [m] = await until(async () => {
    const rows = await messageByWamid(wamid);
    return rows.length ? rows : null;
  }, 25_000, `message ${wamid}`);
  const res = await call(env.relais.app, 'GET', `/api/v1/tickets/${m!.ticketId}`, { auth: env.staff.n1.auth });
  return res.body as { id: string; number: string; status: string; channel: string; contact: { whatsappId: string; name: string } };
}
const apiMessages = async (ref: string) => (await call(env.relais.app, 'GET', `/api/v1/tickets/${ref}/messages`, { auth: env.staff.n1.auth })).body.items as { id: string; body: string; direction: string | null; delivery: { status: string; error: string | null } | null; author: { kind: string } }[];
const sentTo = (wa: string) => graph.requests.filter((r) => r.method === 'POST' && (r.json as { to?: string })?.to === wa).map((r) => r.json as Record<string, unknown>);

describe('GET /webhooks/whatsapp (Meta verification handshake)', () => {
  it('echoes the challenge when the verify token matches', async () => {
    const res = await env.relais.app.inject({ method: 'GET', url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('1158201444');
  });
  it('refuses a wrong token (403) and a malformed check (400)', async () => {
    expect((await env.relais.app.inject({ method: 'GET', url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1' })).statusCode).toBe(403);
    expect((await env.relais.app.inject({ method: 'GET', url: '/webhooks/whatsapp?hub.mode=subscribe' })).statusCode).toBe(400);
  });
});

describe('POST /webhooks/whatsapp', () => {
  it('refuses a missing or wrong X-Hub-Signature-256 with 401 and stores nothing', async () => {
    const before = await inboxCount();
    const body = textMessage('wamid.FORGED', '33600000001', 'Bonjour');
    expect((await post(body, null)).statusCode).toBe(401);
    expect((await post(body, 'sha256=' + '0'.repeat(64))).statusCode).toBe(401);
    // Signed with another secret, or over other bytes than those sent.
    expect((await post(body, `sha256=${createHmac('sha256', 'other').update(JSON.stringify(body)).digest('hex')}`)).statusCode).toBe(401);
    expect((await post(JSON.stringify(body, null, 2), sign(JSON.stringify(body)))).statusCode).toBe(401);
    expect(await inboxCount()).toBe(before);
  });

  it('answers 400 to a signed but malformed body and stores nothing', async () => {
    const before = await inboxCount();
    expect((await post('{"object": "whatsapp_business_account", "entry": [')).statusCode).toBe(400);
    expect((await post({ object: 'page', entry: [] })).statusCode).toBe(400);
    expect((await post({ object: 'whatsapp_business_account', entry: [{ id: 1 }] })).statusCode).toBe(400);
    expect(await inboxCount()).toBe(before);
  });

  it('turns a first text message into a ticket for a new contact, confirms it on WhatsApp, and shows it in the API', async () => {
    const res = await post(textMessage('wamid.HBgLMzM2MTIzNDU2NzgVAgASGBQzQTg3', '33612345678', 'Bonjour, mon ordinateur ne démarre plus depuis ce matin.'));
    expect(res.statusCode).toBe(200);
    const t = await ticketOf('wamid.HBgLMzM2MTIzNDU2NzgVAgASGBQzQTg3');
    expect(t.channel).toBe('whatsapp');
    expect(t.contact.whatsappId).toBe('+33612345678');
    expect(t.contact.name).toBe('Josette Martin');
    const items = await apiMessages(t.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ body: 'Bonjour, mon ordinateur ne démarre plus depuis ce matin.', direction: 'inbound', author: { kind: 'contact' } });
    // The "ticket received" confirmation goes back on WhatsApp, with the number.
    const confirmation = await until(async () => sentTo('33612345678').find((b) => String((b.text as { body: string })?.body).includes(t.number)), 25_000, 'confirmation');
    expect(confirmation).toMatchObject({ messaging_product: 'whatsapp', recipient_type: 'individual', type: 'text' });
    expect((confirmation.text as { body: string }).body).toMatch(/https:\/\/relais\.example\/mes-demandes\?t=[A-Za-z0-9_-]{32}/);
  });

  it('creates one message for a replayed delivery and for the same message in another batch', async () => {
    const body = textMessage('wamid.REPLAY1', '33612340001', 'Message rejoué');
    const first = await post(body);
    const again = await post(body);
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body).duplicate).toBe(true);
    await ticketOf('wamid.REPLAY1');
    // Same wamid, different envelope bytes (Meta batches differently on retry).
    const other = envelope({ ...from('33612340001', 'X'), messages: [{ from: '33612340001', id: 'wamid.REPLAY1', timestamp: ts(), type: 'text', text: { body: 'Message rejoué' } }], statuses: [] });
    expect((await post(other)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await messageByWamid('wamid.REPLAY1')).toHaveLength(1);
  });

  it('threads the next message into the open ticket and moves "waiting on contact" to "in progress"', async () => {
    await post(textMessage('wamid.T1', '33612340002', 'Mon imprimante ne marche plus'));
    const t = await ticketOf('wamid.T1');
    const st = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/status`, { auth: env.staff.n1.auth, body: { status: 'waiting_on_contact' } });
    expect(st.status, JSON.stringify(st.body)).toBe(200);
    await post(textMessage('wamid.T2', '33612340002', 'Voilà, je l’ai rebranchée'));
    const t2 = await ticketOf('wamid.T2');
    expect(t2.id).toBe(t.id);
    expect(t2.status).toBe('in_progress');
    expect((await apiMessages(t.id)).map((m) => m.body)).toEqual(['Mon imprimante ne marche plus', 'Voilà, je l’ai rebranchée']);
  });

  it('downloads images and voice notes through the Graph API and stores them as attachments', async () => {
    // What makes this a voice-note test: the sniffer reports the codec, as for a real WhatsApp note.
    expect((await fileTypeFromBuffer(OPUS))?.mime).toBe('audio/ogg; codecs=opus');
    const wa = '33612340003';
    await post(
      envelope({
        ...from(wa, 'Paul'),
        messages: [
          { from: wa, id: 'wamid.IMG', timestamp: ts(), type: 'image', image: { id: 'media-png', mime_type: 'image/png', sha256: 'x', caption: 'Voici l’écran' } },
          { from: wa, id: 'wamid.VOICE', timestamp: ts(), type: 'audio', audio: { id: 'media-voice', mime_type: 'audio/ogg; codecs=opus', voice: true } },
        ],
      }),
    );
    const t = await ticketOf('wamid.VOICE');
    const files = (await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}/attachments`, { auth: env.staff.n1.auth })).body.items as { contentType: string; filename: string; sizeBytes: number }[];
    expect(files.map((f) => f.contentType).sort()).toEqual(['audio/ogg', 'image/png']);
    expect(files.find((f) => f.contentType === 'audio/ogg')!.filename).toMatch(/^message-vocal-.*\.ogg$/);
    const bodies = (await apiMessages(t.id)).map((m) => m.body);
    expect(bodies).toEqual(['Voici l’écran', '[Message vocal]']);
    const downloads = graph.requests.filter((r) => r.path.startsWith('/download/'));
    expect(downloads.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('keeps location, button replies and unknown types as readable messages', async () => {
    const wa = '33612340004';
    await post(
      envelope({
        ...from(wa, 'Lucie'),
        messages: [
          { from: wa, id: 'wamid.LOC', timestamp: ts(), type: 'location', location: { latitude: 48.8584, longitude: 2.2945, name: 'Tour Eiffel', address: 'Paris' } },
          { from: wa, id: 'wamid.BTN', timestamp: ts(), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Oui, merci' } } },
          { from: wa, id: 'wamid.ODD', timestamp: ts(), type: 'order', order: { catalog_id: '1' } },
        ],
      }),
    );
    const t = await ticketOf('wamid.ODD');
    const bodies = (await apiMessages(t.id)).map((m) => m.body);
    expect(bodies[0]).toContain('Tour Eiffel, Paris');
    expect(bodies[0]).toContain('openstreetmap.org/?mlat=48.8584&mlon=2.2945');
    expect(bodies[1]).toBe('Oui, merci');
    expect(bodies[2]).toContain('type non pris en charge (order)');
  });

  it('turns the "Être rappelé" button into a callback owned by an agent', async () => {
    const wa = '33612340009';
    await post(textMessage('wamid.CB0', wa, 'Bonjour'));
    await post(envelope({ ...from(wa, 'Rémi'), messages: [{ from: wa, id: 'wamid.CB1', timestamp: ts(), type: 'button', button: { text: 'Être rappelé', payload: 'callback' } }] }));
    const t = await ticketOf('wamid.CB1');
    const list = await until(async () => {
      const r = await call(env.relais.app, 'GET', `/api/v1/callbacks?ticket=${t.number}`, { auth: env.staff.n1.auth });
      return r.body.items.length ? r.body.items : null;
    });
    expect(list[0]).toMatchObject({ source: 'whatsapp', phone: '+33612340009', status: 'pending', ticket: { number: t.number } });
  });

  it('masks secrets before storing them and warns the client', async () => {
    await post(textMessage('wamid.SECRET', '33612340005', 'Ma carte 4111 1111 1111 1111 a été débitée'));
    const t = await ticketOf('wamid.SECRET');
    const [m] = await apiMessages(t.id);
    expect(m!.body).not.toContain('4111 1111 1111 1111');
    const warning = await until(async () => sentTo('33612340005').find((b) => String((b.text as { body: string })?.body).includes('masqué')), 25_000, 'secret warning');
    expect(warning).toBeTruthy();
  });
});

describe('replies from the console on WhatsApp', () => {
  it('sends a text within 24 hours and records sent → delivered → read from the status webhooks, never going back', async () => {
    await post(textMessage('wamid.R1', '33612340006', 'Pouvez-vous m’aider ?'));
    const t = await ticketOf('wamid.R1');
    const reply = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/messages`, { auth: env.staff.n1.auth, body: { body: 'Bien sûr, je regarde.', visibility: 'public' } });
    expect(reply.status).toBe(201);
    expect(reply.body.delivery).toMatchObject({ status: 'pending' });
    const sentMsg = await until(async () => (await apiMessages(t.id)).find((m) => m.id === reply.body.id && m.delivery?.status === 'sent'), 25_000, 'reply sent');
    expect(sentMsg.direction).toBe('outbound');
    const req = sentTo('33612340006').find((b) => (b.text as { body: string })?.body === 'Bien sûr, je regarde.');
    expect(req).toMatchObject({ type: 'text', to: '33612340006' });
    const [row] = await env.relais.ctx.db.select().from(messages).where(eq(messages.id, reply.body.id));
    const wamid = row!.providerMessageId!;
    const status = (s: string, extra: Record<string, unknown> = {}) => envelope({ statuses: [{ id: wamid, status: s, timestamp: ts(), recipient_id: '33612340006', ...extra }] });
    await post(status('read'));
    await post(status('delivered'));
    await until(async () => (await apiMessages(t.id)).find((m) => m.id === reply.body.id && m.delivery?.status === 'read'), 25_000, 'read');
    await new Promise((r) => setTimeout(r, 300));
    expect((await apiMessages(t.id)).find((m) => m.id === reply.body.id)!.delivery!.status).toBe('read');
  });

  it('records a failed status with its error', async () => {
    await post(textMessage('wamid.F1', '33612340007', 'Allô ?'));
    const t = await ticketOf('wamid.F1');
    const reply = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/messages`, { auth: env.staff.n1.auth, body: { body: 'Réponse', visibility: 'public' } });
    await until(async () => (await apiMessages(t.id)).find((m) => m.id === reply.body.id && m.delivery?.status === 'sent'));
    const [row] = await env.relais.ctx.db.select().from(messages).where(eq(messages.id, reply.body.id));
    await post(envelope({ statuses: [{ id: row!.providerMessageId, status: 'failed', timestamp: ts(), recipient_id: '33612340007', errors: [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'Recipient phone number not on WhatsApp' } }] }] }));
    const failed = await until(async () => (await apiMessages(t.id)).find((m) => m.id === reply.body.id && m.delivery?.status === 'failed'));
    expect(failed.delivery!.error).toContain('131026');
  });

  it('outside the 24-hour window, uses the approved template set by an admin, and fails clearly without one', async () => {
    await post(textMessage('wamid.W1', '33612340008', 'Bonjour'));
    const t = await ticketOf('wamid.W1');
    // The client last wrote two days ago.
    await env.relais.ctx.db.update(messages).set({ createdAt: new Date(Date.now() - 2 * 86_400_000) }).where(eq(messages.ticketId, t.id));
    const r1 = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/messages`, { auth: env.staff.n1.auth, body: { body: 'Avez-vous pu essayer ?', visibility: 'public' } });
    const failed = await until(async () => (await apiMessages(t.id)).find((m) => m.id === r1.body.id && m.delivery?.status === 'failed'));
    expect(failed.delivery!.error).toContain('24 heures');

    const put = await call(env.relais.app, 'PUT', '/api/v1/settings/templates', {
      auth: env.staff.admin.auth,
      body: { templates: { agent_reply: { subject: 'Re: {{subject}} [{{number}}]', text: 'Bonjour {{name}},\n\n{{body}}', whatsapp: { name: 'reponse_conseiller', language: 'fr', params: ['number', 'body'] } } } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const r2 = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.id}/messages`, { auth: env.staff.n1.auth, body: { body: 'Avez-vous pu essayer ?', visibility: 'public' } });
    await until(async () => (await apiMessages(t.id)).find((m) => m.id === r2.body.id && m.delivery?.status === 'sent'));
    const tpl = sentTo('33612340008').find((b) => b.type === 'template');
    expect(tpl).toMatchObject({
      type: 'template',
      template: { name: 'reponse_conseiller', language: { code: 'fr' }, components: [{ type: 'body', parameters: [{ type: 'text', text: t.number }, { type: 'text', text: 'Avez-vous pu essayer ?' }] }] },
    });
  });

  it('records every notification with its channel and status', async () => {
    const rows = await env.relais.ctx.db.select().from(contactNotifications).where(eq(contactNotifications.template, 'ticket_received'));
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.every((r) => r.channel === 'whatsapp')).toBe(true);
    const [t] = await env.relais.ctx.db.select().from(tickets).limit(1);
    expect(t).toBeTruthy();
  });
});

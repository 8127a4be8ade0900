import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../../../test/helpers/app';
import { usingPostgres } from '../../../../../test/helpers/database';
import { call } from '../../../../../test/helpers/http';
import { portalRatings } from '../../portal/portal.schema';
import { messages, ticketEvents, tickets } from '../../tickets/ticket.schema';
import { contactNotifications } from '../channel.schema';
import { postWhatsApp, startChannelTestEnv, waEnvelope, waText, waTs, type ChannelTestEnv, type Outbox } from '../testing/channel-test-kit';
import type { FakeGraph } from '../testing/fake-graph';
import { until, type FakeServer } from '../testing/fake-server';
import { computeTwilioSignature } from '../twilio/signature';
import { ratingToken } from './rating-question';
import { scanStatusNotifications } from './status-notifications';

const SECRET = 'app-secret-rating';
const TOKEN = 'EAAG-rating-token';
const PHONE_ID = '106540352242922';
const SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH = 'twilio-auth-rating';
const BASE = 'https://relais.example';

const CHANNELS = { whatsapp: { secret: SECRET, token: TOKEN, phoneNumberId: PHONE_ID }, twilio: { sid: SID, authToken: AUTH }, email: true, env: { RELAIS_JOBS: 'true', PUBLIC_URL: BASE } } as const;
let channels: ChannelTestEnv<typeof CHANNELS>;
let env: TestEnv;
let graph: FakeGraph;
let twilio: FakeServer;
let outbox: Outbox;

beforeAll(async () => {
  ({ env, graph, twilio, outbox } = channels = await startChannelTestEnv(CHANNELS));
  // The scanner's first run only marks where "from now on" starts.
  await scanStatusNotifications(env.relais.ctx);
});
afterAll(() => channels?.close());

async function ticketOfWamid(wamid: string) {
  const [m] = await until(async () => {
    const rows = await env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, wamid));
    return rows.length ? rows : null;
  }, 25_000, `message ${wamid}`);
  return (await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, m!.ticketId)))[0]!;
}

/** Resolves a ticket through the API, then lets the status scanner queue the "resolved" message. */
async function resolve(ref: string) {
  for (const status of ['in_progress', 'resolved']) {
    const r = await call(env.relais.app, 'POST', `/api/v1/tickets/${ref}/status`, { auth: env.staff.n1.auth, body: { status, reason: 'Réglé au téléphone' } });
    if (r.status !== 200 && r.body?.error?.code !== 'STATUS_UNCHANGED' && r.body?.error?.code !== 'ILLEGAL_TRANSITION') throw new Error(JSON.stringify(r.body));
  }
  const [t] = await env.relais.ctx.db.select().from(tickets).where(eq(tickets.number, ref));
  expect(t!.status).toBe('resolved');
  await scanStatusNotifications(env.relais.ctx);
}

const resolvedNotification = (ticketId: string) =>
  until(async () => {
    const [n] = await env.relais.ctx.db.select().from(contactNotifications).where(and(eq(contactNotifications.ticketId, ticketId), eq(contactNotifications.template, 'resolved')));
    return n && n.status !== 'pending' ? n : null;
  }, 25_000, 'resolved notification');

const ratingOf = (ticketId: string) => until(async () => (await env.relais.ctx.db.select().from(portalRatings).where(eq(portalRatings.ticketId, ticketId)))[0], 25_000, 'rating');

describe(`the satisfaction question on the client's channel (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('WhatsApp within 24 hours: three reply buttons; a tap records the rating and does not reopen the request', async () => {
    const wa = '33612400001';
    await postWhatsApp(env, SECRET, waText(PHONE_ID, 'wamid.RATE1', wa, 'Mon imprimante ne marche plus'));
    const t = await ticketOfWamid('wamid.RATE1');
    await resolve(t.number);
    const n = await resolvedNotification(t.id);
    expect(n.status, n.error ?? '').toBe('sent');
    const question = graph.sent.find((s) => s.wamid === n.providerMessageId)!.body;
    expect(question).toMatchObject({ messaging_product: 'whatsapp', to: wa, type: 'interactive', interactive: { type: 'button' } });
    const interactive = question.interactive as { body: { text: string }; action: { buttons: { type: string; reply: { id: string; title: string } }[] } };
    expect(interactive.body.text).toContain(`Votre demande ${t.number} est résolue.`);
    expect(interactive.body.text).toContain('Touchez une réponse ci-dessous.');
    expect(interactive.action.buttons.map((b) => b.reply.id)).toEqual(['rating:5', 'rating:3', 'rating:1']);

    // The client taps "Très satisfait": Meta sends the button's id, in reply to our message.
    await postWhatsApp(
      env,
      SECRET,
      waEnvelope(PHONE_ID, {
        contacts: [{ profile: { name: 'Josette' }, wa_id: wa }],
        messages: [{ context: { from: '33123456789', id: n.providerMessageId }, from: wa, id: 'wamid.RATE1-ANSWER', timestamp: waTs(), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'rating:5', title: '😊 Très satisfait' } } }],
      }),
    );
    expect((await ratingOf(t.id)).score).toBe(5);
    const [after] = await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(after!.status).toBe('resolved');
    const events = await env.relais.ctx.db.select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, t.id), eq(ticketEvents.type, 'rating.added')));
    expect(events[0]!.data).toMatchObject({ score: 5, channel: 'whatsapp' });
  });

  it('WhatsApp after 24 hours: the approved template with its quick-reply payloads; a tap on it rates too', async () => {
    const wa = '33612400002';
    await postWhatsApp(env, SECRET, waText(PHONE_ID, 'wamid.RATE2', wa, 'Bonjour'));
    const t = await ticketOfWamid('wamid.RATE2');
    await env.relais.ctx.db.update(messages).set({ createdAt: new Date(Date.now() - 2 * 86_400_000) }).where(eq(messages.ticketId, t.id));
    const put = await call(env.relais.app, 'PUT', '/api/v1/settings/templates', {
      auth: env.staff.admin.auth,
      body: {
        templates: {
          resolved: {
            subject: 'Votre demande {{number}} est résolue',
            text: 'Bonjour {{name}},\n\nVotre demande {{number}} est résolue.\n{{satisfaction}}',
            whatsapp: { name: 'demande_resolue', language: 'fr', params: ['number'], quickReplies: ['rating:5', 'rating:3', 'rating:1'] },
          },
        },
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await resolve(t.number);
    const n = await resolvedNotification(t.id);
    expect(n.status, n.error ?? '').toBe('sent');
    const sent = graph.sent.find((s) => s.wamid === n.providerMessageId)!.body;
    expect(sent).toMatchObject({
      type: 'template',
      template: {
        name: 'demande_resolue',
        language: { code: 'fr' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: t.number }] },
          { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'rating:5' }] },
          { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'rating:3' }] },
          { type: 'button', sub_type: 'quick_reply', index: '2', parameters: [{ type: 'payload', payload: 'rating:1' }] },
        ],
      },
    });
    await postWhatsApp(
      env,
      SECRET,
      waEnvelope(PHONE_ID, {
        contacts: [{ profile: { name: 'Paul' }, wa_id: wa }],
        messages: [{ context: { from: '33123456789', id: n.providerMessageId }, from: wa, id: 'wamid.RATE2-ANSWER', timestamp: waTs(), type: 'button', button: { text: 'Moyennement', payload: 'rating:3' } }],
      }),
    );
    expect((await ratingOf(t.id)).score).toBe(3);
    await call(env.relais.app, 'PUT', '/api/v1/settings/templates', { auth: env.staff.admin.auth, body: { templates: { resolved: null } } });
  });

  it('rates the request the question was about, even when it came by another channel', async () => {
    const wa = '33612400003';
    // The client's WhatsApp conversation, still going…
    await postWhatsApp(env, SECRET, waText(PHONE_ID, 'wamid.RATE3', wa, 'Autre chose : ma box clignote'));
    const conversation = await ticketOfWamid('wamid.RATE3');
    // …and a request made on the site, resolved: the question goes out on WhatsApp.
    const web = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Mot de passe oublié', channel: 'web', contactId: conversation.contactId } });
    expect(web.status, JSON.stringify(web.body)).toBe(201);
    await resolve(web.body.number);
    const n = await resolvedNotification(web.body.id);
    expect(n.channel).toBe('whatsapp');
    await postWhatsApp(
      env,
      SECRET,
      waEnvelope(PHONE_ID, {
        contacts: [{ profile: { name: 'Marie' }, wa_id: wa }],
        messages: [{ context: { from: '33123456789', id: n.providerMessageId }, from: wa, id: 'wamid.RATE3-ANSWER', timestamp: waTs(), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'rating:1', title: '🙁 Pas satisfait' } } }],
      }),
    );
    expect((await ratingOf(web.body.id)).score).toBe(1);
    const onConversation = await env.relais.ctx.db.select().from(portalRatings).where(eq(portalRatings.ticketId, conversation.id));
    expect(onConversation).toEqual([]);
  });

  it('SMS: "répondez par un chiffre de 1 à 5", and a digit back records it', async () => {
    const created = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Wifi lent', channel: 'sms', contact: { name: 'Henri Blanc', phone: '06 45 11 22 33' } } });
    await resolve(created.body.number);
    const n = await resolvedNotification(created.body.id);
    expect(n.status, n.error ?? '').toBe('sent');
    const sms = twilio.requests.map((r) => r.form!).find((f) => f.get('To') === '+33645112233' && f.get('Body')!.includes('résolue'))!;
    expect(sms.get('Body')).toContain('Répondez à ce SMS par un chiffre de 1 (pas du tout satisfait) à 5 (très satisfait).');

    const params = { AccountSid: SID, MessageSid: 'SMrating0000000000000000000000001', From: '+33645112233', To: '+33159000000', Body: '4', NumMedia: '0' };
    const res = await env.relais.app.inject({
      method: 'POST',
      url: '/webhooks/twilio/sms',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': computeTwilioSignature(AUTH, `${BASE}/webhooks/twilio/sms`, params) },
      payload: new URLSearchParams(params).toString(),
    });
    expect(res.statusCode).toBe(200);
    expect((await ratingOf(created.body.id)).score).toBe(4);
  });

  it('email: one link per answer, and the page behind them records the rating once', async () => {
    const created = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Imprimante', channel: 'email', contact: { name: 'Odile Ferrand', email: 'odile@example.org' } } });
    await resolve(created.body.number);
    const n = await resolvedNotification(created.body.id);
    expect(n.status, n.error ?? '').toBe('sent');
    const mail = await until(async () => outbox.mails.find((m) => m.subject?.includes(created.body.number) && m.text?.includes('résolue')), 25_000, 'mail');
    const token = await ratingToken(env.relais.ctx.db, created.body.id);
    for (const score of [1, 2, 3, 4, 5]) expect(mail.text).toContain(`${BASE}/avis?t=${token}&note=${score}`);
    expect(mail.html).toContain(`href="${BASE}/avis?t=${token}&amp;note=5"`);
    expect(mail.html).toContain('Très satisfait');

    const view = await env.relais.app.inject({ method: 'GET', url: `/api/v1/portal/ratings/${token}` });
    expect(JSON.parse(view.body)).toEqual({ number: created.body.number, subject: 'Imprimante', canRate: true, rating: null });
    const bad = await env.relais.app.inject({ method: 'POST', url: `/api/v1/portal/ratings/${token}`, payload: { score: 6 } });
    expect(bad.statusCode).toBe(400);
    const ok = await env.relais.app.inject({ method: 'POST', url: `/api/v1/portal/ratings/${token}`, payload: { score: 4, comment: '  Très patient, merci.  ' } });
    expect(ok.statusCode, ok.body).toBe(201);
    const [rating] = await env.relais.ctx.db.select().from(portalRatings).where(eq(portalRatings.ticketId, created.body.id));
    expect(rating).toMatchObject({ score: 4, comment: 'Très patient, merci.' });
    const [event] = await env.relais.ctx.db.select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, created.body.id), eq(ticketEvents.type, 'rating.added')));
    expect(event!.data).toMatchObject({ score: 4, channel: 'email' });
    const again = await env.relais.app.inject({ method: 'POST', url: `/api/v1/portal/ratings/${token}`, payload: { score: 1 } });
    expect(again.statusCode).toBe(409);
    expect(JSON.parse(again.body).error.code).toBe('ALREADY_RATED');
    expect(JSON.parse((await env.relais.app.inject({ method: 'GET', url: `/api/v1/portal/ratings/${token}` })).body)).toMatchObject({ canRate: false, rating: { score: 4 } });

    // A token for another ticket, forged by changing one character, names nothing.
    const forged = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    expect((await env.relais.app.inject({ method: 'GET', url: `/api/v1/portal/ratings/${forged}` })).statusCode).toBe(404);
    expect((await env.relais.app.inject({ method: 'POST', url: `/api/v1/portal/ratings/not-a-token`, payload: { score: 5 } })).statusCode).toBe(404);
  });
});

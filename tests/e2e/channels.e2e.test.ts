import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbacks } from '../../server/src/domains/channels/channel.schema';
import { ratingToken } from '../../server/src/domains/channels/outbound/rating-question';
import { PNG, postWhatsApp, twilioMessagesApi, waEnvelope, waText, waTs } from '../../server/src/domains/channels/testing/channel-test-kit';
import { startFakeServer, type FakeServer } from '../../server/src/domains/channels/testing/fake-server';
import { startFakeGraph, type FakeGraph } from '../../server/src/domains/channels/testing/fake-graph';
import { computeTwilioSignature } from '../../server/src/domains/channels/twilio/signature';
import { portalRatings } from '../../server/src/domains/portal/portal.schema';
import { messages, tickets } from '../../server/src/domains/tickets/ticket.schema';
import { DEMO_PASSWORD, expectAccessible, expectControlsReadable, login, newPage, screenshot, startE2E, until, writeAxeSummary, type E2E } from './harness';

const SECRET = 'e2e-whatsapp-secret';
const TOKEN = 'EAAG-e2e-token';
const PHONE_ID = '106540352242922';
const SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH = 'e2e-twilio-auth';
const PUBLIC_URL = 'http://relais.e2e.test';

let e2e: E2E;
let graph: FakeGraph;
let twilioApi: FakeServer;

beforeAll(async () => {
  graph = await startFakeGraph({ token: TOKEN, phoneNumberId: PHONE_ID });
  twilioApi = await startFakeServer(twilioMessagesApi(SID, AUTH));
  e2e = await startE2E({
    RELAIS_JOBS: 'true',
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: 'verify',
    WHATSAPP_ACCESS_TOKEN: TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
    WHATSAPP_API_URL: `${graph.url}/v21.0`,
    TWILIO_ACCOUNT_SID: SID,
    TWILIO_AUTH_TOKEN: AUTH,
    TWILIO_PHONE_NUMBER: '+33159000000',
    TWILIO_API_URL: twilioApi.url,
  });
});
afterAll(async () => {
  await writeAxeSummary('axe-channels.json');
  await e2e?.close();
  await graph?.close();
  await twilioApi?.close();
});

/** A staff API token, as an integration would get one. */
async function staffToken(email: string): Promise<string> {
  const res = await e2e.relais.app.inject({ method: 'POST', url: '/api/v1/auth/tokens', payload: { email, password: DEMO_PASSWORD } });
  return JSON.parse(res.body).token as string;
}

async function api(token: string, method: 'GET' | 'POST', url: string, body?: unknown) {
  const res = await e2e.relais.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body as object } : {}) });
  return { status: res.statusCode, body: JSON.parse(res.body || 'null') };
}

async function twilio(path: string, params: Record<string, string>) {
  return e2e.relais.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': computeTwilioSignature(AUTH, `${PUBLIC_URL}${path}`, params) },
    payload: new URLSearchParams(params).toString(),
  });
}

async function ticketOfWamid(wamid: string) {
  const [m] = await until(async () => {
    const rows = await e2e.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, wamid));
    return rows.length ? rows : null;
  }, 25_000);
  return (await e2e.relais.ctx.db.select().from(tickets).where(eq(tickets.id, m!.ticketId)))[0]!;
}

const composer = (page: Page) => page.locator('section[aria-labelledby="composer-title"]');

describe('console: files with a reply, and each message’s delivery', () => {
  it('an agent sends a photo on WhatsApp, is told before sending what WhatsApp refuses, and follows the delivery live', async () => {
    const wa = '33611220099';
    await postWhatsApp(e2e, SECRET, waText(PHONE_ID, 'wamid.E2E1', wa, 'Bonjour, mon écran affiche un message bizarre', 'Lucienne Bertrand'));
    const t = await ticketOfWamid('wamid.E2E1');

    const { context, page } = await newPage(e2e);
    await login(page, 'n1@relais.example');
    await page.goto(`/console/demandes/${t.number}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${t.number}`) }).waitFor();
    await composer(page).getByText('WhatsApp : photos JPEG ou PNG (5 Mo au plus), documents PDF ou texte (100 Mo au plus).').waitFor();

    // A GIF: refused on the spot, with the reason, before anything is sent.
    await composer(page).locator('input[type=file]').setInputFiles([{ name: 'anim.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') }]);
    await composer(page).getByText('« anim.gif » ne peut pas partir sur WhatsApp').waitFor();
    await expectAccessible(page, 'console-reply-file-refused');
    await composer(page).getByRole('button', { name: 'Retirer anim.gif' }).click();
    await composer(page).locator('input[type=file]').setInputFiles([{ name: 'capture.png', mimeType: 'image/png', buffer: PNG }]);
    await composer(page).getByText(/capture\.png \(/).waitFor();
    await composer(page).getByLabel('Réponse au client').fill('Voici une capture de ce que vous devriez voir.');
    await screenshot(page, 'console-reply-with-file');
    await composer(page).getByRole('button', { name: 'Envoyer la réponse' }).click();

    // The reply in the timeline with its file, then "sent" once WhatsApp took it.
    const reply = page.locator('li.timeline-message', { hasText: 'Voici une capture de ce que vous devriez voir.' });
    await reply.getByRole('link', { name: 'capture.png' }).waitFor();
    await reply.locator('.delivery-status[data-state="sent"]', { hasText: 'Envoyé' }).waitFor({ timeout: 25_000 });
    const upload = [...graph.uploads.values()].find((u) => u.filename === 'capture.png')!;
    expect(upload.mimeType).toBe('image/png');
    const sent = graph.sentTo(wa).find((b) => b.type === 'image')!;
    expect(sent.image).toEqual({ id: upload.id, caption: 'Voici une capture de ce que vous devriez voir.' });

    // Meta says "read": the page follows without a reload.
    const wamid = graph.sent.find((s) => s.body === sent)!.wamid;
    await postWhatsApp(e2e, SECRET, waEnvelope(PHONE_ID, { statuses: [{ id: wamid, status: 'read', timestamp: waTs(), recipient_id: wa }] }));
    await reply.locator('.delivery-status[data-state="read"]', { hasText: 'Lu par le client' }).waitFor({ timeout: 15_000 });
    await expectAccessible(page, 'console-ticket-delivery');
    await expectControlsReadable(page, 'console-ticket-delivery');
    await screenshot(page, 'console-ticket-delivery');
    await context.close();
  });
});

describe('console: callbacks', () => {
  it('lists my callbacks and the team’s, live, and marks one done with its outcome', async () => {
    const token = await staffToken('n1@relais.example');
    const me = (await api(token, 'GET', '/me')).body as { id: string };
    const created = await api(token, 'POST', '/tickets', { subject: 'Box internet en panne', channel: 'phone', contact: { name: 'Robert Caillou', phone: '06 70 80 90 11' } });
    const cb = await api(token, 'POST', '/callbacks', { ticket: created.body.number, ownerId: me.id, reason: 'Rappeler après le redémarrage de la box' });
    expect(cb.status, JSON.stringify(cb.body)).toBe(201);

    const { context, page } = await newPage(e2e);
    await login(page, 'n1@relais.example');
    await page.getByRole('link', { name: /^Rappels/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Rappels' }).waitFor();
    const row = page.getByRole('row', { name: /Robert Caillou/ });
    await row.waitFor();
    await row.getByRole('link', { name: created.body.number }).waitFor();
    // Numbers the French way, as agents dial them (non-breaking spaces).
    await row.getByRole('link', { name: /^Appeler 06\s70\s80\s90\s11$/ }).waitFor();
    await expectAccessible(page, 'console-callbacks');
    await expectControlsReadable(page, 'console-callbacks');
    await screenshot(page, 'console-callbacks');

    // Asked for on the portal meanwhile: it shows up without a reload (the team's list).
    await page.locator('label', { hasText: 'Toute l’équipe' }).click();
    const slot = JSON.parse((await e2e.relais.app.inject({ method: 'GET', url: '/api/v1/portal/callback-slots' })).body).slots[0];
    expect(slot).toBeTruthy();
    const other = await api(token, 'POST', '/callbacks', { phone: '06 70 80 90 22', contactId: (await api(token, 'GET', `/tickets/${created.body.number}`)).body.contactId, source: 'portal', reason: 'Demandé sur le site' });
    expect(other.status).toBe(201);
    await page.getByRole('row', { name: /06\s70\s80\s90\s22/ }).waitFor({ timeout: 15_000 });

    // Done, with the outcome.
    await page.locator('label', { hasText: 'Mes rappels' }).click();
    await page.getByRole('button', { name: 'Marquer comme fait : rappel de Robert Caillou' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Rappel de Robert Caillou' });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: 'Pas de réponse' }).check();
    await dialog.getByLabel('Note (facultatif)').fill('Messagerie pleine, je réessaie demain.');
    await expectAccessible(page, 'console-callback-dialog');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const [saved] = await e2e.relais.ctx.db.select().from(callbacks).where(eq(callbacks.id, cb.body.id));
    expect(saved).toMatchObject({ status: 'done', outcome: 'no_answer', note: 'Messagerie pleine, je réessaie demain.' });
    await page.locator('label', { hasText: 'Terminés' }).click();
    await page.getByRole('row', { name: /Robert Caillou.*Pas de réponse/ }).waitFor();
    await expectAccessible(page, 'console-callbacks-done');
    await context.close();
  });
});

describe('console: incoming calls', () => {
  it('shows who is calling with their requests, then the chosen queue’s request one click away, and drops it when the call ends', async () => {
    const { context, page } = await newPage(e2e);
    await login(page, 'n1@relais.example');
    const sid = 'CAe2e00000000000000000000000001';
    const params = { AccountSid: SID, CallSid: sid, From: '+33612345678', To: '+33159000000', CallStatus: 'in-progress', Direction: 'inbound', ApiVersion: '2010-04-01' };
    expect((await twilio('/webhooks/twilio/voice', params)).statusCode).toBe(200);
    const card = page.getByRole('article', { name: /Appel entrant : Jeanne Dupuis/ });
    await card.waitFor({ timeout: 15_000 });
    await card.getByText('Le client écoute le serveur vocal.', { exact: false }).waitFor();
    await expectAccessible(page, 'console-incoming-call');
    await screenshot(page, 'console-incoming-call');

    // The caller chooses 3 (Commercial, a level-1 queue): the card now leads to the call's request.
    expect((await twilio('/webhooks/twilio/voice/menu?step=menu&try=0', { ...params, Digits: '3' })).statusCode).toBe(200);
    const open = card.getByRole('link', { name: /^Ouvrir la demande NUM-\d+$/ });
    await open.waitFor({ timeout: 15_000 });
    await card.getByText(/File Commercial — NUM-\d+/).waitFor();
    const number = (await open.textContent())!.match(/NUM-\d+/)![0];
    await open.click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${number}`) }).waitFor();

    expect((await twilio('/webhooks/twilio/voice/status', { ...params, CallStatus: 'completed', CallDuration: '42' })).statusCode).toBeLessThan(300);
    await card.waitFor({ state: 'detached', timeout: 15_000 });
    await context.close();
  });
});

describe('portal: be called back, and rate from the email link', () => {
  it('a client asks to be called back at a moment within opening hours', async () => {
    const { context, page } = await newPage(e2e);
    await page.goto('/');
    await page.getByRole('link', { name: 'Être rappelé', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Être rappelé par un conseiller' }).waitFor();
    await page.getByText('Vérification terminée').first().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Demander à être rappelé' }).click();
    await page.getByRole('heading', { name: 'Il y a un problème' }).waitFor();
    expect(await page.title()).toMatch(/^Erreur\s: /);
    await expectAccessible(page, 'portal-callback-errors');
    await screenshot(page, 'portal-callback-errors');

    await page.getByLabel('Votre nom').fill('Simone Garnier');
    await page.getByLabel('Numéro où vous appeler').fill('06 33 44 55 66');
    // The second moment offered is always ahead of us (the first may be under way).
    const moments = page.getByRole('group', { name: 'Quand pouvons-nous vous appeler ?' }).getByRole('radio');
    expect(await moments.count()).toBeGreaterThan(2);
    await moments.nth(2).check();
    await page.getByLabel('En quelques mots, à quel sujet ? (facultatif)').fill('Je voudrais de l’aide pour installer une imprimante.');
    await page.getByText('Vérification terminée').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'portal-callback-filled');
    await page.getByRole('button', { name: 'Demander à être rappelé' }).click();
    await page.getByRole('heading', { level: 2, name: 'C’est noté' }).waitFor({ timeout: 20_000 });
    await page.getByText(/Un conseiller vous appellera .* au 06\s33\s44\s55\s66\./).waitFor();
    await expectAccessible(page, 'portal-callback-done');
    await screenshot(page, 'portal-callback-done');
    const [cb] = await e2e.relais.ctx.db.select().from(callbacks).where(eq(callbacks.phone, '+33633445566'));
    expect(cb).toMatchObject({ source: 'portal', status: 'pending', reason: 'Demandé sur le site : Je voudrais de l’aide pour installer une imprimante.' });
    await context.close();
  });

  it('the link of the "resolved" email opens a page with the score already chosen, recorded once confirmed', async () => {
    const token = await staffToken('n1@relais.example');
    const created = await api(token, 'POST', '/tickets', { subject: 'Mot de passe de la messagerie', channel: 'email', contact: { name: 'Colette Dumas', email: 'colette.dumas@example.org' } });
    expect((await api(token, 'POST', `/tickets/${created.body.number}/status`, { status: 'resolved', reason: 'Mot de passe changé avec la cliente' })).status).toBe(200);
    const link = await ratingToken(e2e.relais.ctx.db, created.body.id);
    const { context, page } = await newPage(e2e);
    await page.goto(`/avis?t=${link}&note=4`);
    await page.getByText(`Votre demande ${created.body.number} : Mot de passe de la messagerie`).waitFor();
    expect(await page.getByRole('radio', { name: /Satisfait \(4 sur 5\)/ }).isChecked()).toBe(true);
    await expectAccessible(page, 'portal-rating-link');
    await screenshot(page, 'portal-rating-link');
    await page.getByLabel('Un commentaire ? (facultatif)').fill('Très claire, merci.');
    await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await page.getByRole('heading', { level: 2, name: 'Merci pour votre avis' }).waitFor();
    const [rating] = await e2e.relais.ctx.db.select().from(portalRatings).where(eq(portalRatings.ticketId, created.body.id));
    expect(rating).toMatchObject({ score: 4, comment: 'Très claire, merci.' });
    await expectAccessible(page, 'portal-rating-link-done');
    // The same link again: already given.
    await page.goto(`/avis?t=${link}&note=1`);
    await page.getByText('Vous avez déjà donné votre avis sur cette demande : 4 sur 5. Merci !').waitFor();
    await context.close();
  });
});

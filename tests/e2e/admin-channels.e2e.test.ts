import fs from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProviderSettings, PROVIDER_SETTING } from '../../server/src/domains/channels/provider-settings/provider-settings';
import { TEMPLATES_SETTING } from '../../server/src/domains/channels/outbound/templates';
import { twilioMessagesApi } from '../../server/src/domains/channels/testing/channel-test-kit';
import { startFakeServer, type FakeServer } from '../../server/src/domains/channels/testing/fake-server';
import { settings } from '../../server/src/domains/queues/queue.schema';
import { expectAccessible, expectControlsReadable, login, newPage, screenshot, startE2E, until, writeAxeSummary, type E2E } from './harness';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TW_AUTH = 'e2e-twilio-auth-from-the-environment';
const APP_SECRET = 'e2e-app-secret-typed-in-the-screen';
const VERIFY = 'e2e-verify-token-typed-in-the-screen';
const TOKEN_1 = 'EAAG-first-token-typed-in-the-screen';
const TOKEN_2 = 'EAAG-second-token-typed-in-the-screen';
const SHOTS = '/tmp/ac-shots';

let e2e: E2E;
let twilio: FakeServer;
beforeAll(async () => {
  // Twilio comes from the server's environment (the screen shows it read-only); email and WhatsApp are set from the screen.
  twilio = await startFakeServer(twilioMessagesApi(SID, TW_AUTH));
  e2e = await startE2E({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TW_AUTH, TWILIO_PHONE_NUMBER: '+33159000000', TWILIO_API_URL: twilio.url });
  await fs.mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await writeAxeSummary('axe-admin-channels.json');
  await e2e?.close();
  await twilio?.close();
});

async function shot(page: Page, name: string) {
  const file = await screenshot(page, name);
  const dir = path.dirname(file);
  for (const f of await fs.readdir(dir)) if (f === `${name}.png` || f.startsWith(`${name}.part`)) await fs.copyFile(path.join(dir, f), path.join(SHOTS, f));
}

async function setting<T>(key: string): Promise<T | null> {
  const [row] = await e2e.relais.ctx.db.select().from(settings).where(eq(settings.key, key));
  return (row?.value as T) ?? null;
}

/** Presses Tab until the focused element matches; keyboard only. */
async function tabTo(page: Page, test: (el: { tag: string; id: string; text: string; label: string }) => boolean, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { tag: a?.tagName ?? '', id: a?.id ?? '', text: (a?.textContent ?? '').trim(), label: a?.getAttribute('aria-label') ?? '' };
    });
    if (test(el)) return;
  }
  throw new Error('focus never reached the expected element');
}

type Stored = Record<string, { subject: string; text: string; whatsapp: { name: string; language: string; params: string[]; quickReplies?: string[] } | null }>;

describe('admin: messages to clients', () => {
  it('lists the messages, refuses an unknown {{variable}} with a clear message, inserts one at the cursor, sets the WhatsApp template, restores the default', async () => {
    const { page } = await newPage(e2e, { width: 1440, height: 1000 });
    await login(page, 'admin@relais.example');
    await page.goto('/admin');
    await page.getByRole('navigation', { name: /Menu de la console/ }).getByRole('link', { name: 'Messages aux clients' }).click();
    await page.getByRole('heading', { level: 1, name: 'Messages aux clients' }).waitFor();
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
      'Demande enregistrée',
      'Lien pour suivre ses demandes',
      'Réponse d’un conseiller',
      'Nous attendons votre réponse',
      'Demande résolue et question de satisfaction',
      'Informations secrètes masquées',
    ]);
    await expectAccessible(page, 'ac-templates');
    await expectControlsReadable(page, 'ac-templates');
    await shot(page, 'ac-templates');

    await page.getByRole('link', { name: 'Modifier : Demande résolue et question de satisfaction' }).click();
    await page.getByRole('heading', { level: 1, name: 'Modifier : Demande résolue et question de satisfaction' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/messages/resolved');
    const text = page.getByRole('textbox', { name: 'Texte du message' });
    const preview = page.getByRole('region', { name: 'Aperçu' });
    // The preview is filled with the sample values, the satisfaction links included.
    await preview.getByText('Objet : Votre demande NUM-10042 est résolue').waitFor();
    await preview.getByText(/Très satisfait \(5 sur 5\) : http:\/\/relais\.e2e\.test\/avis\?t=exemple&note=5/).waitFor();
    await expectAccessible(page, 'ac-template-edit');
    await shot(page, 'ac-template-edit');

    // A misspelt variable: said next to the field once it is left, and refused on saving.
    await text.fill('Bonjour {{name}},\n\nVotre demande {{numero}} est résolue.\n{{satisfaction}}');
    await page.getByRole('textbox', { name: 'Objet de l’email' }).focus();
    const problem = 'Information inconnue : {{numero}}. Ce message peut contenir : {{name}}, {{number}}, {{subject}}, {{link}}, {{satisfaction}}.';
    await page.getByText(problem).first().waitFor();
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Il y a un problème' });
    await summary.waitFor();
    await until(async () => (await page.evaluate(() => document.activeElement?.textContent ?? '')).includes('Il y a un problème'));
    expect(await page.title()).toMatch(/^Erreur\s*:/);
    await expectAccessible(page, 'ac-template-error');
    await shot(page, 'ac-template-error');
    expect(await setting(TEMPLATES_SETTING)).toBeNull();
    // The preview leaves it visible, marked, where the client would have read it.
    await preview.locator('mark', { hasText: '{{numero}}' }).waitFor();
    // The summary's link leads to the field.
    await summary.getByRole('link', { name: problem }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tpl-text');

    // Keyboard only: the misspelt word removed, {{number}} inserted at the cursor with its chip.
    await text.fill('Bonjour {{name}},\n\nVotre demande  est résolue.\n{{satisfaction}}');
    await text.evaluate((el: HTMLTextAreaElement) => {
      const at = el.value.indexOf('demande  ') + 'demande '.length;
      el.setSelectionRange(at, at);
    });
    await tabTo(page, (el) => el.label.startsWith('Insérer {{number}}'));
    await page.keyboard.press('Enter');
    await until(async () => (await text.inputValue()) === 'Bonjour {{name}},\n\nVotre demande {{number}} est résolue.\n{{satisfaction}}');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tpl-text');
    await preview.getByText('Votre demande NUM-10042 est résolue.').waitFor();
    await expect.poll(() => summary.count()).toBe(0);

    // The SMS and WhatsApp previews.
    await preview.getByRole('tab', { name: 'SMS' }).click();
    await preview.getByText('Répondez à ce SMS par un chiffre de 1 (pas du tout satisfait) à 5 (très satisfait).', { exact: false }).waitFor();
    await preview.getByText(/^\d+ caractères : /).waitFor();
    await preview.getByRole('tab', { name: 'WhatsApp' }).click();
    await preview.getByText('😊 Très satisfait').waitFor();
    await preview.getByText('Aucun modèle : après 24 heures sans message du client, ce message ne peut pas partir sur WhatsApp.').waitFor();

    // The approved template for after 24 hours: name, language, {{1}} = number, the three satisfaction buttons.
    await page.getByRole('switch', { name: 'Envoyer un modèle approuvé après 24 heures' }).check();
    await page.getByRole('textbox', { name: 'Nom du modèle' }).fill('Demande Résolue');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('Écrivez le nom du modèle comme chez Meta : lettres minuscules, chiffres et _ (par exemple demande_resolue).').first().waitFor();
    await page.getByRole('textbox', { name: 'Nom du modèle' }).fill('demande_resolue');
    await preview.getByText('Meta envoie le modèle « demande_resolue » (fr), avec :').waitFor();
    await preview.getByText('Note 5 : très satisfait', { exact: false }).waitFor();
    await expectAccessible(page, 'ac-template-whatsapp');
    await shot(page, 'ac-template-whatsapp');
    // Leaving with unsaved changes asks first; staying keeps them.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('link', { name: '← Messages aux clients' }).click();
    expect(asked).toEqual(['Vos modifications ne sont pas enregistrées. Quitter la page quand même\u00a0?']);
    expect(new URL(page.url()).pathname).toBe('/admin/messages/resolved');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Enregistré.' }).waitFor();
    const saved = (await setting<Stored>(TEMPLATES_SETTING))!;
    expect(saved.resolved).toEqual({
      subject: 'Votre demande {{number}} est résolue',
      text: 'Bonjour {{name}},\n\nVotre demande {{number}} est résolue.\n{{satisfaction}}',
      whatsapp: { name: 'demande_resolue', language: 'fr', params: ['number'], quickReplies: ['rating:5', 'rating:3', 'rating:1'] },
    });
    await page.getByText('Texte modifié').waitFor();

    // Restore the default, after a confirmation that shows it.
    await page.getByRole('button', { name: 'Remettre le texte d’origine' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remettre le texte d’origine ?' });
    await dialog.getByText('Le modèle WhatsApp de ce message sera retiré.').waitFor();
    await expectAccessible(page, 'ac-template-restore');
    await dialog.getByRole('button', { name: 'Remettre le texte d’origine' }).click();
    await page.getByRole('status').filter({ hasText: 'Le texte d’origine est remis.' }).waitFor();
    expect((await setting<Stored>(TEMPLATES_SETTING))!.resolved).toBeUndefined();
    expect(await text.inputValue()).toContain('Êtes-vous satisfait(e) de notre aide ?');
    await page.getByText('Texte d’origine', { exact: true }).waitFor();
  });
});

describe('admin: channels', () => {
  it('shows each channel, what is missing and where it comes from; WhatsApp set from the screen with write-only secrets, live on the server', async () => {
    const { context, page } = await newPage(e2e, { width: 1440, height: 1000 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await login(page, 'admin@relais.example');
    await page.goto('/admin');
    await page.getByRole('navigation', { name: /Menu de la console/ }).getByRole('link', { name: 'Canaux' }).click();
    await page.getByRole('heading', { level: 1, name: 'Canaux' }).waitFor();
    const summary = page.getByRole('navigation', { name: 'État des canaux' });
    expect(await summary.getByRole('listitem').allTextContents()).toEqual(['Email : pas configuré', 'WhatsApp : pas configuré', 'Téléphone et SMS : en service']);
    const wa = page.locator('section[aria-labelledby="ch-wa-title"]');
    const tw = page.locator('section[aria-labelledby="ch-tw-title"]');
    // What is missing, with the variable that sets it.
    await wa.getByRole('listitem').filter({ hasText: 'Jeton d’accès (Access token)' }).getByText('WHATSAPP_ACCESS_TOKEN').waitFor();
    // Twilio from the environment: read-only, said so, its secret never shown.
    await tw.getByText('Ce canal est réglé par les variables d’environnement du serveur').waitFor();
    expect(await tw.getByRole('row', { name: /Numéro de la hotline chez Twilio/ }).textContent()).toBe('Numéro de la hotline chez Twilio+33159000000la variable TWILIO_PHONE_NUMBER');
    expect(await page.content()).not.toContain(TW_AUTH);
    await expectAccessible(page, 'ac-channels');
    await expectControlsReadable(page, 'ac-channels');
    await shot(page, 'ac-channels');

    // The address to give Meta, copied with one click.
    await wa.getByRole('button', { name: 'Copier : URL de rappel (Callback URL)' }).click();
    await wa.getByText('Copié.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('http://relais.e2e.test/webhooks/whatsapp');

    // A wrong form: the server's reason next to the field, nothing stored.
    await wa.getByRole('textbox', { name: 'Identifiant du numéro (Phone number ID)' }).fill('12ab');
    await wa.getByLabel('Clé secrète de l’application (App secret)').fill(APP_SECRET);
    await wa.getByRole('button', { name: 'Enregistrer les réglages WhatsApp' }).click();
    await wa.getByText('l’identifiant du numéro chez Meta (« Phone number ID ») : des chiffres seulement').waitFor();
    await wa.getByText('indiquez le jeton de vérification').waitFor();
    await wa.getByRole('alert').waitFor();
    await expectAccessible(page, 'ac-channels-error');
    expect(await setting(PROVIDER_SETTING)).toBeNull();

    await wa.getByRole('textbox', { name: 'Identifiant du numéro (Phone number ID)' }).fill('106540352242922');
    await wa.getByLabel('Jeton de vérification (Verify token)').fill(VERIFY);
    await wa.getByLabel('Jeton d’accès (Access token)').fill(TOKEN_1);
    await wa.getByRole('button', { name: 'Enregistrer les réglages WhatsApp' }).click();
    await wa.getByText('Enregistré. Le canal suit ces réglages tout de suite, sur tous les serveurs.').waitFor();
    expect(await summary.getByRole('listitem').nth(1).textContent()).toBe('WhatsApp : en service');
    // Write-only: « Enregistré » and a replace button, never the value — not in the page, not in the database row.
    await wa.getByRole('button', { name: 'Remplacer : Jeton d’accès (Access token)' }).waitFor();
    const html = await page.content();
    for (const secret of [APP_SECRET, VERIFY, TOKEN_1]) expect(html).not.toContain(secret);
    const row = JSON.stringify(await setting(PROVIDER_SETTING));
    for (const secret of [APP_SECRET, VERIFY, TOKEN_1]) expect(row).not.toContain(secret);
    expect(await wa.getByRole('row', { name: /Jeton d’accès/ }).textContent()).toBe('Jeton d’accès (Access token)secret, jamais affichécet écran');
    await expectAccessible(page, 'ac-channels-whatsapp-saved');
    await shot(page, 'ac-channels-whatsapp-saved');
    // The server uses it at once: Meta's verification handshake answers with the saved token.
    const handshake = await fetch(`${e2e.baseURL}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=4242`);
    expect([handshake.status, await handshake.text()]).toEqual([200, '4242']);

    // Keyboard only: replace the access token, keep the other secrets.
    await wa.getByRole('textbox', { name: 'Identifiant du numéro (Phone number ID)' }).focus();
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text.startsWith('Remplacer') && el.text.includes('Jeton d’accès'));
    await page.keyboard.press('Enter');
    await until(async () => (await page.evaluate(() => document.activeElement?.id)) === 'ch-wa-accessToken');
    await page.keyboard.type(TOKEN_2);
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Enregistrer les réglages WhatsApp');
    await page.keyboard.press('Enter');
    await until(async () => (await loadProviderSettings(e2e.relais.ctx.db, e2e.relais.ctx.config)).values.WHATSAPP_ACCESS_TOKEN === TOKEN_2);
    expect((await loadProviderSettings(e2e.relais.ctx.db, e2e.relais.ctx.config)).values).toMatchObject({ WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY, WHATSAPP_PHONE_NUMBER_ID: '106540352242922' });
    await until(async () => e2e.relais.ctx.config.channels.whatsapp?.accessToken === TOKEN_2);

    // Removing what the screen saved turns WhatsApp off, after a confirmation.
    await wa.getByRole('button', { name: 'Retirer les réglages enregistrés ici : WhatsApp' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retirer les réglages WhatsApp enregistrés ici ?' });
    await expectAccessible(page, 'ac-channels-remove');
    await dialog.getByRole('button', { name: 'Retirer les réglages' }).click();
    await wa.getByText('Réglages retirés.').waitFor();
    await until(async () => (await summary.getByRole('listitem').nth(1).textContent()) === 'WhatsApp : pas configuré');
    expect((await fetch(`${e2e.baseURL}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1`)).status).toBe(503);
  });

  it('is readable in English and on a narrow screen', async () => {
    const { page } = await newPage(e2e);
    await login(page, 'admin@relais.example');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => localStorage.setItem('relais.lang', 'en'));
    await page.goto('/admin/canaux');
    await page.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Phone and SMS' }).waitFor();
    await expectAccessible(page, 'ac-channels-narrow-en');
    await shot(page, 'ac-channels-narrow-en');
    await page.goto('/admin/messages/agent_reply');
    await page.getByRole('heading', { level: 1, name: 'Edit: An agent’s reply' }).waitFor();
    await expectAccessible(page, 'ac-template-narrow-en');
    await shot(page, 'ac-template-narrow-en');
  });
});

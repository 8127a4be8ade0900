import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, login, newPage, screenshot, startE2E, until, writeAxeSummary, type E2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await writeAxeSummary('axe-journey.json');
  await e2e?.close();
});

/**
 * The link the client receives by SMS or email: read from the queue of client messages
 * (the channels work delivers it), as the test has no phone to read it on.
 */
async function magicLinkFor(number: string): Promise<string> {
  return until(async () => {
    const res = await e2e.relais.ctx.db.execute<{ data: { variables?: Record<string, string> } }>(sql`select data from pgboss.job where name = 'notify.contact'`);
    const row = res.rows.find((r) => r.data.variables?.number === number && r.data.variables?.link);
    return row?.data.variables?.link ?? null;
  });
}

async function changeStatus(page: Page, label: string) {
  await page.getByRole('button', { name: 'Changer le statut', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Changer le statut' });
  await dialog.getByRole('radio', { name: label }).check();
  await dialog.getByRole('button', { name: 'Changer le statut' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('a request from the portal to its rating', () => {
  it('client sends with an attachment → L1 sees it live, qualifies, escalates → L2 replies → client follows the link, replies → resolved → rated', async () => {
    // Level 1 is watching their queue.
    const l1 = await newPage(e2e);
    await login(l1.page, 'n1@relais.example');
    await l1.page.goto('/console/vue/mon-niveau');
    await l1.page.getByRole('heading', { level: 1, name: 'File du niveau 1' }).waitFor();
    await l1.page.getByText('En direct', { exact: true }).waitFor();

    // The client, on a phone, sends the form with a photo of their screen.
    const client = await newPage(e2e, { width: 360, height: 800 });
    const cp = client.page;
    await cp.goto('/demande');
    await cp.getByLabel('Votre nom').fill('Simone Garnier');
    await cp.getByLabel('Numéro de téléphone').fill('06 45 67 89 12');
    await cp.getByLabel('Adresse email').fill('simone.garnier@example.fr');
    await cp.getByLabel('Que se passe-t-il ?').fill('Je ne reçois plus mes emails depuis hier. Un message rouge s’affiche.');
    await cp.getByText('Emails et messages').click();
    const photo = await cp.screenshot();
    const [chooser] = await Promise.all([cp.waitForEvent('filechooser'), cp.getByText('Ajouter une photo ou un document').click()]);
    await chooser.setFiles({ name: 'message-rouge.png', mimeType: 'image/png', buffer: photo });
    await cp.getByRole('button', { name: 'Retirer message-rouge.png' }).waitFor();
    await cp.getByText('Vérification terminée').first().waitFor({ timeout: 20_000 });
    await cp.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await cp.getByRole('heading', { level: 1, name: 'Votre demande est envoyée' }).waitFor({ timeout: 20_000 });
    const number = (await cp.locator('.portal-panel-number').textContent())!.trim();
    await screenshot(cp, 'journey-1-client-confirmation-360');

    // L1 sees it appear without reloading, opens it, qualifies and escalates to level 2.
    await l1.page.getByRole('link', { name: number }).waitFor({ timeout: 5000 });
    await screenshot(l1.page, 'journey-2-l1-queue-live');
    await l1.page.getByRole('link', { name: number }).click();
    await l1.page.getByRole('heading', { level: 1, name: new RegExp(`^${number}`) }).waitFor();
    await l1.page.getByRole('link', { name: 'message-rouge.png' }).waitFor();
    await l1.page.getByRole('button', { name: 'Qualifier', exact: true }).click();
    let dialog = l1.page.getByRole('dialog', { name: 'Qualifier la demande' });
    await dialog.getByLabel('Type').click();
    await l1.page.getByRole('option', { name: 'Incident' }).click();
    await dialog.getByRole('button', { name: 'Qualifier' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await l1.page.getByRole('button', { name: 'Escalader', exact: true }).click();
    dialog = l1.page.getByRole('dialog', { name: 'Escalader la demande' });
    await dialog.getByRole('radio', { name: 'Niveau 2' }).check();
    await dialog.getByLabel('Raison').fill('Boîte mail bloquée, mot de passe de l’application à refaire : niveau 2.');
    await dialog.getByRole('button', { name: 'Escalader' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await l1.page.getByText(/escaladée au niveau 2/).waitFor();
    await screenshot(l1.page, 'journey-3-l1-escalated');

    // Level 2 replies with a question and waits for the client.
    const l2 = await newPage(e2e);
    await login(l2.page, 'n2@relais.example');
    await l2.page.goto(`/console/demandes/${number}`);
    await l2.page.getByRole('heading', { level: 1, name: new RegExp(`^${number}`) }).waitFor();
    const code = (await l2.page.locator('.verification-code').textContent())?.trim();
    await l2.page.getByLabel('Réponse au client').fill('Bonjour Madame Garnier, je suis David, conseiller. Avez-vous changé votre mot de passe récemment ?');
    await l2.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await l2.page.locator('.timeline-message', { hasText: 'Avez-vous changé votre mot de passe' }).waitFor();
    await changeStatus(l2.page, 'En attente du client');
    await l2.page.getByText(/statut\s: .* → En attente du client/).waitFor();

    // The client opens the link from their SMS, on another device: no password.
    const link = new URL(await magicLinkFor(number));
    const phone = await newPage(e2e, { width: 360, height: 800 });
    const pp = phone.page;
    await pp.goto(`/mes-demandes${link.search}`);
    await pp.getByRole('heading', { level: 2, name: `Demande ${number}` }).waitFor();
    expect(new URL(pp.url()).search).toBe(''); // the token leaves the address bar
    // The progress bar is at step 3 of 4, "Nous vous aidons" (follow-up).
    const current = pp.locator('.portal-progress li[aria-current="step"]');
    expect((await current.textContent())!).toContain('Nous vous aidons');
    expect((await current.textContent())!).toContain('Étape 3 sur 4');
    await expectAccessible(pp, 'journey-client-list-360');
    await screenshot(pp, 'journey-4-client-list-360');
    await pp.getByRole('link', { name: `Voir la demande ${number}` }).click();
    await pp.getByRole('heading', { level: 1, name: `Demande ${number}` }).waitFor();
    await pp.getByText('Avez-vous changé votre mot de passe récemment ?').waitFor();
    // Same verification code as the adviser's console.
    if (code) expect((await pp.locator('.portal-verify-code').textContent())!.replace(/\s/g, '')).toBe(code.replace(/\s/g, ''));
    await pp.getByLabel('Votre message').fill('Oui, mon petit-fils l’a changé dimanche. Je n’ai pas le nouveau.');
    await pp.getByRole('button', { name: 'Envoyer mon message' }).click();
    await pp.getByText('Votre message est envoyé.').waitFor();
    await expectAccessible(pp, 'journey-client-detail-360');
    await screenshot(pp, 'journey-5-client-replied-360');

    // L2 sees the answer arrive live, then resolves.
    await l2.page.locator('.timeline-message', { hasText: 'mon petit-fils' }).waitFor({ timeout: 5000 });
    await changeStatus(l2.page, 'Résolue');
    await l2.page.getByText(/statut\s: .* → Résolue/).waitFor();
    await screenshot(l2.page, 'journey-6-l2-resolved');

    // The client rates the help; "Ce n'est pas résolu" is offered too.
    await pp.reload();
    await pp.getByRole('heading', { name: 'Votre avis' }).waitFor();
    await pp.getByRole('heading', { name: 'Ce n’est pas résolu ?' }).waitFor();
    expect((await pp.locator('.portal-progress li[aria-current="step"]').textContent())!).toContain('C’est réglé');
    await expectAccessible(pp, 'journey-client-rating-360');
    await pp.getByRole('radio', { name: /Très satisfait/ }).check();
    await pp.getByLabel('Un commentaire ? (facultatif)').fill('Merci David, tout remarche.');
    await pp.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await pp.getByText('Merci pour votre avis : 5 sur 5.').first().waitFor();
    await screenshot(pp, 'journey-7-client-rated-360');

    for (const c of [l1, client, l2, phone]) await c.context.close();
  });
});

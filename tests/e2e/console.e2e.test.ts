import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { calls } from '../../server/src/domains/channels/channel.schema';
import { tickets } from '../../server/src/domains/tickets/ticket.schema';
import { createTicket } from '../../server/src/domains/tickets/ticket-intake';
import { expectAccessible, expectControlsReadable, login, newPage, screenshot, startE2E, until, writeAxeSummary, type E2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await writeAxeSummary('axe-console.json');
  await e2e?.close();
});

async function openDialog(page: Page, button: string, title: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  return dialog;
}

describe('agent console', () => {
  it('an L1 agent logs in, takes a phone call, qualifies, escalates to level 2 and replies', async () => {
    const { context, page } = await newPage(e2e);
    await page.goto('/console');
    await page.getByRole('heading', { level: 1, name: 'Connexion à la console' }).waitFor();
    await expectAccessible(page, 'console-login');
    await screenshot(page, 'console-login');
    await login(page, 'n1@relais.example');

    // The queue: my tickets, live.
    await page.getByRole('heading', { level: 1, name: 'Mes demandes' }).waitFor();
    await page.getByText('En direct', { exact: true }).waitFor();
    await page.getByRole('table').waitFor();
    await expectAccessible(page, 'console-queue-mine');
    await screenshot(page, 'console-queue-mine');

    // Phone intake with the call timer: find the caller by number, write and qualify the request.
    await page.getByRole('link', { name: 'Nouvel appel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nouvel appel' }).waitFor();
    await page.getByLabel('Numéro de l’appelant').fill('06 12 34 56 78');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.getByRole('radio', { name: /Jeanne Dupuis/ }).waitFor();
    expect(await page.getByRole('radio', { name: /Jeanne Dupuis/ }).isChecked()).toBe(true);
    await page.getByRole('textbox', { name: /^Sujet/ }).fill('Imprimante qui n’imprime plus depuis la mise à jour');
    await page.getByLabel('Description').fill('La cliente a installé une mise à jour Windows hier. Depuis, l’imprimante est « hors ligne ».');
    await expectAccessible(page, 'console-phone-intake');
    await screenshot(page, 'console-phone-intake');
    await page.getByRole('button', { name: 'Créer la demande' }).click();
    const created = page.getByText(/^Demande NUM-\d+ créée$/);
    await created.waitFor();
    const number = (await created.textContent())!.match(/NUM-\d+/)![0];
    await page.waitForTimeout(1100); // the timer has run
    await page.getByRole('button', { name: `Fin de l’appel : l’enregistrer sur ${number}` }).click();

    // The ticket page: the call is recorded, then qualify, escalate, reply.
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${number} — Imprimante`) }).waitFor();
    // A call record, shown in the timeline with its direction and duration.
    await page.locator('.timeline-call', { hasText: /appel reçu, \d s \(/ }).waitFor();
    const [onTicket] = await e2e.relais.ctx.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, number));
    // The demo has console calls of its own: this one is found by its ticket.
    const [recorded] = await e2e.relais.ctx.db.select().from(calls).where(and(eq(calls.source, 'console'), eq(calls.ticketId, onTicket!.id)));
    expect(recorded).toMatchObject({ direction: 'inbound', status: 'completed' });
    expect(recorded!.durationSeconds).toBeGreaterThanOrEqual(1);
    await expectAccessible(page, 'console-ticket');
    await expectControlsReadable(page, 'console-ticket');
    await screenshot(page, 'console-ticket');

    let dialog = await openDialog(page, 'Qualifier', 'Qualifier la demande');
    await dialog.getByLabel('Catégorie').fill('Ordinateur');
    await dialog.getByLabel('Priorité').click();
    await page.getByRole('option', { name: 'Haute' }).click();
    await expectAccessible(page, 'console-dialog-qualify');
    await dialog.getByRole('button', { name: 'Qualifier' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Picked by its name, saved as its slug, said in words.
    await page.getByText(/qualifiée\s: .*Catégorie\s: — → Ordinateur/).waitFor();
    const [qualified] = await e2e.relais.ctx.db.select({ category: tickets.category }).from(tickets).where(eq(tickets.id, onTicket!.id));
    expect(qualified!.category).toBe('computer');

    dialog = await openDialog(page, 'Changer le statut', 'Changer le statut');
    // Only the transitions the workflow allows from the current status.
    const options = await dialog.getByRole('radio').allTextContents();
    expect(options.length).toBeGreaterThan(0);
    await expectAccessible(page, 'console-dialog-status');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    dialog = await openDialog(page, 'Escalader', 'Escalader la demande');
    await dialog.getByRole('radio', { name: 'Niveau 2' }).check();
    await dialog.getByLabel('Raison').fill('Pilote d’imprimante à réinstaller : prise en main à distance nécessaire.');
    await expectAccessible(page, 'console-dialog-escalate');
    await screenshot(page, 'console-dialog-escalate');
    await dialog.getByRole('button', { name: 'Escalader' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(/escaladée au niveau 2 — Pilote d’imprimante/).waitFor();
    await page.getByText('N2', { exact: true }).first().waitFor();

    // Reply to the client (keyboard shortcut r focuses the composer, Ctrl+Enter sends).
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA', undefined, { timeout: 2000 });
    await page.keyboard.type('Bonjour, un conseiller spécialisé va vous appeler pour réinstaller le pilote de l’imprimante.');
    await page.keyboard.press('Control+Enter');
    await page.locator('.timeline-message[data-visibility="public"]', { hasText: 'réinstaller le pilote' }).waitFor();
    await screenshot(page, 'console-ticket-after');

    // The shortcuts are documented in a help dialog.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Raccourcis clavier' }).waitFor();
    await expectAccessible(page, 'console-shortcuts');
    await screenshot(page, 'console-shortcuts');
    await page.keyboard.press('Escape');

    // Search by number, name, phone or words.
    await page.getByRole('searchbox', { name: 'Rechercher une demande' }).fill('Dupuis');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Recherche' }).waitFor();
    await page.getByRole('link', { name: number }).waitFor();
    await expectAccessible(page, 'console-search');

    await context.close();
  });

  it('every queue view, the profile and the search are accessible', async () => {
    const { context, page } = await newPage(e2e);
    await login(page, 'superviseur@relais.example');
    for (const [slug, title] of [
      ['mes-demandes', 'Mes demandes'],
      // Without a level, the supervisor's "level" queue is every request in progress.
      ['mon-niveau', 'Demandes en cours'],
      ['non-attribuees', 'Non attribuées'],
      ['en-attente', 'En attente du client'],
      ['urgences', 'Urgences cyber'],
      ['delais', 'Délais bientôt dépassés'],
    ]) {
      await page.goto(`/console/vue/${slug}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.locator('table, p:has-text("Aucune demande ici")').first().waitFor();
      await expectAccessible(page, `console-view-${slug}`);
      await screenshot(page, `console-view-${slug}`);
    }
    // The SLA view asks the server for breached and due-soon requests, the most urgent first.
    const soon = await createTicket(e2e.relais.ctx, { kind: 'system' }, { subject: 'Délai dans 20 minutes', channel: 'web', contact: { name: 'Marcel Soon', phone: '06 11 22 33 01' } });
    const late = await createTicket(e2e.relais.ctx, { kind: 'system' }, { subject: 'Délai dépassé de 10 minutes', channel: 'web', contact: { name: 'Lucie Late', phone: '06 11 22 33 02' } });
    const at = (min: number) => new Date(Date.now() + min * 60_000);
    await e2e.relais.ctx.db.update(tickets).set({ firstResponseDueAt: at(20) }).where(eq(tickets.id, soon.ticket.id));
    await e2e.relais.ctx.db.update(tickets).set({ firstResponseDueAt: at(-10) }).where(eq(tickets.id, late.ticket.id));
    await page.goto('/console/vue/delais');
    await page.getByRole('link', { name: soon.ticket.number, exact: true }).waitFor();
    const order = await page.locator('.queue-table tbody tr td:first-child a').allTextContents();
    expect(order.indexOf(late.ticket.number)).toBeLessThan(order.indexOf(soon.ticket.number));
    expect(order.indexOf(late.ticket.number)).toBeGreaterThanOrEqual(0);
    await page.getByRole('row').filter({ hasText: late.ticket.number }).locator('.sla-breached').waitFor();
    await page.getByRole('combobox', { name: 'Délai' }).click();
    await page.getByRole('option', { name: 'Dépassé', exact: true }).click();
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: soon.ticket.number, exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: late.ticket.number, exact: true }).waitFor();
    await expectAccessible(page, 'console-view-delais-filled');
    await screenshot(page, 'console-view-delais-filled');

    await page.goto('/console/profil');
    await page.getByRole('heading', { level: 1, name: 'Mon profil' }).waitFor();
    await expectAccessible(page, 'console-profile');
    await screenshot(page, 'console-profile');
    // A technician sees only their own tickets and no desk actions.
    await context.close();
  });

  it('a new request appears in the L1 queue without a reload', async () => {
    const { context, page } = await newPage(e2e);
    await login(page, 'n1@relais.example');
    await page.goto('/console/vue/mon-niveau');
    await page.getByRole('heading', { level: 1, name: 'File du niveau 1' }).waitFor();
    await page.getByText('En direct', { exact: true }).waitFor();
    const { ticket: t } = await createTicket(e2e.relais.ctx, { kind: 'system' }, { subject: 'Écran noir au démarrage (test en direct)', channel: 'web', contact: { name: 'Paul Live', phone: '06 55 44 33 22' } });
    await page.getByRole('link', { name: t.number }).waitFor({ timeout: 5000 });
    await page.getByText('Nouveau', { exact: true }).first().waitFor();
    // The row names the client, with how to reach them.
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: t.number }) });
    await row.getByText('Paul Live').waitFor();
    await row.getByText('06 55 44 33 22').waitFor();
    await screenshot(page, 'console-live-new');
    await context.close();
  });

  it('two agents on one ticket see each other, who is writing, and are warned before a double reply', async () => {
    const { ticket: tk } = await createTicket(e2e.relais.ctx, { kind: 'system' }, { subject: 'Mot de passe de messagerie oublié (présence)', channel: 'email', contact: { name: 'Renée Collin', email: 'renee@example.fr' } });
    const a = await newPage(e2e);
    const b = await newPage(e2e);
    await login(a.page, 'n1@relais.example');
    await login(b.page, 'n2@relais.example');
    await a.page.goto(`/console/demandes/${tk.number}`);
    await b.page.goto(`/console/demandes/${tk.number}`);
    const barOfB = b.page.getByRole('region', { name: /Aussi sur cette demande/ });
    const n1Name = 'Chloé Bernard';
    await barOfB.getByRole('listitem').filter({ hasText: `${n1Name} (N1)` }).waitFor();
    await a.page.getByRole('region', { name: /Aussi sur cette demande/ }).getByRole('listitem').filter({ hasText: 'David Moreau (N2)' }).waitFor();

    // A writes a reply: B sees it, and hears it once, politely.
    await a.page.getByLabel('Réponse au client').fill('Bonjour, voici comment changer votre mot de passe.');
    await barOfB.getByText('écrit une réponse…').waitFor();
    await b.page.locator('p[aria-live="polite"]', { hasText: `${n1Name} est en train d’écrire une réponse au client…` }).waitFor();
    await expectAccessible(b.page, 'console-ticket-presence');
    await screenshot(b.page, 'console-ticket-presence');

    // B wants to reply too while A is still writing: warned before sending, and can hold back.
    await a.page.getByLabel('Réponse au client').pressSequentially(' Étape 1 :');
    await barOfB.getByText('écrit une réponse…').waitFor();
    await b.page.getByLabel('Réponse au client').fill('Bonjour, je vous rappelle dans la journée.');
    await b.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    const warning = b.page.getByRole('alert').filter({ hasText: 'Un collègue répond aussi à ce client' });
    await warning.getByText(`${n1Name} est en train d’écrire une réponse au client.`).waitFor();
    await expectAccessible(b.page, 'console-ticket-collision');
    await screenshot(b.page, 'console-ticket-collision');
    await warning.getByRole('button', { name: 'Ne pas envoyer' }).click();
    await warning.waitFor({ state: 'hidden' });

    // B writes on; A, about to send, is warned in turn and sends anyway.
    await b.page.getByLabel('Réponse au client').fill('Bonjour, je vous rappelle dans la journée. ');
    const barOfA = a.page.getByRole('region', { name: /Aussi sur cette demande/ });
    await barOfA.getByText('écrit une réponse…').waitFor();
    await a.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    const warningOfA = a.page.getByRole('alert').filter({ hasText: 'Un collègue répond aussi à ce client' });
    await warningOfA.getByText('David Moreau est en train d’écrire une réponse au client.').waitFor();
    await warningOfA.getByRole('button', { name: 'Envoyer quand même' }).click();
    await a.page.locator('.timeline-message[data-visibility="public"]', { hasText: 'changer votre mot de passe' }).waitFor();
    await b.page.locator('.timeline-message[data-visibility="public"]', { hasText: 'changer votre mot de passe' }).waitFor();
    // B's draft began before A's reply: B is told A replied meanwhile, and sends anyway.
    await barOfB.getByText('écrit une réponse…').waitFor({ state: 'hidden' });
    await b.page.getByLabel('Réponse au client').fill('Bonjour, je vous rappelle dans la journée pour vérifier.');
    await b.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await warning.getByText(new RegExp(`${n1Name} a répondu au client à \\d`)).waitFor();
    await warning.getByRole('button', { name: 'Envoyer quand même' }).click();
    await b.page.locator('.timeline-message[data-visibility="public"]', { hasText: 'pour vérifier' }).waitFor();

    // A leaves: B's bar empties without a reload.
    await a.context.close();
    await barOfB.waitFor({ state: 'hidden', timeout: 5000 });
    await b.context.close();
  });

  it('the red button: confirmation, checklist; an L3 console shows the emergency without a reload', async () => {
    const l3 = await newPage(e2e);
    await login(l3.page, 'n3@relais.example');
    await l3.page.getByText('En direct', { exact: true }).waitFor();
    const before = await l3.page.locator('.emergency-banner').count();

    const { context, page } = await newPage(e2e);
    await login(page, 'n1@relais.example');
    const { ticket: t } = await createTicket(e2e.relais.ctx, { kind: 'system' }, { subject: 'Appel d’un faux conseiller bancaire en cours', channel: 'phone', contact: { name: 'Odette Brun', phone: '06 77 88 99 00' } });
    await page.goto(`/console/demandes/${t.number}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(t.number) }).waitFor();
    const dialog = await openDialog(page, 'Bouton rouge : urgence cyber', 'Déclencher l’urgence cyber ?');
    await expectAccessible(page, 'console-dialog-red-button');
    await screenshot(page, 'console-dialog-red-button');
    await dialog.getByLabel('Ce qui se passe (facultatif)').fill('Un faux conseiller est en ligne avec la cliente et demande un code SMS.');
    await dialog.getByRole('button', { name: 'Oui, déclencher l’urgence' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'Premières consignes à donner' }).waitFor();
    const boxes = page.getByRole('region', { name: 'Premières consignes à donner' }).getByRole('checkbox');
    expect(await boxes.count()).toBeGreaterThan(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByText('2 sur ' + (await boxes.count()) + ' données').waitFor();
    await page.getByText(/consigne donnée\s: /).first().waitFor();
    await expectAccessible(page, 'console-ticket-cyber');
    await expectControlsReadable(page, 'console-ticket-cyber');
    await screenshot(page, 'console-ticket-cyber');

    // Meanwhile, on the L3 agent's screen, untouched: the red banner and the alert.
    await l3.page.locator('.emergency-banner', { hasText: t.number }).waitFor({ timeout: 5000 });
    await l3.page.getByRole('alert').filter({ hasText: `Urgence cyber : ${t.number}` }).waitFor({ timeout: 5000 });
    expect(await l3.page.locator('.emergency-banner').count()).toBeGreaterThanOrEqual(before);
    await expectAccessible(l3.page, 'console-l3-emergency-banner');
    await expectControlsReadable(l3.page, 'console-l3-emergency-banner');
    await screenshot(l3.page, 'console-l3-emergency-banner');
    await l3.page.getByRole('link', { name: new RegExp(`${t.number} — Appel d’un faux conseiller`) }).first().click();
    await l3.page.getByRole('heading', { level: 1, name: new RegExp(t.number) }).waitFor();
    await context.close();
    await l3.context.close();
  });

  it('a client’s WhatsApp photo is a thumbnail with its text alternative, opened full size in a tab; categories read as words', async () => {
    const [t] = await e2e.relais.ctx.db.select().from(tickets).where(eq(tickets.subject, 'Fausse alerte de sécurité sur la tablette'));
    const { context, page } = await newPage(e2e);
    await login(page, 'superviseur@relais.example');
    await page.goto(`/console/demandes/${t!.number}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(t!.number) }).waitFor();

    // The photo: inside the client's message, bounded, loaded from the authenticated route.
    const photo = page.getByRole('img', { name: 'Photo envoyée par Yvette Morel : image-tablette.png', exact: true });
    await photo.scrollIntoViewIfNeeded();
    await photo.waitFor();
    expect(await photo.getAttribute('loading')).toBe('lazy');
    await until(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
    const box = (await photo.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(241);
    expect(box.height).toBeLessThanOrEqual(181);
    expect(await page.locator('.timeline-message[data-from="contact"]').filter({ has: photo }).count()).toBe(1);
    await page.getByText('image-tablette.png (', { exact: false }).filter({ hasText: 'image PNG)' }).waitFor();

    // Keyboard: the photo's link is reached with Tab and says it opens a new tab.
    const open = page.getByRole('link', { name: /Photo envoyée par Yvette Morel : image-tablette\.png Ouvrir la photo en grand \(nouvel onglet\)/ });
    expect(await open.getAttribute('target')).toBe('_blank');
    await page.locator('h1').first().focus();
    let reached = false;
    for (let i = 0; i < 200 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await open.evaluate((a) => a === document.activeElement);
    }
    expect(reached, 'the photo link is reachable with Tab').toBe(true);
    const [tab] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')]);
    await tab.waitForLoadState();
    expect(tab.url()).toContain('?inline=true');
    await until(() => tab.evaluate(() => (document.images[0]?.naturalWidth ?? 0) > 0));
    const res = await context.request.get(tab.url());
    expect(res.headers()['content-disposition']).toMatch(/^inline;/);
    expect(res.headers()['content-type']).toBe('image/png');
    await tab.close();

    // Categories: the ticket's own (typed "tablette" by hand) and the suggested procedures', never a raw slug.
    await page.getByText(/catégorie Tablette/).waitFor();
    const suggestions = page.getByRole('region', { name: 'Procédures suggérées' });
    const text = await until(async () => {
      const words = await suggestions.innerText().catch(() => '');
      return words.split('\n').length > 2 && words;
    });
    expect(text).toMatch(/Sécurité|Fraude|Matériel|Démarches en ligne|Messagerie|Internet|Comptes en ligne|Relation client/);
    expect(text).not.toMatch(/\b(securite|materiel|fraude|demarches|messagerie|relation-client|rgpd|comptes)\b/);
    await expectAccessible(page, 'console-ticket-whatsapp-photo');
    await screenshot(page, 'console-ticket-whatsapp-photo');
    await context.close();
  });
});

describe('admin screens', () => {
  it('staff, queues, opening hours, SLA targets and first instructions: accessible and working', async () => {
    const { context, page } = await newPage(e2e);
    await page.goto('/admin');
    await page.getByLabel('Adresse email').fill('admin@relais.example');
    await page.getByLabel('Mot de passe').fill('relais-demo');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('navigation', { name: /Menu de la console/ }).waitFor();

    await page.getByRole('heading', { level: 1, name: 'Équipe' }).waitFor();
    await page.getByRole('cell', { name: 'Chloé Bernard', exact: true }).waitFor();
    await expectAccessible(page, 'admin-staff');
    await screenshot(page, 'admin-staff');
    await page.getByRole('button', { name: 'Ajouter un membre' }).click();
    const add = page.getByRole('dialog', { name: 'Ajouter un membre' });
    await add.getByLabel('Email').fill('gaston@relais.example');
    await add.getByLabel('Nom').fill('Gaston Lagaffe');
    await add.getByLabel('Compétences').fill('messagerie');
    await page.keyboard.press('Enter');
    await add.getByLabel('Mot de passe').fill('un-mot-de-passe-solide');
    await expectAccessible(page, 'admin-staff-add');
    await add.getByRole('button', { name: 'Enregistrer' }).click();
    await add.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'Gaston Lagaffe', exact: true }).waitFor();

    await page.getByRole('link', { name: 'Files' }).click();
    await page.getByRole('heading', { level: 1, name: 'Files' }).waitFor();
    await page.getByRole('cell', { name: 'Logiciels', exact: true }).waitFor();
    await expectAccessible(page, 'admin-queues');
    await screenshot(page, 'admin-queues');
    await page.getByRole('button', { name: 'Modifier Cloud' }).click();
    const q = page.getByRole('dialog', { name: 'Modifier la file Cloud' });
    await q.getByRole('switch', { name: /Audit préalable/ }).check();
    await expectAccessible(page, 'admin-queue-edit');
    await q.getByRole('button', { name: 'Enregistrer' }).click();
    await q.waitFor({ state: 'hidden' });

    await page.getByRole('link', { name: 'Horaires' }).click();
    await page.getByRole('heading', { level: 1, name: 'Horaires' }).waitFor();
    await page.getByRole('group', { name: 'samedi' }).waitFor();
    await page.getByRole('button', { name: 'Ajouter une plage (samedi)' }).click();
    await page.getByRole('textbox', { name: 'De (samedi, plage 1)' }).fill('10:00');
    await expectAccessible(page, 'admin-hours');
    await screenshot(page, 'admin-hours');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Enregistré.').waitFor();

    await page.getByRole('link', { name: 'Délais (SLA)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Délais (SLA)' }).waitFor();
    await page.getByRole('textbox', { name: 'Première réponse (minutes) — Critique' }).fill('10');
    await expectAccessible(page, 'admin-sla');
    await screenshot(page, 'admin-sla');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Enregistré.').waitFor();

    await page.getByRole('link', { name: 'Premières consignes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Premières consignes' }).waitFor();
    await page.getByRole('textbox', { name: 'Consigne 1' }).waitFor();
    await expectAccessible(page, 'admin-first-instructions');
    await screenshot(page, 'admin-first-instructions');
    await page.getByRole('button', { name: 'Ajouter une consigne' }).click();
    const count = await page.getByRole('textbox', { name: /^Consigne \d+$/ }).count();
    await page.getByRole('textbox', { name: `Consigne ${count}` }).fill('Changer le mot de passe de la messagerie depuis un autre appareil.');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Enregistré.').waitFor();
    await context.close();
  });

  it('an agent is kept out of the admin screens', async () => {
    const { context, page } = await newPage(e2e);
    await page.goto('/admin');
    await page.getByLabel('Adresse email').fill('n2@relais.example');
    await page.getByLabel('Mot de passe').fill('relais-demo');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Cette partie est réservée aux administrateurs.').waitFor();
    await expectAccessible(page, 'admin-forbidden');
    await context.close();
  });
});

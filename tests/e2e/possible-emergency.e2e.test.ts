import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, tickets } from '../../server/src/domains/tickets/ticket.schema';
import { createTicket } from '../../server/src/domains/tickets/ticket-intake';
import { expectAccessible, expectControlsReadable, login, newPage, screenshot, startE2E, writeAxeSummary, type E2E } from './harness';

/** The two decisions around a possible emergency, and a reply refused by the server. */
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await writeAxeSummary('axe-possible-emergency.json');
  await e2e?.close();
});

const scam = (subject: string, name: string, phone: string) =>
  createTicket(e2e.relais.ctx, { kind: 'system' }, { subject, description: 'un faux conseiller de la banque ma fait valider 3 virements je vois plus mon argent', channel: 'phone', contact: { name, phone } });

describe('possible cyber emergencies', () => {
  it('level 3 lists the unconfirmed ones, oldest first, with a live count; a level-2 agent says "not an emergency" from the keyboard', async () => {
    const { ticket: t } = await scam('Virements validés au téléphone', 'Marcel Roux', '06 11 22 33 44');
    expect(t.possibleEmergency).not.toBeNull();
    // The demo's own (its scam and its fake security alert), then this one: the oldest first.
    const expected = (await e2e.relais.ctx.db.select().from(tickets).orderBy(asc(tickets.createdAt)))
      .filter((x) => x.possibleEmergency && !x.cyberEmergency && !['resolved', 'closed'].includes(x.status))
      .map((x) => x.number);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(expected.at(-1)).toBe(t.number);
    const n = expected.length;

    const l3 = await newPage(e2e);
    await login(l3.page, 'n3@relais.example');
    const nav = l3.page.getByRole('navigation', { name: /Menu de la console/ });
    const entry = nav.getByRole('link', { name: /Urgences possibles/ });
    await entry.getByText(String(n), { exact: true }).waitFor();
    // Number keys go to the views; this one is the seventh.
    await l3.page.keyboard.press('7');
    await l3.page.getByRole('heading', { level: 1, name: 'Urgences possibles' }).waitFor();
    await l3.page.getByText(`${n} urgences possibles à confirmer`).waitFor();
    const links = l3.page.getByRole('table').getByRole('link', { name: /^NUM-/ });
    await links.nth(n - 1).waitFor();
    expect(await links.allTextContents()).toEqual(expected);
    await l3.page.getByRole('row').filter({ hasText: t.number }).getByText(/^Signes repérés\s: /).waitFor();
    await expectAccessible(l3.page, 'console-possible-emergencies');
    await expectControlsReadable(l3.page, 'console-possible-emergencies');
    await screenshot(l3.page, 'console-possible-emergencies');

    // A level-1 agent sees the banner but not the decision, which belongs to levels 2 and 3.
    const n1 = await newPage(e2e);
    await login(n1.page, 'n1@relais.example');
    await n1.page.goto(`/console/demandes/${t.number}`);
    await n1.page.getByRole('region', { name: 'Urgence cyber possible, à confirmer' }).waitFor();
    expect(await n1.page.getByRole('button', { name: 'Ce n’est pas une urgence' }).count()).toBe(0);
    expect(await n1.page.getByRole('link', { name: /Urgences possibles/ }).count()).toBe(0);
    await n1.context.close();

    const n2 = await newPage(e2e);
    await login(n2.page, 'n2@relais.example');
    const page = n2.page;
    await page.goto(`/console/demandes/${t.number}`);
    const banner = page.getByRole('region', { name: 'Urgence cyber possible, à confirmer' });
    const open = banner.getByRole('button', { name: 'Ce n’est pas une urgence' });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Ce n’est pas une urgence cyber ?' });
    await dialog.waitFor();
    const reason = dialog.getByRole('textbox', { name: /Pourquoi ce n’est pas une urgence/ });
    // The dialog opens on the question.
    await expect.poll(() => reason.evaluate((el) => el === document.activeElement)).toBe(true);
    await dialog.getByRole('button', { name: 'Confirmer : pas une urgence' }).click();
    await dialog.getByText('Écrivez en quelques mots pourquoi ce n’est pas une urgence.').waitFor();
    await expect.poll(() => reason.evaluate((el) => el === document.activeElement && el.getAttribute('aria-invalid') === 'true')).toBe(true);
    await expectAccessible(page, 'console-dialog-not-an-emergency');
    await screenshot(page, 'console-dialog-not-an-emergency');
    await reason.fill('Virements d’il y a deux ans, déjà remboursés : le client voulait une attestation.');
    await page.keyboard.press('Tab'); // to Annuler
    await page.keyboard.press('Tab'); // to the confirmation
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await banner.waitFor({ state: 'hidden' });
    // The keyboard is not lost: it is on the confirmation that replaced the banner.
    const done = page.getByRole('status').filter({ hasText: 'C’est noté : pas une urgence cyber.' });
    await done.waitFor();
    await expect.poll(() => done.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))).toBe(true);
    await page.getByRole('listitem').filter({ hasText: /David Moreau — a dit que ce n’est pas une urgence cyber\s:\s«\sVirements d’il y a deux ans/ }).waitFor();
    await expectAccessible(page, 'console-ticket-not-an-emergency');
    await expectControlsReadable(page, 'console-ticket-not-an-emergency');
    await screenshot(page, 'console-ticket-not-an-emergency');
    // The red button is still there if the agent changes their mind.
    await page.getByRole('button', { name: 'Bouton rouge : urgence cyber' }).waitFor();

    // On the level-3 screen, without a reload: the request leaves the list and the count.
    await l3.page.getByRole('table').getByRole('link', { name: t.number }).waitFor({ state: 'hidden' });
    await entry.getByText(String(n - 1), { exact: true }).waitFor();
    await l3.page.getByText(`${n - 1} ${n - 1 === 1 ? 'urgence possible' : 'urgences possibles'} à confirmer`).waitFor();
    await n2.context.close();
    await l3.context.close();
  });

  it('a reply is refused when the client wrote meanwhile: the agent reads what arrived, then holds back or sends anyway', async () => {
    const { ticket: t } = await createTicket(e2e.relais.ctx, { kind: 'system' }, { subject: 'Boîte mail pleine (réponse refusée)', channel: 'email', contact: { name: 'Suzanne Blanc', email: 'suzanne@example.fr' } });
    const { context, page } = await newPage(e2e);
    await login(page, 'n2@relais.example');
    await page.goto(`/console/demandes/${t.number}`);
    const box = page.getByLabel('Réponse au client');
    await box.fill('Bonjour, videz la corbeille de votre messagerie.');
    // The client writes while the page does not know yet (no live signal for this message).
    const clientWrites = async (body: string) => void (await e2e.relais.ctx.db.insert(messages).values({ ticketId: t.id, authorKind: 'contact', visibility: 'public', channel: 'email', body, direction: 'inbound' }));
    await clientWrites('J’ai déjà vidé la corbeille, ça ne change rien.');
    await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Votre réponse n’est pas partie' });
    await refused.getByText(/^Le client a écrit à \d{2}:\d{2} \(Email\)$/).waitFor();
    await refused.getByText('« J’ai déjà vidé la corbeille, ça ne change rien. »').waitFor();
    // The message is now in the timeline, and the draft is still there.
    await page.locator('.timeline-message[data-from="contact"]', { hasText: 'déjà vidé la corbeille' }).waitFor();
    expect(await box.inputValue()).toBe('Bonjour, videz la corbeille de votre messagerie.');
    await expect.poll(() => refused.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page, 'console-reply-refused');
    await screenshot(page, 'console-reply-refused');
    const sent = async () => (await e2e.relais.ctx.db.select().from(messages).where(eq(messages.ticketId, t.id))).filter((m) => m.authorKind === 'staff').length;
    expect(await sent()).toBe(0);

    // Holding back: the keyboard goes back to the draft, rewritten, then sent without a warning.
    await refused.getByRole('button', { name: 'Ne pas envoyer' }).click();
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill('Bonjour, la corbeille ne suffit pas : supprimez les pièces jointes les plus lourdes.');
    await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await page.locator('.timeline-message[data-from="staff"]', { hasText: 'pièces jointes les plus lourdes' }).waitFor();
    expect(await sent()).toBe(1);

    // Another message arrives unseen: refused again, and this time sent anyway.
    await box.fill('Pensez aussi au dossier « Envoyés ».');
    await clientWrites('Merci, je regarde ce soir.');
    await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await refused.getByText('« Merci, je regarde ce soir. »').waitFor();
    await refused.getByRole('button', { name: 'Envoyer quand même' }).click();
    await page.locator('.timeline-message[data-from="staff"]', { hasText: 'dossier « Envoyés »' }).waitFor();
    expect(await sent()).toBe(2);
    await context.close();
  });
});

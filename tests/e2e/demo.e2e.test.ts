import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../../server/src/domains/tickets/ticket.schema';
import { demoPortalLink } from '../../server/src/workspace/demo';
import { expectAccessible, expectControlsReadable, login, newPage, screenshot, startE2E, writeAxeSummary, type E2E } from './harness';

/** numi's demo as its users meet it: what `npm run demo` seeds, read in the console and the portal. */
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await writeAxeSummary('axe-demo.json');
  await e2e?.close();
});

async function numberOf(subject: string): Promise<string> {
  const [t] = await e2e.relais.ctx.db.select({ number: tickets.number }).from(tickets).where(eq(tickets.subject, subject));
  return t!.number;
}

describe('the demo in the console', () => {
  it('an unconfirmed possible emergency is marked in the queue and explained on its page', async () => {
    const number = await numberOf('Un faux conseiller de ma banque m’a appelée');
    const { context, page } = await newPage(e2e);
    await login(page, 'n1@relais.example');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: number, exact: true }) });
    await row.getByText('Urgence possible', { exact: true }).waitFor();
    await row.getByRole('link', { name: number, exact: true }).click();
    const alert = page.getByRole('region', { name: 'Urgence cyber possible, à confirmer' });
    await alert.getByText('Si c’est bien une urgence, appuyez sur le bouton rouge.', { exact: false }).waitFor();
    await alert.getByRole('listitem').filter({ hasText: 'Appelé par un inconnu' }).waitFor();
    // Found by the triage of the client's words, not the portal's urgent button.
    await page.getByText(/urgence cyber possible, repérée dans les mots du client \(à confirmer\)/).waitFor();
    expect(await page.getByText('bouton du site').count()).toBe(0);
    await expectAccessible(page, 'demo-possible-emergency');
    await expectControlsReadable(page, 'demo-possible-emergency');
    await screenshot(page, 'demo-possible-emergency');
    await context.close();
  });

  it('a WhatsApp conversation shows the client’s photo and each reply’s delivery, Meta’s refusal in plain words', async () => {
    const number = await numberOf('Fausse alerte de sécurité sur la tablette');
    const { context, page } = await newPage(e2e);
    await login(page, 'n1@relais.example');
    await page.goto(`/console/demandes/${number}`);
    await page.getByRole('link', { name: 'image-tablette.png' }).first().waitFor();
    const states = await page.locator('li.timeline-message .delivery-status').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    expect(states).toEqual(['read', 'failed', 'delivered', 'sent']);
    await page.locator('.delivery-status[data-state="failed"]', { hasText: 'Le numéro n’a peut-être pas WhatsApp' }).getByText(/Code WhatsApp\s:\s131026\./).waitFor();
    expect(await page.getByText('Message undeliverable').count()).toBe(0);
    await expectAccessible(page, 'demo-whatsapp-deliveries');
    await screenshot(page, 'demo-whatsapp-deliveries');
    await context.close();
  });

  it('a request with a call timed in the console and a procedure half done says so in plain words', async () => {
    const number = await numberOf('Je n’arrive plus à lire mes emails Orange');
    const { context, page } = await newPage(e2e);
    await login(page, 'n1@relais.example');
    await page.goto(`/console/demandes/${number}`);
    const steps = page.getByRole('region', { name: 'Étapes : Utiliser la messagerie Orange' });
    await steps.getByText('3 étapes faites sur 10').waitFor();
    await page.locator('.timeline-call', { hasText: /appel reçu, 7 min 24 s/ }).waitFor();
    await page.getByText(/procédure appliquée\s: Utiliser la messagerie Orange \(version 2, 10 étapes\)/).waitFor();
    await page.getByText(/étape faite\s: Faire taper orange\.fr/).waitFor();
    expect(await page.getByText('procedure.applied').count()).toBe(0);
    await expectAccessible(page, 'demo-procedure-call');
    await screenshot(page, 'demo-procedure-call');
    await context.close();
  });

  it('phone-menu calls read as calls, with their duration, and a late callback stands out', async () => {
    const number = await numberOf('Changer l’adresse email du compte Ameli');
    const { context, page } = await newPage(e2e);
    await login(page, 'n2@relais.example');
    await page.goto(`/console/demandes/${number}`);
    await page.locator('.timeline-call', { hasText: 'appel reçu par le serveur vocal' }).waitFor();
    await page.locator('.timeline-call', { hasText: 'appel terminé, 4 min 12 s' }).waitFor();
    expect(await page.getByText(/call\.received|completed/).count()).toBe(0);
    await expectAccessible(page, 'demo-ivr-call');

    await page.goto('/console/rappels');
    const late = page.getByRole('row', { name: /Gérard Lambert/ });
    await late.getByText('En retard').waitFor();
    await late.getByRole('link', { name: /^Appeler 01\s45\s67\s89\s10$/ }).waitFor();
    await expectAccessible(page, 'demo-callbacks-late');
    await screenshot(page, 'demo-callbacks-late');
    await context.close();
  });
});

describe('the demo on the portal', () => {
  it('the demo client’s link opens her requests: a call counts as an answer, a finished request has no empty sections', async () => {
    const link = new URL((await demoPortalLink(e2e.relais.ctx))!);
    const orange = await numberOf('Je n’arrive plus à lire mes emails Orange');
    const thanks = await numberOf('Merci pour l’atelier WhatsApp');
    const { context, page } = await newPage(e2e, { width: 360, height: 800 });
    await page.goto(`${link.pathname}${link.search}`);
    await page.getByText(`Demande ${orange}`).first().waitFor();
    await page.goto(`/mes-demandes/${orange}`);
    await page.getByText(/Un conseiller vous a parlé au téléphone le /).waitFor();
    expect(await page.getByText('Pas encore de réponse').count()).toBe(0);
    await expectAccessible(page, 'demo-portal-answered-by-phone');
    await screenshot(page, 'demo-portal-answered-by-phone');

    await page.goto(`/mes-demandes/${thanks}`);
    await page.getByRole('heading', { level: 2, name: 'Votre avis' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Documents' }).count()).toBe(0);
    await expectAccessible(page, 'demo-portal-closed-request');
    await context.close();
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../../server/src/domains/auth/auth.schema';
import { contentVersions, procedures } from '../../server/src/domains/knowledge/knowledge.schema';
import { DEMO_PASSWORD, expectAccessible, expectControlsReadable, login, newPage, REPO, RESULTS, screenshot, startE2E, writeAxeSummary, type E2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await writeAxeSummary('axe-knowledge.json');
  await e2e?.close();
});

const SLUG = 'facebook-compte-pirate';

async function procedureRow() {
  const [row] = await e2e.relais.ctx.db.select().from(procedures).where(eq(procedures.slug, SLUG));
  return row!;
}
async function versionsOf(id: string) {
  return e2e.relais.ctx.db
    .select({ version: contentVersions.version, note: contentVersions.note, author: staff.email, snapshot: contentVersions.snapshot })
    .from(contentVersions)
    .leftJoin(staff, eq(staff.id, contentVersions.authorId))
    .where(and(eq(contentVersions.kind, 'procedure'), eq(contentVersions.contentId, id)))
    .orderBy(contentVersions.version);
}

/** Presses Tab (or Shift+Tab) until the focused element matches; keyboard only. */
async function tabTo(page: Page, test: (el: { tag: string; id: string; text: string; href: string }) => boolean, max = 60, key = 'Tab'): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLAnchorElement | null;
      return { tag: a?.tagName ?? '', id: a?.id ?? '', text: (a?.textContent ?? '').trim(), href: a?.getAttribute('href') ?? '' };
    });
    if (test(el)) return;
  }
  throw new Error('focus never reached the expected element');
}

async function shot(page: Page, name: string) {
  const file = await screenshot(page, name);
  await fs.copyFile(file, path.join('/tmp/kb-shots', path.basename(file))).catch(() => undefined);
}

describe('admin: procedures and articles', () => {
  it('an admin finds a procedure without accents, edits a step, sees version 2, restores version 1', async () => {
    const { context, page } = await newPage(e2e, { width: 1440, height: 1000 });
    await login(page, 'admin@relais.example');
    await page.goto('/admin');
    await page.getByRole('navigation', { name: /Menu de la console/ }).getByRole('link', { name: 'Procédures' }).click();
    await page.getByRole('heading', { level: 1, name: 'Procédures' }).waitFor();
    await page.getByRole('table').waitFor();
    await expectAccessible(page, 'kb-admin-procedures');
    await shot(page, 'kb-admin-procedures');

    // French search with a typo and no accents; the hits are highlighted.
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('facebok pirate');
    const link = page.getByRole('link', { name: 'Mon compte Facebook a été piraté' });
    await page.locator('tbody mark').first().waitFor();
    await page.getByText(/^\d+ fiches? trouvées?$/).first().waitFor();
    expect(await page.locator('tbody tr').first().getByRole('link').textContent()).toBe('Mon compte Facebook a été piraté');
    expect(await page.locator('tbody mark').count()).toBeGreaterThan(0);
    // Draft filter: the shipped catalogue is all published.
    await page.getByText('Brouillons (0)').click();
    await page.getByText('Aucune fiche ne correspond.').waitFor();
    await page.getByText('Tous', { exact: true }).click();
    await shot(page, 'kb-admin-procedures-search');
    await link.click();

    await page.getByRole('heading', { level: 1, name: 'Modifier « Mon compte Facebook a été piraté »' }).waitFor();
    const before = await procedureRow();
    expect(before.version).toBe(1);
    const step1 = page.getByRole('textbox', { name: 'Étape 1', exact: true });
    expect(await step1.inputValue()).toBe(before.steps[0]);
    await expectAccessible(page, 'kb-admin-procedure-edit');
    await shot(page, 'kb-admin-procedure-edit');

    // Change the first step: the live preview follows the typing.
    await step1.fill('Si le pirate agit encore, appuyer tout de suite sur le bouton rouge « urgence cyber ».');
    await page.getByRole('region', { name: 'Aperçu' }).getByText('appuyer tout de suite sur le bouton rouge').waitFor();
    await page.getByText('Modifications non enregistrées').waitFor();
    await page.getByText(/^(Appliquée \d+ fois|Pas encore appliquée à une demande\.)/).waitFor();
    // Leaving by a link with unsaved changes asks first; staying keeps the text.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('link', { name: 'Historique des versions' }).click();
    expect(asked).toEqual(['Vos modifications ne sont pas enregistrées. Quitter la page quand même\u00a0?']);
    expect(new URL(page.url()).pathname).toBe(`/admin/procedures/${SLUG}`);
    expect(await step1.inputValue()).toContain('appuyer tout de suite');
    await page.getByLabel('Ce qui a changé (facultatif)').fill('Première étape plus directe');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('Enregistré : version 2 (Publié).').waitFor();

    const v2 = await procedureRow();
    expect(v2.version).toBe(2);
    expect(v2.status).toBe('published');
    expect(v2.steps[0]).toBe('Si le pirate agit encore, appuyer tout de suite sur le bouton rouge « urgence cyber ».');
    expect(v2.steps.slice(1)).toEqual(before.steps.slice(1));
    expect(v2.scripts).toEqual(before.scripts);
    expect(v2.officialContacts).toBe(before.officialContacts);
    let versions = await versionsOf(v2.id);
    expect(versions.map((v) => [v.version, v.author, v.note])).toEqual([
      [1, null, 'Catalogue livré avec Relais'],
      [2, 'admin@relais.example', 'Première étape plus directe'],
    ]);

    // The history: who, when, what; the changed line side by side.
    await page.getByRole('link', { name: 'Historique des versions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Historique : Mon compte Facebook a été piraté' }).waitFor();
    const rows = page.locator('table').first().locator('tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('Première étape plus directe');
    const diff = page.getByRole('list', { name: 'Texte : modifications de la version 1 à la version 2' });
    await diff.locator('ins', { hasText: 'appuyer tout de suite sur le bouton rouge' }).waitFor();
    await diff.locator('del', { hasText: before.steps[0]! }).waitFor();
    await expectAccessible(page, 'kb-admin-history');
    await shot(page, 'kb-admin-history');

    // Restore version 1, after a confirmation.
    await page.getByRole('button', { name: 'Restaurer la version 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restaurer la version 1 ?' });
    await dialog.getByText('enregistré comme nouvelle version 3').waitFor();
    await expectAccessible(page, 'kb-admin-restore-confirm');
    await shot(page, 'kb-admin-restore-confirm');
    await dialog.getByRole('button', { name: 'Restaurer la version 1' }).click();
    await page.getByText('Version 1 restaurée : elle est maintenant la version 3.').waitFor();
    const v3 = await procedureRow();
    expect(v3.version).toBe(3);
    expect(v3.steps).toEqual(before.steps);
    expect(v3.body).toBe(before.body);
    versions = await versionsOf(v3.id);
    expect(versions.map((v) => [v.version, v.author, v.note])).toEqual([
      [1, null, 'Catalogue livré avec Relais'],
      [2, 'admin@relais.example', 'Première étape plus directe'],
      [3, 'admin@relais.example', 'Restauration de la version 1'],
    ]);
    expect(await rows.count()).toBe(3);
    await context.close();
  });

  it('when someone else saved meanwhile, the second save is stopped and says who — nothing is overwritten', async () => {
    const admin = await newPage(e2e, { width: 1280, height: 900 });
    const sup = await newPage(e2e, { width: 1280, height: 900 });
    await login(admin.page, 'admin@relais.example');
    await login(sup.page, 'superviseur@relais.example');
    const slug = 'zoom-reunion';
    for (const { page } of [admin, sup]) {
      await page.goto(`/admin/procedures/${slug}`);
      await page.getByRole('textbox', { name: 'Étape 1', exact: true }).waitFor();
    }
    const start = (await e2e.relais.ctx.db.select().from(procedures).where(eq(procedures.slug, slug)))[0]!;
    await sup.page.getByLabel('Résumé').fill('Aider un client à rejoindre une réunion Zoom (version du superviseur).');
    await sup.page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await sup.page.getByText(`Enregistré : version ${start.version + 1} (Publié).`).waitFor();

    await admin.page.getByLabel('Résumé').fill('Résumé de l’admin, écrit sur une version dépassée.');
    await admin.page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    const alert = admin.page.getByRole('alert').filter({ hasText: 'Quelqu’un a enregistré une autre version' });
    await alert.waitFor();
    const supName = (await e2e.relais.ctx.db.select({ name: staff.name }).from(staff).where(eq(staff.email, 'superviseur@relais.example')))[0]!.name;
    expect(await alert.textContent()).toContain(supName);
    // The admin's text is still in the form; the database holds the supervisor's.
    expect(await admin.page.getByLabel('Résumé').inputValue()).toBe('Résumé de l’admin, écrit sur une version dépassée.');
    const now = (await e2e.relais.ctx.db.select().from(procedures).where(eq(procedures.slug, slug)))[0]!;
    expect(now.version).toBe(start.version + 1);
    expect(now.summary).toBe('Aider un client à rejoindre une réunion Zoom (version du superviseur).');
    await expectAccessible(admin.page, 'kb-admin-conflict');
    await shot(admin.page, 'kb-admin-conflict');

    // Knowingly saving over it keeps the supervisor's version in the history.
    await alert.getByRole('button', { name: 'Enregistrer quand même mes modifications' }).click();
    await admin.page.getByText(`Enregistré : version ${start.version + 2} (Publié).`).waitFor();
    const after = await versionsOf(now.id);
    expect(after.slice(-2).map((v) => [v.author, (v.snapshot as { summary: string }).summary])).toEqual([
      ['superviseur@relais.example', 'Aider un client à rejoindre une réunion Zoom (version du superviseur).'],
      ['admin@relais.example', 'Résumé de l’admin, écrit sur une version dépassée.'],
    ]);
    await admin.context.close();
    await sup.context.close();
  });

  it('a supervisor writes a help article as a draft, publishes it; an agent cannot reach these screens', async () => {
    const { context, page } = await newPage(e2e, { width: 1280, height: 900 });
    await login(page, 'superviseur@relais.example');
    await page.goto('/admin');
    // A supervisor's admin: procedures and articles only.
    await page.getByRole('heading', { level: 1, name: 'Procédures' }).waitFor();
    const nav = page.getByRole('navigation', { name: /Menu de la console/ });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Procédures', 'Articles d’aide']);
    await nav.getByRole('link', { name: 'Articles d’aide' }).click();
    await page.getByRole('heading', { level: 1, name: 'Articles d’aide' }).waitFor();
    // Categories in words, never their slug.
    await page.locator('table tbody tr').first().waitFor();
    const categories = await page.locator('table tbody tr td:nth-child(2)').allTextContents();
    expect(categories).toContain('Sécurité');
    expect(categories.filter((c) => /^[a-z-]+$/.test(c))).toEqual([]);
    await expectAccessible(page, 'kb-admin-articles');
    await page.getByRole('link', { name: 'Nouvel article' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nouvel article' }).waitFor();

    // Sent empty: the problems are listed and linked to their fields.
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByText('Il y a un problème').waitFor();
    await page.getByRole('link', { name: 'Indiquez un titre (3 caractères au moins).' }).waitFor();
    await expectAccessible(page, 'kb-admin-article-errors');

    await page.getByLabel('Titre').fill('Régler la taille du texte sur sa tablette');
    expect(await page.getByLabel('Nom court').inputValue()).toBe('regler-la-taille-du-texte-sur-sa-tablette');
    await page.getByLabel('Résumé').fill('Des lettres plus grandes, pour lire sans fatigue.');
    await page.locator('#kn-category').fill('materiel');
    await page.getByLabel('Texte (Markdown)').fill('## Sur une tablette Android\n\n1. Ouvrez les **Paramètres**.\n2. Touchez « Affichage ».\n3. Choisissez « Taille de la police ».\n\nLe texte change tout de suite.\nVous pouvez revenir en arrière à tout moment.');
    await page.getByRole('region', { name: 'Aperçu' }).getByRole('heading', { name: 'Sur une tablette Android' }).waitFor();
    // One sentence per line stays one sentence per line in the preview.
    expect(await page.getByRole('region', { name: 'Aperçu' }).locator('p', { hasText: 'Le texte change tout de suite.' }).innerText()).toBe('Le texte change tout de suite.\nVous pouvez revenir en arrière à tout moment.');
    expect(await page.getByRole('region', { name: 'Aperçu' }).locator('strong').textContent()).toBe('Paramètres');
    await shot(page, 'kb-admin-article-new');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByRole('heading', { level: 1, name: 'Modifier « Régler la taille du texte sur sa tablette »' }).waitFor();
    await page.getByText('Enregistré : version 1 (Brouillon).').waitFor();
    await expectAccessible(page, 'kb-admin-article-edit');

    const client = await newPage(e2e);
    const res = await client.page.goto('/api/v1/help/articles/regler-la-taille-du-texte-sur-sa-tablette');
    expect(res!.status()).toBe(404);
    await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
    await page.getByText('Enregistré : version 2 (Publié).').waitFor();
    await client.page.goto('/aide/regler-la-taille-du-texte-sur-sa-tablette');
    await client.page.getByRole('heading', { level: 1, name: 'Régler la taille du texte sur sa tablette' }).waitFor();
    await client.context.close();

    const agent = await newPage(e2e);
    await login(agent.page, 'n1@relais.example');
    await agent.page.goto('/admin/procedures');
    await agent.page.getByText('Cette partie est réservée aux administrateurs.').waitFor();
    expect(await agent.page.getByRole('table').count()).toBe(0);
    await agent.context.close();
    await context.close();
  });
});

describe('client help centre', () => {
  it('a client searches without accents and with a typo, sees highlights, opens an article, then the request form', async () => {
    const { context, page } = await newPage(e2e, { width: 1280, height: 900 });
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    // From the home page: the search box sends to the help centre.
    await page.getByRole('searchbox', { name: 'Que cherchez-vous ?' }).fill('mot de pase oublie');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.getByRole('heading', { level: 2, name: 'Résultats pour « mot de pase oublie »' }).waitFor();
    expect(new URL(page.url()).search).toBe('?q=mot+de+pase+oublie');
    await page.getByText(/^\d+ fiches? trouvées?\.$/).waitFor();
    const results = page.locator('.help-list > li');
    expect(await results.count()).toBeGreaterThan(0);
    const titles = await results.locator('h3').allTextContents();
    expect(titles.some((x) => /mot de passe/i.test(x))).toBe(true);
    expect(await page.locator('.help-list mark').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'kb-portal-results');
    await expectControlsReadable(page, 'kb-portal-results');
    await shot(page, 'kb-portal-results');

    // Without accents: "demarches", "impots".
    await page.getByRole('searchbox', { name: 'Que cherchez-vous ?' }).fill('declarer impots en ligne');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.getByRole('heading', { level: 2, name: 'Résultats pour « declarer impots en ligne »' }).waitFor();
    await page.getByRole('link', { name: /impots\.gouv\.fr/ }).first().waitFor();

    // A word that matches nothing: a kind message and the way to an adviser.
    await page.getByRole('searchbox', { name: 'Que cherchez-vous ?' }).fill('xqzwv');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.getByText('Nous n’avons trouvé aucune fiche pour « xqzwv ».').waitFor();
    await expectAccessible(page, 'kb-portal-no-results');
    await page.goBack();
    await page.getByRole('heading', { level: 2, name: 'Résultats pour « declarer impots en ligne »' }).waitFor();

    await page.getByRole('link', { name: /impots\.gouv\.fr/ }).first().click();
    const h1 = page.getByRole('heading', { level: 1 });
    await h1.waitFor();
    expect(await h1.textContent()).toMatch(/impots\.gouv\.fr/);
    await page.locator('.help-article ol li').first().waitFor();
    await expectAccessible(page, 'kb-portal-article');
    await expectControlsReadable(page, 'kb-portal-article');
    await shot(page, 'kb-portal-article');
    // Large type on the article.
    await page.getByRole('button', { name: 'Grands caractères' }).click();
    expect(parseFloat(await page.locator('.help-article p').first().evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(22);
    await page.getByRole('button', { name: 'Grands caractères' }).click();
    await page.getByRole('link', { name: 'Faire une demande' }).last().click();
    await page.getByRole('heading', { level: 1, name: 'Faire une demande' }).waitFor();
    await context.close();
  });

  it('the help centre, an article and the scam advice pass axe at 360 px, without sideways scrolling', async () => {
    for (const [name, url] of [
      ['kb-portal-help-360', '/aide'],
      ['kb-portal-article-360', '/aide/creer-mot-de-passe-solide'],
      ['kb-portal-safety-360', '/se-proteger'],
      ['kb-portal-article-missing-360', '/aide/cette-fiche-nexiste-pas'],
    ] as const) {
      const { context, page } = await newPage(e2e, { width: 360, height: 800 });
      await page.goto(url);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      if (url === '/aide') await page.locator('.help-list').first().waitFor();
      if (url === '/aide/creer-mot-de-passe-solide') {
        // FALC: the article's short sentences, one per line in the file, stay one per line on screen.
        const p = page.locator('.help-article p', { hasText: 'Votre mot de passe protège vos comptes.' });
        await p.waitFor();
        expect(await p.locator('br').count()).toBe(2);
        expect((await p.innerText()).split('\n')).toEqual(['Votre mot de passe protège vos comptes.', 'Par exemple votre boîte mail, votre banque ou votre compte Ameli.', 'Un mot de passe trop simple se devine vite.']);
      }
      await expectAccessible(page, name);
      await expectControlsReadable(page, name);
      await shot(page, name);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal scroll on ${url}`).toBeLessThanOrEqual(0);
      await context.close();
    }
  });

  it('keyboard only: search the help centre, open a result, go back, ask for help', async () => {
    const { context, page } = await newPage(e2e);
    await page.goto('/aide');
    await page.getByRole('heading', { level: 1, name: 'Aide et conseils' }).waitFor();
    await tabTo(page, (el) => el.id === 'help-q');
    await page.keyboard.type('atestation ameli');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Résultats pour « atestation ameli »' }).waitFor();
    // The count is announced in a live region; the focus stays in the search box.
    expect(await page.locator('[role=status].help-status').textContent()).toMatch(/trouvée/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('help-q');
    await tabTo(page, (el) => el.tag === 'A' && el.href.startsWith('/aide/'));
    const first = await page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(first).toMatch(/Ameli/);
    await shot(page, 'kb-portal-keyboard-results');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: first }).waitFor();
    // After the page changes, the focus is on its heading.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    // Back to the help centre with Shift+Tab, then forward to the request form.
    await tabTo(page, (el) => el.text.includes('Retour à l’aide'), 10, 'Shift+Tab');
    await tabTo(page, (el) => el.text === 'Faire une demande' && el.href === '/demande');
    await shot(page, 'kb-portal-keyboard-article');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Faire une demande' }).waitFor();
    await context.close();
  });

  it('article text from the staff is shown as text: no HTML, no script links', async () => {
    const auth = await e2e.relais.app.inject({ method: 'POST', url: '/api/v1/auth/tokens', payload: { email: 'admin@relais.example', password: DEMO_PASSWORD } });
    const token = auth.json().token as string;
    const created = await e2e.relais.app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        slug: 'test-piege-html',
        title: 'Piège <img src=x onerror="window.__pwned=1"> balise',
        summary: 'Un <b>résumé</b> avec <script>window.__pwned=2</script> balise.',
        category: 'securite',
        keywords: ['piege', 'balise'],
        status: 'published',
        body: 'Texte <img src=x onerror="window.__pwned=3"> avec un [lien piégé](javascript:window.__pwned=4) et <script>window.__pwned=5</script>.',
      },
    });
    expect(created.statusCode).toBe(201);
    const { context, page } = await newPage(e2e);
    await page.goto('/aide?q=piege%20balise');
    await page.getByText('Piège <img src=x onerror="window.__pwned=1"> balise').first().waitFor();
    await page.locator('.help-list mark').first().waitFor();
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    await page.getByRole('link', { name: /Piège/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Piège <img src=x onerror="window.__pwned=1"> balise' }).waitFor();
    await page.locator('.help-article').waitFor();
    expect(await page.locator('main img, main script').count()).toBe(0);
    // The javascript: link is dropped; its words stay as text.
    await page.locator('.help-article', { hasText: 'avec un lien piégé et' }).waitFor();
    expect(await page.locator('.help-article a').count()).toBe(0);
    await page.getByText('lien piégé').click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await context.close();
  });
});

describe('portal weight after the help centre', () => {
  it('the first load stays at most 150 KB of gzipped JavaScript: no Markdown renderer, no help-centre page', async () => {
    const { context, page } = await newPage(e2e, { width: 360, height: 800 });
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
    const files = await Promise.all(
      scripts.map(async (url) => {
        const raw = await fs.readFile(path.join(REPO, 'web/dist/assets', path.basename(new URL(url).pathname)));
        return { file: path.basename(url), gzip: gzipSync(raw, { level: 9 }).length };
      }),
    );
    const total = files.reduce((n, f) => n + f.gzip, 0);
    await fs.writeFile(path.join(RESULTS, 'portal-first-load-knowledge.json'), JSON.stringify({ totalGzipBytes: total, files }, null, 2));
    console.log(`portal first-load JS with the help centre: ${(total / 1024).toFixed(1)} KB gzipped in ${files.length} files`);
    expect(files.map((f) => f.file).filter((f) => /markdown|HelpCentrePage|ArticlePage|AdminApp/.test(f))).toEqual([]);
    expect(total).toBeLessThanOrEqual(150 * 1024);
    await context.close();
  });
});

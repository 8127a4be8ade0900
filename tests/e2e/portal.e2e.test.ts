import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectControlsReadable, newPage, REPO, RESULTS, screenshot, startE2E, until, writeAxeSummary, type E2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await writeAxeSummary('axe-portal.json');
  await e2e?.close();
});

const PAGES = [
  ['home', '/'],
  ['new-request', '/demande'],
  ['urgent', '/urgence'],
  ['my-requests', '/mes-demandes'],
  ['help', '/aide'],
  ['accessibility', '/accessibilite'],
  ['not-found', '/aide/page-inconnue'],
] as const;

/** Presses Tab until the focused element matches; fails after `max` presses (keyboard only, no mouse). */
async function tabTo(page: Page, test: (el: { tag: string; id: string; name: string; type: string; text: string }) => boolean, max = 60, key = 'Tab'): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLInputElement | null;
      if (!a) return { tag: '', id: '', name: '', type: '', text: '' };
      const label = a.labels?.[0]?.textContent ?? a.getAttribute('aria-label') ?? '';
      return { tag: a.tagName, id: a.id, name: label.trim(), type: a.type ?? '', text: (a.textContent ?? '').trim() };
    });
    if (test(el)) return;
  }
  throw new Error('focus never reached the expected element');
}

describe('portal pages: axe, screenshots, 360 px', () => {
  for (const [name, path] of PAGES) {
    it(`${name} (${path})`, async () => {
      for (const width of [1280, 360]) {
        const { context, page } = await newPage(e2e, { width, height: 800 });
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        if (name === 'new-request' || name === 'urgent') await page.getByText('Vérification terminée').first().waitFor({ timeout: 20_000 });
        await expectAccessible(page, `portal-${name}-${width}`);
        await expectControlsReadable(page, `portal-${name}-${width}`);
        await screenshot(page, `portal-${name}-${width}`);
        // Reflow (WCAG 1.4.10): nothing scrolls sideways on a 360 px phone.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `horizontal scroll on ${path} at ${width}px`).toBeLessThanOrEqual(0);
        // Page title per page, French by default.
        expect(await page.title()).toMatch(/— Relais$/);
        expect(await page.getAttribute('html', 'lang')).toBe('fr');
        await context.close();
      }
    });
  }

  it('text is at least 18 px and targets at least 44 px on the portal', async () => {
    const { context, page } = await newPage(e2e, { width: 360, height: 800 });
    for (const path of ['/', '/demande', '/mes-demandes']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      const problems = await page.evaluate(() => {
        const out: string[] = [];
        const visible = (el: Element) => {
          const r = el.getBoundingClientRect();
          const s = getComputedStyle(el);
          return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && !el.closest('.visually-hidden');
        };
        for (const el of document.querySelectorAll('main *, header *, footer *')) {
          if (!visible(el)) continue;
          const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
          if (own && parseFloat(getComputedStyle(el).fontSize) < 17.9) out.push(`text ${parseFloat(getComputedStyle(el).fontSize)}px: ${el.tagName} "${el.textContent!.trim().slice(0, 40)}"`);
        }
        for (const el of document.querySelectorAll('a, button, input:not([type=hidden]), textarea, select, [role=button]')) {
          if (!visible(el)) continue;
          // Inline links inside sentences are exempt (WCAG 2.5.8); checkboxes/radios count with their label.
          if (el.tagName === 'A' && el.closest('p, li') && !el.closest('nav')) continue;
          // The target of a field is the field with its label (clicking the label works too).
          const parts = [el, el.closest('label'), ...((el as HTMLInputElement).labels ?? [])].filter((x): x is Element => !!x).map((x) => x.getBoundingClientRect());
          const r = { width: Math.max(...parts.map((p) => p.right)) - Math.min(...parts.map((p) => p.left)), height: Math.max(...parts.map((p) => p.bottom)) - Math.min(...parts.map((p) => p.top)) };
          if (r.height < 43.5 || r.width < 43.5) out.push(`target ${Math.round(r.width)}×${Math.round(r.height)}: ${el.tagName} "${(el.textContent || (el as HTMLInputElement).name || el.id).trim().slice(0, 40)}"`);
        }
        return out;
      });
      expect(problems, path).toEqual([]);
    }
    await context.close();
  });

  it('large type, high contrast and English stay accessible', async () => {
    const { context, page } = await newPage(e2e);
    await page.goto('/');
    await page.getByRole('button', { name: 'Grands caractères' }).click();
    await page.getByRole('button', { name: 'Contraste renforcé' }).click();
    expect(await page.getAttribute('html', 'data-text')).toBe('large');
    expect(await page.getAttribute('html', 'data-contrast')).toBe('high');
    await expectAccessible(page, 'portal-home-large-contrast');
    await expectControlsReadable(page, 'portal-home-large-contrast');
    await screenshot(page, 'portal-home-large-contrast');
    await page.getByRole('button', { name: 'Read this site in English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Need help with your computer, your phone or the Internet?' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expectAccessible(page, 'portal-home-en');
    await page.goto('/urgence');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectControlsReadable(page, 'portal-urgent-large-contrast');
    await expectAccessible(page, 'portal-urgent-large-contrast');
    await screenshot(page, 'portal-urgent-large-contrast');
    await screenshot(page, 'portal-home-en');
    // The choice is remembered across pages and visits.
    await page.goto('/demande');
    await page.getByRole('heading', { level: 1, name: 'Ask for help' }).waitFor();
    await page.getByRole('button', { name: 'Lire ce site en français' }).click();
    await context.close();
  });
});

describe('portal weight', () => {
  it('the first load of the portal is at most 150 KB of gzipped JavaScript, and never the console’s code', async () => {
    const { context, page } = await newPage(e2e, { width: 360, height: 800 });
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
    const files = await Promise.all(
      scripts.map(async (url) => {
        const file = path.join(REPO, 'web/dist/assets', path.basename(new URL(url).pathname));
        const raw = await fs.readFile(file);
        return { file: path.basename(file), bytes: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
      }),
    );
    const total = files.reduce((n, f) => n + f.gzip, 0);
    await fs.writeFile(path.join(RESULTS, 'portal-first-load.json'), JSON.stringify({ totalGzipBytes: total, files }, null, 2));
    console.log(`portal first-load JS: ${(total / 1024).toFixed(1)} KB gzipped in ${files.length} files`);
    expect(files.map((f) => f.file).filter((f) => /ConsoleApp|AdminApp|Layout|TicketPage|session/.test(f))).toEqual([]);
    expect(total).toBeLessThanOrEqual(150 * 1024);
    await context.close();
  });
});

describe('keyboard only: the request form', () => {
  it('errors, attachment add/remove, self-solving captcha, confirmation — without a mouse', async () => {
    const { context, page } = await newPage(e2e);
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    // The skip link is the first thing a keyboard user meets.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu principal');
    await tabTo(page, (el) => el.tag === 'A' && el.text === 'Faire une demande');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Faire une demande' }).waitFor();
    // After an in-app navigation the focus is on the new page's heading.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.getByText('Vérification terminée').first().waitFor({ timeout: 20_000 });

    // Send empty: GOV.UK error summary, focused, "Erreur : " in the title, links to the fields.
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Envoyer ma demande');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Il y a un problème' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
    expect(await page.title()).toMatch(/^Erreur\s: /);
    await screenshot(page, 'portal-form-errors');
    await expectAccessible(page, 'portal-new-request-errors');
    // The summary link takes the focus to the field.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Indiquez votre nom');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');

    await page.keyboard.type('Yvette Martin');
    await tabTo(page, (el) => el.id === 'phone');
    await page.keyboard.type('06 11 22 33 44');
    await tabTo(page, (el) => el.id === 'description');
    await page.keyboard.type('Mon ordinateur affiche une fenêtre qui dit que je suis piratée. Je ne sais pas quoi faire.');
    // Category with pictures: radio buttons, arrows move the choice.
    await tabTo(page, (el) => el.type === 'radio');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('computer');

    // Attachments: the picker opens from the keyboard; a file can be removed.
    await tabTo(page, (el) => el.type === 'file');
    const shot = await page.screenshot();
    for (const name of ['ecran.png', 'autre.png']) {
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('file');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 20_000 }), page.keyboard.press('Space')]);
      await chooser.setFiles({ name, mimeType: 'image/png', buffer: shot });
      await page.getByRole('button', { name: `Retirer ${name}` }).waitFor();
    }
    await page.getByRole('button', { name: 'Retirer autre.png' }).waitFor();
    await tabTo(page, (el) => el.name === 'Retirer autre.png', 10);
    await page.keyboard.press('Enter');
    await page.getByText('autre.png est retiré.').waitFor();
    expect(await page.getByRole('button', { name: /^Retirer / }).count()).toBe(1);
    await screenshot(page, 'portal-form-filled');

    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Envoyer ma demande');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Votre demande est envoyée' }).waitFor({ timeout: 20_000 });
    const number = (await page.locator('.portal-panel-number').textContent())!.trim();
    expect(number).toMatch(/^NUM-\d+$/);
    await page.getByText('Fichiers ajoutés à votre demande : 1.').waitFor();
    await expectAccessible(page, 'portal-confirmation');
    await screenshot(page, 'portal-confirmation');

    // The confirmation's button opens the request (the portal cookie was set when sending).
    await tabTo(page, (el) => el.tag === 'A' && el.text === 'Voir ma demande');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Demande ${number}` }).waitFor();
    await page.getByText('ecran.png').first().waitFor();
    // The client's photo is shown small, with words for who cannot see it, and opens full size in a new tab.
    const photo = page.getByRole('img', { name: 'Photo : ecran.png', exact: true });
    await photo.scrollIntoViewIfNeeded();
    await until(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
    expect((await photo.boundingBox())!.height).toBeLessThanOrEqual(181);
    expect(await page.getByRole('link', { name: 'Photo : ecran.png Voir la photo en grand (nouvel onglet)' }).getAttribute('target')).toBe('_blank');
    await expectAccessible(page, 'portal-request-detail');
    await screenshot(page, 'portal-request-detail');
    await context.close();
  });

  it('the urgent button shows the first instructions first, then sends a flagged request', async () => {
    const { context, page } = await newPage(e2e, { width: 360, height: 800 });
    await page.goto('/');
    await page.getByRole('link', { name: 'Je pense être victime d’un piratage ou d’une arnaque' }).click();
    await page.getByRole('heading', { level: 1, name: 'Piratage ou arnaque : que faire tout de suite ?' }).waitFor();
    // The server's checklist (set by the admin) comes before the form.
    const first = page.getByText('Ne plus cliquer sur aucun lien', { exact: false }).first();
    const form = page.getByRole('heading', { name: 'Décrivez ce qui s’est passé' });
    expect((await first.boundingBox())!.y).toBeLessThan((await form.boundingBox())!.y);
    await page.getByLabel('Votre nom').fill('Marcel Petit');
    await page.getByLabel('Numéro de téléphone').fill('07 81 22 33 55');
    await page.getByLabel('Que se passe-t-il ?').fill('Un faux conseiller de ma banque m’a fait donner un code reçu par SMS.');
    await page.getByText('Vérification terminée').first().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Envoyer ma demande urgente' }).click();
    await page.getByRole('heading', { level: 1, name: 'Votre demande urgente est envoyée' }).waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'Rappel : faites ceci maintenant' }).waitFor();
    await expectAccessible(page, 'portal-urgent-confirmation-360');
    await screenshot(page, 'portal-urgent-confirmation-360');
    await context.close();
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import pg from 'pg';
import { buildApp, type RelaisApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { seedDemo } from '../../server/src/workspace/demo';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS = path.join(REPO, 'test-results');
export const SCREENSHOTS = path.join(RESULTS, 'screenshots');
export const DEMO_PASSWORD = 'relais-demo';
export const HOTLINE_PHONE = '01 23 45 67 89';

/** Launch flags for Debian's Chromium in a container (stack-facts §5). */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface E2E {
  relais: RelaisApp;
  baseURL: string;
  browser: Browser;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A real Relais server (the built web app included) on 127.0.0.1 with a random port and
 * numi's demo data, on a fresh PGlite folder; and Debian's Chromium.
 */
export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  const index = path.join(REPO, 'web/dist/index.html');
  await fs.access(index).catch(() => {
    throw new Error('web/dist is missing: run `npm run build` first (npm run test:e2e does it).');
  });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-e2e-'));
  // With TEST_DATABASE_URL, the same journeys run on a fresh database of that PostgreSQL server.
  const server = await freshPostgresDatabase();
  const config = loadConfig({
    ...(server ? { DATABASE_URL: server.url } : {}),
    LOG_LEVEL: 'silent',
    RELAIS_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    // The portal's proof of work stays real (the widget solves it in the browser), just small.
    RELAIS_CAPTCHA_COST: '10',
    RELAIS_CAPTCHA_MAX_COUNTER: '20',
    RELAIS_PORTAL_RATE_LIMIT: '0',
    RELAIS_HOTLINE_PHONE: HOTLINE_PHONE,
    PUBLIC_URL: 'http://relais.e2e.test',
    ...env,
  });
  const relais = await buildApp({ config });
  await seedDemo(relais.ctx, DEMO_PASSWORD);
  const address = await relais.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: process.env.RELAIS_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  return {
    relais,
    baseURL: address,
    browser,
    dataDir,
    async close() {
      await browser.close().catch(() => undefined);
      await relais.close();
      await server?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh browser profile (AxeBuilder needs a page from a context, not browser.newPage()). */
export async function newPage(e2e: E2E, opts: { width?: number; height?: number; lang?: 'fr' | 'en' } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e2e.browser.newContext({
    baseURL: e2e.baseURL,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  const inflight = new Set<string>();
  page.on('request', (r) => inflight.add(r.url()));
  page.on('requestfinished', (r) => inflight.delete(r.url()));
  page.on('requestfailed', (r) => inflight.delete(r.url()));
  pending.set(page, inflight);
  return { context, page };
}

export async function login(page: Page, email: string): Promise<void> {
  await page.goto('/console');
  await page.getByLabel('Adresse email').fill(email);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // Signed in: the console's menu is there and the live link is up.
  await page.getByRole('navigation', { name: /Menu de la console/ }).waitFor();
  await page.getByText('En direct', { exact: true }).waitFor();
}

/**
 * A full-page screenshot, plus the same page cut in screen-high parts (`name.part2.png`…) so a
 * long page can be looked at without being shrunk to illegibility.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // From the top, so fixed headers sit where they belong on the picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  const { width, height } = page.viewportSize()!;
  const total = await page.evaluate(() => document.documentElement.scrollHeight);
  const step = Math.round(height * 1.25);
  if (total > step) {
    for (let y = 0, n = 1; y < total && n <= 8; y += step, n++) {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.part${n}.png`), fullPage: true, clip: { x: 0, y, width, height: Math.min(step, total - y) } });
    }
  }
  return file;
}

const pending = new WeakMap<Page, Set<string>>();

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const axeLog: { page: string; url: string; violations: number; passes: number; incomplete: number }[] = [];

/** axe-core on the page as it is now: 0 violations of WCAG 2.0/2.1/2.2 A and AA, or the test fails with the details. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  // Let transitions and live data settle, as a person would see the page.
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => console.warn(`[${name}] network still busy: ${[...(pending.get(page) ?? [])].join(', ')}`));
  await page.waitForTimeout(150);
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  axeLog.push({ page: name, url: page.url(), violations: results.violations.length, passes: results.passes.length, incomplete: results.incomplete.reduce((n, i) => n + i.nodes.length, 0) });
  await fs.mkdir(path.join(RESULTS, 'axe'), { recursive: true });
  await fs.writeFile(path.join(RESULTS, 'axe', `${name}.json`), JSON.stringify({ url: page.url(), violations: results.violations, incomplete: results.incomplete.map((i) => ({ id: i.id, nodes: i.nodes.map((n) => ({ target: n.target.join(' '), why: n.any.map((a) => a.message).join(' | ') })) })) }, null, 2));
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`);
  expect.soft(summary, `axe violations on ${name} (${page.url()})`).toEqual([]);
}

export async function writeAxeSummary(file: string): Promise<void> {
  await fs.mkdir(RESULTS, { recursive: true });
  await fs.writeFile(path.join(RESULTS, file), JSON.stringify(axeLog, null, 2));
}

/** Waits until `fn` returns a truthy value (for server-side effects the page does not show). */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * What axe leaves "to review" when a control paints its own background (icons, gradients):
 * every link and button with an opaque background must reach 4.5:1 against it.
 */
export async function expectControlsReadable(page: Page, name: string): Promise<void> {
  const problems = await page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: number[]) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('a, button')) {
      const s = getComputedStyle(el);
      const bg = rgb(s.backgroundColor);
      if (!el.textContent?.trim() || el.getClientRects().length === 0 || bg.length < 3 || (bg.length === 4 && bg[3]! < 1)) continue;
      const l1 = lum(rgb(s.color));
      const l2 = lum(bg);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      if (ratio < 4.5) out.push(`${ratio.toFixed(2)}:1 "${el.textContent.trim().slice(0, 40)}" (${s.color} on ${s.backgroundColor})`);
    }
    return out;
  });
  expect.soft(problems, `unreadable controls on ${name}`).toEqual([]);
}

async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return null;
  const name = `relais_e2e_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const adminUrl = new URL(base);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: adminUrl.toString() });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

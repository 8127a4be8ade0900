import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db';
import { portalSecrets } from './portal.schema';

const PORTAL_SECRET = 'portal';

/**
 * The portal's server secret, created once in PostgreSQL: every app node reads the same one,
 * whatever its data folder. Sub-keys are derived per use so one never serves two purposes.
 */
export async function portalKey(db: Executor, purpose: 'verification-code' | 'rate-limit' | 'rating-link'): Promise<Buffer> {
  let [row] = await db.select({ value: portalSecrets.value }).from(portalSecrets).where(eq(portalSecrets.name, PORTAL_SECRET)).limit(1);
  if (!row) {
    // Two nodes may race here: the first insert wins and both read it back.
    await db.insert(portalSecrets).values({ name: PORTAL_SECRET, value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
    [row] = await db.select({ value: portalSecrets.value }).from(portalSecrets).where(eq(portalSecrets.name, PORTAL_SECRET)).limit(1);
  }
  return createHmac('sha256', row!.value).update(purpose).digest();
}

const fileSecrets = new Map<string, Promise<string>>();

/**
 * The ALTCHA signing secret: RELAIS_CAPTCHA_SECRET, or else one generated on first use and kept
 * in `<data folder>/secrets/captcha.key` (mode 600). Nodes that share a data folder (they already
 * must, for attachments) share it; nodes that do not must all be given RELAIS_CAPTCHA_SECRET.
 */
export function captchaSecret(config: { captchaSecret: string | null; dataDir: string }): Promise<string> {
  if (config.captchaSecret) return Promise.resolve(config.captchaSecret);
  return dataFolderSecret(config.dataDir, 'captcha.key', 'RELAIS_CAPTCHA_SECRET');
}

/**
 * A secret kept in `<data folder>/secrets/<name>` (mode 600), generated on first use. It is not
 * in the database on purpose: what it protects stays safe in a database dump.
 */
export function dataFolderSecret(dataDir: string, name: string, variable: string): Promise<string> {
  const file = path.join(dataDir, 'secrets', name);
  let p = fileSecrets.get(file);
  if (!p) {
    p = readOrCreate(file, variable);
    fileSecrets.set(file, p);
    p.catch(() => fileSecrets.delete(file));
  }
  return p;
}

async function readOrCreate(file: string, variable: string): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    await fs.writeFile(file, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Read back in both cases: if another process created the file first, its secret is the one.
  for (let attempt = 0; ; attempt++) {
    const value = (await fs.readFile(file, 'utf8')).trim();
    if (value.length >= 32) return value;
    // A file being written by another process at this very moment: wait for it.
    if (attempt >= 20) throw new Error(`${file} does not hold a secret (at least 32 characters): delete it or set ${variable}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

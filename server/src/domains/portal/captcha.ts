import { createHmac, randomInt } from 'node:crypto';
import { createChallenge, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { lt, sql } from 'drizzle-orm';
import type { Config } from '../../config';
import type { Executor } from '../../platform/db';
import { AppError, badRequest } from '../../platform/errors';
import { portalCaptchaUses } from './portal.schema';
import { captchaSecret } from './secrets';

/**
 * ALTCHA proof of work, protocol v2 (altcha-lib 2.x on the server, the `altcha` 3.x widget in
 * the browser), PBKDF2/SHA-256 in deterministic mode: the server picks the counter the browser
 * must reach, so the work is predictable (a phone never draws an unlucky hard puzzle), and it
 * signs the derived key, so checking a solution is a single HMAC.
 */
export const CAPTCHA_ALGORITHM = 'PBKDF2/SHA-256';
/** Long enough for someone who fills in the form slowly; a challenge is accepted once anyway. */
export const CAPTCHA_TTL_SECONDS = 60 * 60;

type CaptchaConfig = Pick<Config, 'captchaSecret' | 'dataDir' | 'captchaCost' | 'captchaMaxCounter'>;

async function secrets(config: CaptchaConfig) {
  const root = await captchaSecret(config);
  const sub = (label: string) => createHmac('sha256', root).update(label).digest('base64url');
  return { hmacSignatureSecret: sub('altcha-challenge'), hmacKeySignatureSecret: sub('altcha-key') };
}

/** What `GET /captcha` answers: `{ parameters, signature }`, the JSON the widget fetches. */
export async function newChallenge(config: CaptchaConfig, now = new Date()): Promise<Challenge> {
  const max = config.captchaMaxCounter;
  const min = Math.max(1, Math.floor(max / 2));
  return createChallenge({
    algorithm: CAPTCHA_ALGORITHM,
    cost: config.captchaCost,
    // The browser tries counters from 0 upwards: the work is counter × cost PBKDF2 rounds.
    counter: randomInt(min, max + 1),
    deriveKey,
    expiresAt: new Date(now.getTime() + CAPTCHA_TTL_SECONDS * 1000),
    ...(await secrets(config)),
  });
}

const invalid = () =>
  badRequest('CAPTCHA_INVALID', 'La vérification « Je ne suis pas un robot » n’a pas abouti. Cochez à nouveau la case, attendez la coche verte, puis renvoyez votre demande.', {
    field: 'altcha',
  });

interface Payload {
  challenge: Challenge;
  solution: Solution;
}

/** The widget's field: base64 of `{"challenge":{"parameters","signature"},"solution":{"counter","derivedKey","time"}}`. */
export function decodePayload(raw: string): Payload | null {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Payload;
    const p = v?.challenge?.parameters;
    if (!p || typeof p !== 'object' || typeof v.challenge.signature !== 'string') return null;
    if (typeof v.solution !== 'object' || v.solution === null) return null;
    if (typeof v.solution.counter !== 'number' || typeof v.solution.derivedKey !== 'string') return null;
    return v;
  } catch {
    return null;
  }
}

/**
 * Checks a solved challenge and marks it used, in the caller's transaction: if the request
 * fails later (a typo in the phone number), the same solution can be sent again; once a request
 * is recorded with it, it is refused. Used challenges are kept until they expire, in PostgreSQL,
 * so a replay through another app node is refused too.
 */
export async function consumeCaptcha(tx: Executor, config: CaptchaConfig, raw: string): Promise<void> {
  const payload = decodePayload(raw);
  if (!payload) throw invalid();
  let result;
  try {
    result = await verifySolution({ challenge: payload.challenge, solution: payload.solution, deriveKey, ...(await secrets(config)) });
  } catch {
    throw invalid();
  }
  if (result.expired) {
    throw badRequest('CAPTCHA_EXPIRED', 'La vérification « Je ne suis pas un robot » a expiré. Cochez à nouveau la case, puis renvoyez votre demande.', { field: 'altcha' });
  }
  if (!result.verified) throw invalid();
  const expiresAt = new Date((payload.challenge.parameters.expiresAt ?? Date.now() / 1000 + CAPTCHA_TTL_SECONDS) * 1000);
  await tx.delete(portalCaptchaUses).where(lt(portalCaptchaUses.expiresAt, sql`now()`));
  const inserted = await tx
    .insert(portalCaptchaUses)
    .values({ signature: payload.challenge.signature!, expiresAt })
    .onConflictDoNothing()
    .returning({ signature: portalCaptchaUses.signature });
  if (!inserted.length) {
    throw new AppError(409, 'CAPTCHA_ALREADY_USED', 'Cette vérification « Je ne suis pas un robot » a déjà servi. Cochez à nouveau la case, puis renvoyez votre demande.', { field: 'altcha' });
  }
}

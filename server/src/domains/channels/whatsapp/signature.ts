import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_PREFIX = 'sha256=';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Checks Meta's `X-Hub-Signature-256` header (`sha256=<hex HMAC-SHA256(appSecret, rawBody)>`).
 *
 * The HMAC is computed by Meta over the exact bytes it sent, so this must receive the raw
 * request body: re-serialising parsed JSON changes escaping (e.g. `\u00e9` vs `é`, `\/`) and
 * breaks the signature.
 */
export function verifyWhatsAppSignature(
  rawBody: Buffer | Uint8Array | string,
  signatureHeader: string | null | undefined,
  appSecret: string,
): boolean {
  // An empty secret would make every forged request "valid" for anyone who knows it is empty.
  if (!appSecret) throw new Error('WhatsApp app secret is not configured');
  if (!signatureHeader) return false;

  const header = signatureHeader.trim();
  if (!header.toLowerCase().startsWith(SIGNATURE_PREFIX)) return false;
  const hex = header.slice(SIGNATURE_PREFIX.length);
  if (!HEX_SHA256.test(hex)) return false;

  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

export type VerificationHandshakeResult =
  | { ok: true; challenge: string }
  | { ok: false; status: 400 | 403; reason: string };

type QueryLike = URLSearchParams | Record<string, unknown>;

function readParam(query: QueryLike, name: string): string | undefined {
  const value = query instanceof URLSearchParams ? query.get(name) : query[name];
  if (typeof value === 'string') return value;
  // Some query parsers turn repeated keys into arrays; take the first like URLSearchParams.get does.
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/**
 * Answers Meta's GET subscription check (`hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`).
 * On success the caller must reply 200 with the challenge as the plain-text body, unchanged.
 */
export function handleVerificationHandshake(query: QueryLike, verifyToken: string): VerificationHandshakeResult {
  if (!verifyToken) throw new Error('WhatsApp verify token is not configured');

  const mode = readParam(query, 'hub.mode');
  const token = readParam(query, 'hub.verify_token');
  const challenge = readParam(query, 'hub.challenge');

  if (mode !== 'subscribe' || token === undefined || challenge === undefined || challenge === '') {
    return { ok: false, status: 400, reason: 'missing or invalid hub.mode / hub.verify_token / hub.challenge' };
  }
  if (!constantTimeEqual(token, verifyToken)) {
    return { ok: false, status: 403, reason: 'verify token mismatch' };
  }
  return { ok: true, challenge };
}

function constantTimeEqual(a: string, b: string): boolean {
  // Hash both sides so the comparison length does not reveal the expected token length.
  const ha = createHmac('sha256', 'relais-compare').update(a).digest();
  const hb = createHmac('sha256', 'relais-compare').update(b).digest();
  return timingSafeEqual(ha, hb);
}

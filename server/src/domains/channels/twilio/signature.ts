import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type TwilioParams = URLSearchParams | Record<string, string | string[] | undefined>;

/**
 * Validates `X-Twilio-Signature` for form-encoded webhooks:
 * base64(HMAC-SHA1(authToken, fullUrl + Σ sorted(name + value))).
 *
 * `url` must be the public URL Twilio called, query string included, exactly as configured
 * (a proxy that rewrites scheme/host/port breaks validation). Like Twilio's helper libraries,
 * both the URL with and without an explicit default port are tried, because Twilio itself is
 * inconsistent about including `:443`.
 */
export function validateTwilioSignature(
  authToken: string,
  signatureHeader: string | null | undefined,
  url: string,
  params: TwilioParams,
): boolean {
  if (!authToken) throw new Error('Twilio auth token is not configured');
  if (!signatureHeader) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const pairs = toPairs(params);
  return urlVariants(parsed).some((candidate) => safeEqual(signatureHeader, computeTwilioSignature(authToken, candidate, pairs)));
}

/**
 * JSON webhooks are signed over the URL only (no params); the body is bound by the
 * `bodySHA256` query parameter, which must equal the hex SHA-256 of the raw body.
 */
export function validateTwilioJsonSignature(
  authToken: string,
  signatureHeader: string | null | undefined,
  url: string,
  rawBody: string | Buffer,
): boolean {
  if (!validateTwilioSignature(authToken, signatureHeader, url, {})) return false;
  const expectedHash = new URL(url).searchParams.get('bodySHA256') ?? '';
  return safeEqual(expectedHash, createHash('sha256').update(rawBody).digest('hex'));
}

export function computeTwilioSignature(authToken: string, url: string, params: TwilioParams | Array<[string, string]>): string {
  const pairs = Array.isArray(params) ? params : toPairs(params);
  const byName = new Map<string, string[]>();
  for (const [name, value] of pairs) byName.set(name, [...(byName.get(name) ?? []), value]);

  let data = url;
  for (const name of [...byName.keys()].sort()) {
    // Repeated names (e.g. several MediaUrl) are signed once per distinct value, values sorted.
    for (const value of [...new Set(byName.get(name))].sort()) data += name + value;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

function toPairs(params: TwilioParams): Array<[string, string]> {
  if (params instanceof URLSearchParams) return [...params.entries()];
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, v]);
  }
  return pairs;
}

function urlVariants(parsed: URL): string[] {
  const withoutPort = new URL(parsed.toString());
  const explicitDefault = (withoutPort.protocol === 'https:' && withoutPort.port === '443') || (withoutPort.protocol === 'http:' && withoutPort.port === '80');
  if (explicitDefault) withoutPort.port = '';
  const variants = [withoutPort.toString()];
  if (!parsed.port || explicitDefault) {
    // WHATWG URL drops default ports when serialising, so the ":443" form is assembled by hand.
    const defaultPort = parsed.protocol === 'https:' ? '443' : '80';
    const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
    variants.push(`${parsed.protocol}//${auth}${parsed.hostname}:${defaultPort}${parsed.pathname}${parsed.search}${parsed.hash}`);
  } else {
    variants.push(parsed.toString());
  }
  return variants;
}

function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  // timingSafeEqual needs equal lengths; a length mismatch is already a rejection.
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

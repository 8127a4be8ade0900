import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handleVerificationHandshake, verifyWhatsAppSignature } from './signature';

// Same `X-Hub-Signature-256: sha256=<hex>` scheme as GitHub's webhooks, whose docs publish
// these test values; a hand-rolled HMAC in the test could share a bug with the code.
const DOC_SECRET = "It's a Secret to Everybody";
const DOC_PAYLOAD = 'Hello, World!';
const DOC_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('verifyWhatsAppSignature', () => {
  it('accepts the published test vector', () => {
    expect(verifyWhatsAppSignature(Buffer.from(DOC_PAYLOAD), DOC_SIGNATURE, DOC_SECRET)).toBe(true);
    expect(verifyWhatsAppSignature(DOC_PAYLOAD, DOC_SIGNATURE, DOC_SECRET)).toBe(true);
  });

  it('accepts upper-case hex and surrounding whitespace', () => {
    expect(verifyWhatsAppSignature(DOC_PAYLOAD, `  ${DOC_SIGNATURE.toUpperCase()} `, DOC_SECRET)).toBe(true);
  });

  it('rejects a body changed by one byte, a wrong secret, or a missing/malformed header', () => {
    expect(verifyWhatsAppSignature('Hello, World?', DOC_SIGNATURE, DOC_SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(DOC_PAYLOAD, DOC_SIGNATURE, 'other secret')).toBe(false);
    expect(verifyWhatsAppSignature(DOC_PAYLOAD, undefined, DOC_SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(DOC_PAYLOAD, '', DOC_SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(DOC_PAYLOAD, DOC_SIGNATURE.slice('sha256='.length), DOC_SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(DOC_PAYLOAD, 'sha1=757107ea0eb2509fc211221cce984b8a37570b6d', DOC_SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(DOC_PAYLOAD, 'sha256=zz', DOC_SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(DOC_PAYLOAD, `${DOC_SIGNATURE}00`, DOC_SECRET)).toBe(false);
  });

  it('is computed over raw bytes, so a re-serialised JSON body no longer matches', () => {
    const raw = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"text":"caf\\u00e9"}}]}]}';
    const header = `sha256=${createHmac('sha256', 's3cret').update(raw).digest('hex')}`;
    expect(verifyWhatsAppSignature(Buffer.from(raw), header, 's3cret')).toBe(true);
    expect(verifyWhatsAppSignature(JSON.stringify(JSON.parse(raw)), header, 's3cret')).toBe(false);
  });

  it('refuses to run without an app secret', () => {
    expect(() => verifyWhatsAppSignature(DOC_PAYLOAD, DOC_SIGNATURE, '')).toThrow(/not configured/);
  });
});

describe('handleVerificationHandshake', () => {
  it('echoes hub.challenge when mode and token match', () => {
    const query = new URLSearchParams('hub.mode=subscribe&hub.verify_token=relais-tok&hub.challenge=1158201444');
    expect(handleVerificationHandshake(query, 'relais-tok')).toEqual({ ok: true, challenge: '1158201444' });
    expect(
      handleVerificationHandshake(
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'relais-tok', 'hub.challenge': 'abc' },
        'relais-tok',
      ),
    ).toEqual({ ok: true, challenge: 'abc' });
  });

  it('answers 403 on a wrong token and 400 on a malformed request', () => {
    expect(
      handleVerificationHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' }, 'relais-tok'),
    ).toMatchObject({ ok: false, status: 403 });
    expect(
      handleVerificationHandshake({ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'relais-tok', 'hub.challenge': '1' }, 'relais-tok'),
    ).toMatchObject({ ok: false, status: 400 });
    expect(handleVerificationHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'relais-tok' }, 'relais-tok')).toMatchObject({
      ok: false,
      status: 400,
    });
  });
});

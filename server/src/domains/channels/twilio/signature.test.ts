import { describe, expect, it } from 'vitest';
import { computeTwilioSignature, validateTwilioJsonSignature, validateTwilioSignature } from './signature';

// Example from Twilio's "Webhooks security" docs and its official snippets
// (TwilioDevEd/api-snippets security/signature_validation/*): auth token 12345.
const AUTH_TOKEN = '12345';
const URL_WITH_QUERY = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675310',
  Digits: '1234',
  From: '+14158675310',
  To: '+18005551212',
};
const DOC_SIGNATURE = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';

describe('validateTwilioSignature', () => {
  it('reproduces the signature from Twilio documentation', () => {
    expect(computeTwilioSignature(AUTH_TOKEN, URL_WITH_QUERY, PARAMS)).toBe(DOC_SIGNATURE);
    expect(validateTwilioSignature(AUTH_TOKEN, DOC_SIGNATURE, URL_WITH_QUERY, PARAMS)).toBe(true);
  });

  it('also matches the older documented variant (+14158675309 → RSOYDt4T1cUTdK1PDd93/VVr8B8=)', () => {
    const params = { ...PARAMS, Caller: '+14158675309', From: '+14158675309' };
    expect(validateTwilioSignature(AUTH_TOKEN, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', URL_WITH_QUERY, params)).toBe(true);
  });

  it('accepts the same params as URLSearchParams from the raw form body, in any order', () => {
    const body = new URLSearchParams('To=%2B18005551212&From=%2B14158675310&Digits=1234&Caller=%2B14158675310&CallSid=CA1234567890ABCDE');
    expect(validateTwilioSignature(AUTH_TOKEN, DOC_SIGNATURE, URL_WITH_QUERY, body)).toBe(true);
  });

  it('rejects a tampered param, a missing param, another URL or another token', () => {
    expect(validateTwilioSignature(AUTH_TOKEN, DOC_SIGNATURE, URL_WITH_QUERY, { ...PARAMS, Digits: '1235' })).toBe(false);
    const { Digits: _omitted, ...withoutDigits } = PARAMS;
    expect(validateTwilioSignature(AUTH_TOKEN, DOC_SIGNATURE, URL_WITH_QUERY, withoutDigits)).toBe(false);
    expect(validateTwilioSignature(AUTH_TOKEN, DOC_SIGNATURE, 'https://mycompany.com/myapp.php?foo=1', PARAMS)).toBe(false);
    expect(validateTwilioSignature(AUTH_TOKEN, DOC_SIGNATURE, 'http://mycompany.com/myapp.php?foo=1&bar=2', PARAMS)).toBe(false);
    expect(validateTwilioSignature('54321', DOC_SIGNATURE, URL_WITH_QUERY, PARAMS)).toBe(false);
    expect(validateTwilioSignature(AUTH_TOKEN, undefined, URL_WITH_QUERY, PARAMS)).toBe(false);
    expect(validateTwilioSignature(AUTH_TOKEN, 'short', URL_WITH_QUERY, PARAMS)).toBe(false);
    expect(validateTwilioSignature(AUTH_TOKEN, DOC_SIGNATURE, 'not a url', PARAMS)).toBe(false);
  });

  it('tolerates Twilio signing with or without the default :443 port', () => {
    const withPort = computeTwilioSignature(AUTH_TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS);
    expect(withPort).not.toBe(DOC_SIGNATURE);
    expect(validateTwilioSignature(AUTH_TOKEN, withPort, URL_WITH_QUERY, PARAMS)).toBe(true);
    expect(validateTwilioSignature(AUTH_TOKEN, DOC_SIGNATURE, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS)).toBe(true);
  });

  it('signs repeated parameter names once per sorted value', () => {
    const url = 'https://relais.test/twilio/sms';
    const manual = computeTwilioSignature(AUTH_TOKEN, url, [
      ['MediaUrl', 'https://a'],
      ['MediaUrl', 'https://b'],
    ]);
    expect(validateTwilioSignature(AUTH_TOKEN, manual, url, { MediaUrl: ['https://b', 'https://a'] })).toBe(true);
  });
});

describe('validateTwilioJsonSignature', () => {
  // Official snippet security/signature_validation_json: body hash carried in ?bodySHA256=.
  const url = 'https://example.com/myapp?bodySHA256=5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9';
  const body = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}';

  it('checks the URL signature and the body hash', () => {
    const signature = computeTwilioSignature(AUTH_TOKEN, url, {});
    expect(validateTwilioJsonSignature(AUTH_TOKEN, signature, url, body)).toBe(true);
    expect(validateTwilioJsonSignature(AUTH_TOKEN, signature, url, body.replace('1303', '1304'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { TwilioApiError, TwilioMessagingClient } from './messaging-client';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(respond: () => Response) {
  const calls: Call[] = [];
  const impl = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return respond();
  }) as typeof fetch;
  return { impl, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const ACCOUNT = 'AC00000000000000000000000000000001';
const client = (impl: typeof fetch) => new TwilioMessagingClient({ accountSid: ACCOUNT, authToken: 'tok3n', baseUrl: 'https://twilio.test/', fetch: impl });

describe('TwilioMessagingClient.sendSms', () => {
  it('posts a form-encoded message with basic auth and returns the sid', async () => {
    const { impl, calls } = fakeFetch(() => json(201, { sid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', status: 'queued', to: '+33612345678' }));
    const sent = await client(impl).sendSms({
      to: '+33612345678',
      from: '+33644000000',
      body: 'Relais : votre ticket NUM-48213 est résolu & clôturé.',
      statusCallback: 'https://relais.test/twilio/sms/status?t=1',
    });
    expect(sent).toEqual({ sid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', status: 'queued' });

    const call = calls[0]!;
    expect(call.url).toBe(`https://twilio.test/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(call.init.method).toBe('POST');
    const headers = new Headers(call.init.headers);
    expect(headers.get('authorization')).toBe(`Basic ${Buffer.from(`${ACCOUNT}:tok3n`).toString('base64')}`);
    expect(headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(String(call.init.body));
    expect(Object.fromEntries(form)).toEqual({
      To: '+33612345678',
      From: '+33644000000',
      Body: 'Relais : votre ticket NUM-48213 est résolu & clôturé.',
      StatusCallback: 'https://relais.test/twilio/sms/status?t=1',
    });
    expect(String(call.init.body)).toContain('Body=Relais+%3A+votre+ticket+NUM-48213+est+r%C3%A9solu+%26+cl%C3%B4tur%C3%A9.');
  });

  it('can send through a messaging service with media', async () => {
    const { impl, calls } = fakeFetch(() => json(201, { sid: 'MM1', status: 'accepted' }));
    await client(impl).sendSms({ to: '+33612345678', messagingServiceSid: 'MG1', body: 'photo', mediaUrls: ['https://a.test/1.jpg', 'https://a.test/2.jpg'] });
    const form = new URLSearchParams(String(calls[0]!.init.body));
    expect(form.get('MessagingServiceSid')).toBe('MG1');
    expect(form.has('From')).toBe(false);
    expect(form.getAll('MediaUrl')).toEqual(['https://a.test/1.jpg', 'https://a.test/2.jpg']);
  });

  it('requires exactly one sender', async () => {
    const { impl } = fakeFetch(() => json(201, { sid: 'SM1' }));
    await expect(client(impl).sendSms({ to: '+33612345678', body: 'x' })).rejects.toThrow(/exactly one/);
  });

  it('throws typed errors with Twilio codes and retryability', async () => {
    const invalid = fakeFetch(() =>
      json(400, { code: 21211, message: "The 'To' number +3361234 is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 }),
    );
    const error = await client(invalid.impl).sendSms({ to: '+3361234', from: '+33644000000', body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ httpStatus: 400, code: 21211, moreInfo: 'https://www.twilio.com/docs/errors/21211', retryable: false });

    const stop = fakeFetch(() => json(400, { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 }));
    const stopError = (await client(stop.impl).sendSms({ to: '+33612345678', from: '+33644000000', body: 'x' }).catch((e: unknown) => e)) as TwilioApiError;
    expect(stopError.isUnsubscribedRecipient).toBe(true);

    const throttled = fakeFetch(() => json(429, { code: 20429, message: 'Too Many Requests', status: 429 }));
    await expect(client(throttled.impl).sendSms({ to: '+33612345678', from: '+33644000000', body: 'x' })).rejects.toMatchObject({ code: 20429, retryable: true });

    const down = fakeFetch(() => new Response('upstream error', { status: 503 }));
    await expect(client(down.impl).sendSms({ to: '+33612345678', from: '+33644000000', body: 'x' })).rejects.toMatchObject({ httpStatus: 503, retryable: true });

    const offline = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    await expect(client(offline.impl).sendSms({ to: '+33612345678', from: '+33644000000', body: 'x' })).rejects.toMatchObject({ httpStatus: null, retryable: true });
  });
});

import { describe, expect, it } from 'vitest';
import { parseMessageStatusWebhook, parseSmsWebhook, parseVoiceWebhook } from './webhook-params';

describe('parseVoiceWebhook', () => {
  it('reads an incoming call', () => {
    const body = new URLSearchParams({
      AccountSid: 'AC00000000000000000000000000000001',
      ApiVersion: '2010-04-01',
      CallSid: 'CA5c6e4d0b7f3a1e2d9c8b7a6f5e4d3c21',
      CallStatus: 'ringing',
      Called: '+33170000000',
      Caller: '+33612345678',
      Direction: 'inbound',
      From: '+33612345678',
      To: '+33170000000',
      CallerName: 'DUPONT MARIE',
    });
    const result = parseVoiceWebhook(body);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        callSid: 'CA5c6e4d0b7f3a1e2d9c8b7a6f5e4d3c21',
        accountSid: 'AC00000000000000000000000000000001',
        from: '+33612345678',
        to: '+33170000000',
        callStatus: 'ringing',
        direction: 'inbound',
        callerName: 'DUPONT MARIE',
        digits: null,
        callDurationSeconds: null,
        recording: null,
      }),
    });
  });

  it('reads Gather digits, Record results and the final call duration', () => {
    const gathered = parseVoiceWebhook({ CallSid: 'CA1', From: '+33612345678', To: '+33170000000', CallStatus: 'in-progress', Digits: '2' });
    expect(gathered.ok && gathered.value.digits).toBe('2');

    const recorded = parseVoiceWebhook({
      CallSid: 'CA1',
      From: '+33612345678',
      To: '+33170000000',
      RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
      RecordingSid: 'RE1',
      RecordingDuration: '37',
      Digits: '#',
    });
    expect(recorded.ok && recorded.value.recording).toEqual({
      sid: 'RE1',
      url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
      durationSeconds: 37,
      status: null,
    });

    const completed = parseVoiceWebhook({ CallSid: 'CA1', From: '+33612345678', To: '+33170000000', CallStatus: 'completed', CallDuration: '84' });
    expect(completed.ok && completed.value.callDurationSeconds).toBe(84);
  });

  it('rejects a request without CallSid/From/To', () => {
    expect(parseVoiceWebhook({ From: '+33612345678' })).toEqual({ ok: false, error: 'missing CallSid, To' });
  });
});

describe('parseSmsWebhook', () => {
  it('reads an inbound SMS with two media', () => {
    const result = parseSmsWebhook(
      new URLSearchParams({
        ToCountry: 'FR',
        SmsMessageSid: 'MM0123456789abcdef0123456789abcdef',
        NumMedia: '2',
        SmsSid: 'MM0123456789abcdef0123456789abcdef',
        Body: 'Voici les photos du compteur',
        To: '+33644000000',
        NumSegments: '1',
        MessageSid: 'MM0123456789abcdef0123456789abcdef',
        AccountSid: 'AC00000000000000000000000000000001',
        From: '+33612345678',
        MediaContentType0: 'image/jpeg',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME0',
        MediaContentType1: 'image/png',
        MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
        ApiVersion: '2010-04-01',
      }),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toMatchObject({
      messageSid: 'MM0123456789abcdef0123456789abcdef',
      channel: 'sms',
      from: '+33612345678',
      to: '+33644000000',
      body: 'Voici les photos du compteur',
      numSegments: 1,
      media: [
        { url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME0', contentType: 'image/jpeg' },
        { url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/png' },
      ],
    });
  });

  it('recognises WhatsApp messages relayed by Twilio and falls back to SmsSid', () => {
    const result = parseSmsWebhook({ SmsSid: 'SM1', From: 'whatsapp:+33612345678', To: 'whatsapp:+33644000000', Body: 'Bonjour', NumMedia: '0' });
    expect(result.ok && result.value).toMatchObject({ messageSid: 'SM1', channel: 'whatsapp', from: '+33612345678', media: [] });
  });

  it('rejects a request without a message sid', () => {
    expect(parseSmsWebhook({ From: '+33612345678', To: '+33644000000', Body: 'x' })).toEqual({ ok: false, error: 'missing MessageSid' });
  });
});

describe('parseMessageStatusWebhook', () => {
  it('reads delivery and failure callbacks', () => {
    const delivered = parseMessageStatusWebhook({ MessageSid: 'SM1', MessageStatus: 'delivered', AccountSid: 'AC1', From: '+33644000000', To: '+33612345678' });
    expect(delivered.ok && delivered.value).toMatchObject({ status: 'delivered', errorCode: null });

    const failed = parseMessageStatusWebhook({ SmsSid: 'SM2', SmsStatus: 'undelivered', MessageSid: 'SM2', MessageStatus: 'undelivered', ErrorCode: '30003' });
    expect(failed.ok && failed.value).toMatchObject({ messageSid: 'SM2', status: 'undelivered', errorCode: 30003 });
  });

  it('rejects a callback without status', () => {
    expect(parseMessageStatusWebhook({ MessageSid: 'SM1' })).toEqual({ ok: false, error: 'missing MessageStatus' });
  });
});

import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  customerServiceWindowClosesAt,
  isInsideCustomerServiceWindow,
  toWhatsAppRecipient,
  WhatsAppApiError,
  WhatsAppGraphClient,
} from './graph-client';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeFetch(responder: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const impl = (async (input: string | URL | Request, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    return responder(call);
  }) as typeof fetch;
  return { impl, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function client(fetchImpl: typeof fetch, extra: Partial<ConstructorParameters<typeof WhatsAppGraphClient>[0]> = {}) {
  return new WhatsAppGraphClient({
    accessToken: 'EAAtoken',
    phoneNumberId: '106540352242922',
    baseUrl: 'https://graph.test/v21.0/',
    fetch: fetchImpl,
    ...extra,
  });
}

const SENT = { messaging_product: 'whatsapp', contacts: [{ input: '+33612345678', wa_id: '33612345678' }], messages: [{ id: 'wamid.HBgLMzM2MTIzNDU2NzgVAgARGBI' }] };

describe('WhatsAppGraphClient.sendText', () => {
  it('posts the documented body and returns messages[0].id', async () => {
    const { impl, calls } = fakeFetch(() => json(200, SENT));
    const id = await client(impl).sendText('+33 6 12 34 56 78', 'Bonjour, votre ticket NUM-48213 est pris en charge.', {
      previewUrl: true,
      replyToMessageId: 'wamid.customer',
    });
    expect(id).toBe('wamid.HBgLMzM2MTIzNDU2NzgVAgARGBI');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      url: 'https://graph.test/v21.0/106540352242922/messages',
      method: 'POST',
      headers: { authorization: 'Bearer EAAtoken', 'content-type': 'application/json' },
    });
    expect(calls[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '33612345678',
      context: { message_id: 'wamid.customer' },
      type: 'text',
      text: { preview_url: true, body: 'Bonjour, votre ticket NUM-48213 est pris en charge.' },
    });
  });

  it('throws a typed, non-retryable error for 131047 (outside the 24 h window)', async () => {
    const { impl } = fakeFetch(() =>
      json(400, {
        error: {
          message: '(#131047) Re-engagement message',
          type: 'OAuthException',
          code: 131047,
          error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
          fbtrace_id: 'AbCdEf',
        },
      }),
    );
    const error = await client(impl).sendText('33612345678', 'hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppApiError);
    const e = error as WhatsAppApiError;
    expect(e).toMatchObject({ httpStatus: 400, code: 131047, title: 'Re-engagement message', fbtraceId: 'AbCdEf', retryable: false });
    expect(e.isOutsideServiceWindow).toBe(true);
    expect(e.details).toContain('24 hours');
  });

  it('marks throttling, server errors and network failures as retryable', async () => {
    const throttled = fakeFetch(() => json(400, { error: { message: '(#130429) Rate limit hit', code: 130429 } }));
    await expect(client(throttled.impl).sendText('33612345678', 'x')).rejects.toMatchObject({ code: 130429, retryable: true });

    const pairLimit = fakeFetch(() => json(400, { error: { message: '(#131056) (Business Account, Consumer Account) pair rate limit hit', code: 131056 } }));
    await expect(client(pairLimit.impl).sendText('33612345678', 'x')).rejects.toMatchObject({ retryable: true });

    const badGateway = fakeFetch(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(client(badGateway.impl).sendText('33612345678', 'x')).rejects.toMatchObject({ httpStatus: 502, code: null, retryable: true });

    const offline = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    await expect(client(offline.impl).sendText('33612345678', 'x')).rejects.toMatchObject({ httpStatus: null, retryable: true });

    const invalidParam = fakeFetch(() => json(400, { error: { message: '(#100) Invalid parameter', code: 100 } }));
    await expect(client(invalidParam.impl).sendText('33612345678', 'x')).rejects.toMatchObject({ code: 100, retryable: false });
  });

  it('rejects a 200 response without a message id', async () => {
    const { impl } = fakeFetch(() => json(200, { messaging_product: 'whatsapp', messages: [] }));
    await expect(client(impl).sendText('33612345678', 'x')).rejects.toThrow(/messages\[0\]\.id/);
  });
});

describe('WhatsAppGraphClient without a fetch given (node:http, as in production)', () => {
  it('posts the same request, reads the id, and types Graph errors, timeouts and refused connections', async () => {
    const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: unknown }[] = [];
    let answer: { status: number; body: unknown; delayMs?: number } = { status: 200, body: SENT };
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(raw) });
        setTimeout(() => {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer.body));
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v21.0`;
    const real = (extra: Partial<ConstructorParameters<typeof WhatsAppGraphClient>[0]> = {}) => new WhatsAppGraphClient({ accessToken: 'EAAtoken', phoneNumberId: '106540352242922', baseUrl: base, ...extra });
    try {
      expect(await real().sendText('+33 6 12 34 56 78', 'Bonjour')).toBe('wamid.HBgLMzM2MTIzNDU2NzgVAgARGBI');
      expect(seen[0]).toMatchObject({ method: 'POST', url: '/v21.0/106540352242922/messages', headers: { authorization: 'Bearer EAAtoken', 'content-type': 'application/json' } });
      expect(seen[0]!.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '33612345678', type: 'text', text: { preview_url: false, body: 'Bonjour' } });

      answer = { status: 400, body: { error: { message: 'Re-engagement message', type: 'OAuthException', code: 131047, fbtrace_id: 'AbCdEf' } } };
      await expect(real().sendText('33612345678', 'x')).rejects.toMatchObject({ httpStatus: 400, code: 131047, retryable: false });
      answer = { status: 200, body: SENT, delayMs: 500 };
      await expect(real({ timeoutMs: 50 }).sendText('33612345678', 'x')).rejects.toMatchObject({ httpStatus: null, retryable: true, title: expect.stringMatching(/Network error: timed out/) });
    } finally {
      await new Promise((r) => server.close(r));
    }
    await expect(real().sendText('33612345678', 'x')).rejects.toMatchObject({ httpStatus: null, retryable: true, title: expect.stringMatching(/^Network error/) });
  });
});

describe('WhatsAppGraphClient.sendTemplate', () => {
  it('builds language and body/button components as documented', async () => {
    const { impl, calls } = fakeFetch(() => json(200, SENT));
    await client(impl).sendTemplate('33612345678', 'relance_ticket', 'fr', ['Marie', 'NUM-48213'], [
      { subType: 'quick_reply', index: 0, payload: 'ticket:48213:resolu' },
      { subType: 'url', index: 1, text: '48213' },
    ]);
    expect(calls[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '33612345678',
      type: 'template',
      template: {
        name: 'relance_ticket',
        language: { code: 'fr' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: 'Marie' }, { type: 'text', text: 'NUM-48213' }] },
          { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'ticket:48213:resolu' }] },
          { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: '48213' }] },
        ],
      },
    });
  });

  it('omits components for a template without parameters', async () => {
    const { impl, calls } = fakeFetch(() => json(200, SENT));
    await client(impl).sendTemplate('33612345678', 'hello_world', 'en_US');
    expect(calls[0]?.body).toMatchObject({ template: { name: 'hello_world', language: { code: 'en_US' } } });
    expect((calls[0]?.body as { template: object }).template).not.toHaveProperty('components');
  });
});

describe('WhatsAppGraphClient.sendMedia', () => {
  it('sends a document by link with caption and filename', async () => {
    const { impl, calls } = fakeFetch(() => json(200, SENT));
    await client(impl).sendMedia('33612345678', 'document', { link: 'https://files.relais.test/devis.pdf', caption: 'Votre devis', filename: 'devis.pdf' });
    expect(calls[0]?.body).toMatchObject({ type: 'document', document: { link: 'https://files.relais.test/devis.pdf', caption: 'Votre devis', filename: 'devis.pdf' } });
  });

  it('sends an image by id and drops fields Meta refuses for that type', async () => {
    const { impl, calls } = fakeFetch(() => json(200, SENT));
    await client(impl).sendMedia('33612345678', 'image', { id: '1037543291543636', caption: 'Schéma', filename: 'ignored.png' });
    expect(calls[0]?.body).toMatchObject({ type: 'image', image: { id: '1037543291543636', caption: 'Schéma' } });
    expect((calls[0]?.body as { image: object }).image).not.toHaveProperty('filename');
  });

  it('requires exactly one of link or id', async () => {
    const { impl } = fakeFetch(() => json(200, SENT));
    await expect(client(impl).sendMedia('33612345678', 'image', {})).rejects.toThrow(/exactly one/);
    await expect(client(impl).sendMedia('33612345678', 'image', { id: '1', link: 'https://x' })).rejects.toThrow(/exactly one/);
  });
});

describe('WhatsAppGraphClient.downloadMedia', () => {
  const bytes = Buffer.from('%PDF-1.7 fake pdf bytes');
  const hex = createHash('sha256').update(bytes).digest('hex');
  const lookasideUrl = 'https://lookaside.test/whatsapp_business/attachments/?mid=1234&ext=1&hash=abc';

  it('resolves the media url, then downloads it with the bearer token', async () => {
    const { impl, calls } = fakeFetch((call) => {
      if (call.url === 'https://graph.test/v21.0/1234') {
        return json(200, { messaging_product: 'whatsapp', url: lookasideUrl, mime_type: 'application/pdf', sha256: hex, file_size: String(bytes.length), id: '1234' });
      }
      if (call.url === lookasideUrl) return new Response(bytes, { status: 200, headers: { 'content-type': 'application/pdf' } });
      return new Response(null, { status: 404 });
    });
    const media = await client(impl).downloadMedia('1234');
    expect(media.bytes.equals(bytes)).toBe(true);
    expect(media).toMatchObject({ mimeType: 'application/pdf', sha256: hex, fileSize: bytes.length });
    expect(calls.map((c) => [c.method, c.url, c.headers.authorization])).toEqual([
      ['GET', 'https://graph.test/v21.0/1234', 'Bearer EAAtoken'],
      ['GET', lookasideUrl, 'Bearer EAAtoken'],
    ]);
  });

  it('accepts a base64 sha256 and rejects corrupted bytes', async () => {
    const base64 = createHash('sha256').update(bytes).digest('base64');
    const ok = fakeFetch((call) =>
      call.url.startsWith('https://graph.test') ? json(200, { url: lookasideUrl, mime_type: 'application/pdf', sha256: base64, id: '1' }) : new Response(bytes),
    );
    await expect(client(ok.impl).downloadMedia('1')).resolves.toMatchObject({ sha256: base64 });

    const corrupted = fakeFetch((call) =>
      call.url.startsWith('https://graph.test') ? json(200, { url: lookasideUrl, mime_type: 'application/pdf', sha256: hex, id: '1' }) : new Response(bytes.subarray(0, 5)),
    );
    await expect(client(corrupted.impl).downloadMedia('1')).rejects.toMatchObject({ retryable: true, title: expect.stringMatching(/sha256/) });
  });

  it('refuses media above the size limit before downloading it', async () => {
    const { impl, calls } = fakeFetch(() => json(200, { url: lookasideUrl, mime_type: 'video/mp4', sha256: hex, file_size: '500000000', id: '9' }));
    await expect(client(impl, { maxMediaBytes: 1000 }).downloadMedia('9')).rejects.toMatchObject({ retryable: false });
    expect(calls).toHaveLength(1);
  });

  it('surfaces Graph errors of the lookup (e.g. expired token)', async () => {
    const { impl } = fakeFetch(() =>
      json(401, { error: { message: 'Error validating access token: Session has expired', type: 'OAuthException', code: 190, error_subcode: 463, fbtrace_id: 'X' } }),
    );
    await expect(client(impl).downloadMedia('1')).rejects.toMatchObject({ httpStatus: 401, code: 190, subcode: 463, retryable: false });
  });
});

describe('helpers', () => {
  it('normalises recipients and rejects what is not a phone number', () => {
    expect(toWhatsAppRecipient('+33 6 12-34-56-78')).toBe('33612345678');
    expect(toWhatsAppRecipient('(1) 650 555 1234')).toBe('16505551234');
    expect(() => toWhatsAppRecipient('marie@example.fr')).toThrow();
  });

  it('computes the 24 h customer service window', () => {
    const last = new Date('2026-11-03T10:12:00Z');
    expect(isInsideCustomerServiceWindow(last, new Date('2026-11-04T10:11:59Z'))).toBe(true);
    expect(isInsideCustomerServiceWindow(last, new Date('2026-11-04T10:12:00Z'))).toBe(false);
    expect(isInsideCustomerServiceWindow(null, new Date())).toBe(false);
    expect(customerServiceWindowClosesAt(last)?.toISOString()).toBe('2026-11-04T10:12:00.000Z');
  });

  it('refuses to build a client without credentials', () => {
    expect(() => new WhatsAppGraphClient({ accessToken: '', phoneNumberId: '1' })).toThrow();
  });
});

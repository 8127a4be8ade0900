import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json?: unknown;
  form?: URLSearchParams;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type FakeHandler = (req: RecordedRequest, server: FakeServer) => FakeResponse | Promise<FakeResponse>;

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  handler: FakeHandler;
  close(): Promise<void>;
}

/**
 * A provider stand-in on 127.0.0.1 for tests: it records every request so a test can check it
 * the way the provider documents it (path, auth header, body shape), and answers as the test says.
 */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const fake: FakeServer = { url: '', requests: [], handler, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rec: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
      const type = String(req.headers['content-type'] ?? '');
      if (type.includes('application/json') && body.length) {
        try {
          rec.json = JSON.parse(body.toString('utf8'));
        } catch {
          rec.json = undefined;
        }
      }
      if (type.includes('application/x-www-form-urlencoded')) rec.form = new URLSearchParams(body.toString('utf8'));
      fake.requests.push(rec);
      Promise.resolve(fake.handler(rec, fake)).then(
        (r) => {
          const payload = r.body === undefined ? '' : Buffer.isBuffer(r.body) ? r.body : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
          const headers = { ...(r.body !== undefined && !Buffer.isBuffer(r.body) && typeof r.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...(r.headers ?? {}) };
          res.writeHead(r.status ?? 200, headers);
          res.end(payload);
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: err.message }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}

export async function until<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

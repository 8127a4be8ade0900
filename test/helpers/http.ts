import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

export interface Call {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One API call through `inject`, with the JSON body parsed. */
export async function call(app: FastifyInstance, method: string, url: string, opts: { auth?: { authorization: string }; body?: unknown; headers?: Record<string, string> } = {}): Promise<Call> {
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers: { ...(opts.auth ?? {}), ...(opts.headers ?? {}) },
    ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
  });
  let body: unknown = res.body;
  try {
    body = res.body ? JSON.parse(res.body) : null;
  } catch {
    // not JSON (downloads)
  }
  return { status: res.statusCode, body };
}

export function expectError(res: Call, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
}

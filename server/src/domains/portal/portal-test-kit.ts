// Test helpers for the portal's tests (imported by *.test.ts only).
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { solveChallenge, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { DB } from '../../platform/db';

export const PORTAL_TEST_ENV = {
  // A few milliseconds of work per challenge in tests; the real defaults are measured in the docs.
  RELAIS_CAPTCHA_COST: '10',
  RELAIS_CAPTCHA_MAX_COUNTER: '20',
  RELAIS_PORTAL_RATE_LIMIT: '5',
  PUBLIC_URL: 'http://portail.test',
  RELAIS_HOTLINE_PHONE: '01 23 45 67 89',
};

export interface PortalCall {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Record<string, string | string[] | number | undefined>;
  cookies: { name: string; value: string; [k: string]: unknown }[];
  raw: Buffer;
}

let ipCounter = 0;
/** Each caller gets its own address unless told otherwise, so the per-address limit only bites where a test wants it. */
export const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

export async function portal(
  app: FastifyInstance,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string | null; cookie?: string | null; ip?: string; headers?: Record<string, string>; payload?: Buffer } = {},
): Promise<PortalCall> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await app.inject({
    method: method as 'GET',
    url: `/api/v1/portal${path}`,
    headers,
    remoteAddress: opts.ip ?? freshIp(),
    ...(opts.cookie ? { cookies: { relais_portal: opts.cookie } } : {}),
    ...(opts.payload ? { payload: opts.payload } : opts.body !== undefined ? { payload: opts.body as object } : {}),
  });
  let body: unknown = res.body;
  try {
    body = res.body ? JSON.parse(res.body) : null;
  } catch {
    // a file
  }
  return { status: res.statusCode, body, headers: res.headers, cookies: res.cookies as PortalCall['cookies'], raw: res.rawPayload };
}

export function expectPortalError(res: PortalCall, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.message).toMatch(/[a-zéèàç]/i);
}

/** What the `altcha` 3.x widget does in the browser: fetch, solve, and base64 the JSON payload. */
export async function solveCaptcha(app: FastifyInstance): Promise<string> {
  const res = await portal(app, 'GET', '/captcha');
  expect(res.status).toBe(200);
  return payloadFor(res.body as Challenge);
}

export async function payloadFor(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('captcha not solved');
  return Buffer.from(JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution })).toString('base64');
}

/**
 * The browser side for real: the `altcha` 3.x widget's own PBKDF2 worker (node_modules/altcha/dist/workers/pbkdf2.js,
 * WebCrypto) solves the challenge, and the payload is built the way the widget builds it.
 */
export async function solveWithWidgetWorker(challenge: Challenge): Promise<string> {
  // The package exports only its entry points: find dist/ from the main one.
  const file = path.join(path.dirname(path.dirname(createRequire(import.meta.url).resolve('altcha'))), 'workers', 'pbkdf2.js');
  const source = await fs.readFile(file, 'utf8');
  const solution = await new Promise<Solution>((resolve, reject) => {
    const self: { onmessage?: (m: { data: unknown }) => void; postMessage: (d: unknown) => void } = {
      postMessage: (d) => ((d as { error?: unknown })?.error ? reject((d as { error: unknown }).error) : resolve(d as Solution)),
    };
    new Function('self', source)(self);
    self.onmessage!({ data: { type: 'work', challenge, counterStart: 0, counterStep: 1, counterMode: 'uint32', timeout: 30_000 } });
  });
  // As in the widget's verify(): btoa(JSON.stringify({ challenge: { parameters, signature }, solution })).
  return btoa(JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution }));
}

let phoneCounter = 0;
/** A valid French mobile number nobody else in the test file uses. */
export const freshMobile = () => `06${String(30000000 + ++phoneCounter * 97 + Math.floor(Math.random() * 90)).padStart(8, '0')}`;

export async function newRequest(app: FastifyInstance, body: Record<string, unknown>, opts: { cookie?: string | null; ip?: string } = {}) {
  const res = await portal(app, 'POST', '/requests', { body: { altcha: await solveCaptcha(app), ...body }, ...opts });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res;
}

export interface QueuedNotification {
  contactId: string;
  ticketId?: string;
  template: string;
  channel?: string;
  variables: Record<string, string>;
}

/** Messages queued for clients (the channels domain delivers them). */
export async function queuedNotifications(db: DB): Promise<QueuedNotification[]> {
  const rows = await db.execute<{ data: QueuedNotification }>(sql`select data from pgboss.job where name = 'notify.contact' order by created_on, id`);
  return rows.rows.map((r) => r.data);
}

export const tokenOfLink = (link: string) => new URL(link).searchParams.get('t')!;

/**
 * Inbound WhatsApp under load, through the real HTTP webhook: signed Meta payloads at a fixed
 * rate (default 200 messages/s for 15 s) from a pool of clients, and for each message the
 * delay until it is in the database behind the API (message stored, ticket created or
 * threaded, event announced) — checked through `GET /api/v1/tickets/:ref/messages` for a
 * sample. Baseline in the same run: the same webhook at 5 messages/s, so the figures under
 * load can be read against the unloaded delay. The last line is one JSON object.
 *
 *   npm run bench:channels                  PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_DB=pglite npm run bench:channels  the embedded database instead
 *   BENCH_RATE=200 BENCH_SECONDS=15 BENCH_CLIENTS=300
 *   BENCH_SYNCHRONOUS_COMMIT=off   diagnostic: the same without waiting for the WAL flush at commit
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inArray } from 'drizzle-orm';
import pg from 'pg';
import { buildApp, type RelaisApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { createStaff } from '../server/src/domains/auth/staff-service';
import { issueToken } from '../server/src/domains/auth/tokens';
import { messages } from '../server/src/domains/tickets/ticket.schema';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 300);
const USE_PGLITE = process.env.BENCH_DB === 'pglite';
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-app-secret';
const PHONE_ID = '106540352242922';

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number) => Math.round(x * 10) / 10;

/** Meta's side: accepts the "ticket received" confirmations the hotline sends back. */
async function fakeGraph(): Promise<{ url: string; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [], messages: [{ id: `wamid.BENCHOUT${++n}` }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v21.0`, close: () => new Promise((r) => server.close(() => r())) };
}

function payload(id: string, wa: string, text: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '33123456789', phone_number_id: PHONE_ID },
              contacts: [{ profile: { name: `Client ${wa.slice(-4)}` }, wa_id: wa }],
              messages: [{ from: wa, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}

interface RunFigures {
  sent: number;
  accepted: number;
  visible: number;
  ackP50: number;
  ackP99: number;
  p50: number;
  p99: number;
  max: number;
  achievedRate: number;
}

async function drive(relais: RelaisApp, url: string, label: string, rate: number, seconds: number): Promise<RunFigures> {
  const sentAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const acks: number[] = [];
  let accepted = 0;
  let running = true;
  let stopAt = Infinity;

  // Watches the database behind the API: when each message becomes readable (committed).
  const watcher = (async () => {
    while (running || seenAt.size < accepted) {
      // The oldest 200 not yet seen: processing is first in, first out, so those come next
      // (a cheap indexed lookup every 20 ms, to weigh as little as possible on what is measured).
      const pending: string[] = [];
      for (const k of sentAt.keys()) {
        if (!seenAt.has(k)) pending.push(k);
        if (pending.length >= 200) break;
      }
      if (pending.length) {
        const rows = await relais.ctx.db.select({ id: messages.providerMessageId }).from(messages).where(inArray(messages.providerMessageId, pending));
        const now = performance.now();
        for (const r of rows) if (!seenAt.has(r.id!)) seenAt.set(r.id!, now);
      }
      if (!running && performance.now() - stopAt > 30_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const total = rate * seconds;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = `wamid.${label}.${i}`;
    const wa = `3361${String(2_000_000 + (i % CLIENTS)).padStart(7, '0')}`;
    const body = payload(id, wa, `Message ${i} : mon ordinateur ne démarre plus`);
    const t0 = performance.now();
    sentAt.set(id, t0);
    inflight.push(
      fetch(`${url}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
        body,
      }).then(
        async (res) => {
          await res.arrayBuffer();
          acks.push(performance.now() - t0);
          if (res.ok) accepted++;
          else sentAt.delete(id);
        },
        () => void sentAt.delete(id),
      ),
    );
  }
  const sendEnd = performance.now();
  await Promise.all(inflight);
  running = false;
  stopAt = performance.now();
  await watcher;
  const delays = [...seenAt.entries()].map(([id, at]) => at - sentAt.get(id)!).filter((d) => Number.isFinite(d));
  return {
    sent: total,
    accepted,
    visible: seenAt.size,
    ackP50: round(pct(acks, 50)),
    ackP99: round(pct(acks, 99)),
    p50: round(pct(delays, 50)),
    p99: round(pct(delays, 99)),
    max: round(Math.max(...delays)),
    achievedRate: round(total / ((sendEnd - start) / 1000)),
  };
}

async function main() {
  const graph = await fakeGraph();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-bench-channels-'));
  let dbName: string | null = null;
  let databaseUrl: string | undefined;
  if (!USE_PGLITE) {
    dbName = `relais_bench_ch_${Date.now()}`;
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    // Diagnostic only: shows how much of the delay is the WAL flush at each commit.
    if (process.env.BENCH_SYNCHRONOUS_COMMIT === 'off') await admin.query(`ALTER DATABASE ${dbName} SET synchronous_commit = off`);
    await admin.end();
    const u = new URL(BASE_URL);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    RELAIS_DATA_DIR: dataDir,
    PUBLIC_URL: 'https://relais.example',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, RELAIS_DB_POOL_SIZE: '20' } : {}),
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench',
    WHATSAPP_ACCESS_TOKEN: 'bench-token',
    WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
    WHATSAPP_API_URL: graph.url,
  });
  const relais = await buildApp({ config });
  try {
    const agent = await createStaff(relais.ctx.db, { email: `bench-${Date.now()}@relais.example`, name: 'Bench', role: 'agent', level: 1, password: 'bench-password-1' });
    const { token } = await issueToken(relais.ctx.db, agent.id, 2);
    const url = await relais.app.listen({ port: 0, host: '127.0.0.1' });
    const db = USE_PGLITE ? 'PGlite (embarqué)' : 'PostgreSQL';
    console.log(`WhatsApp entrant → demande visible par l’API, ${db}, ${CLIENTS} clients`);

    const baseline = await drive(relais, url, 'base', 5, 5);
    console.log(`référence  5 msg/s × 5 s : accusé p50 ${baseline.ackP50} ms p99 ${baseline.ackP99} ms ; visible p50 ${baseline.p50} ms, p99 ${baseline.p99} ms (${baseline.visible}/${baseline.sent})`);
    const load = await drive(relais, url, 'load', RATE, SECONDS);
    console.log(
      `charge     ${RATE} msg/s × ${SECONDS} s (envoyé à ${load.achievedRate}/s) : accusé p50 ${load.ackP50} ms p99 ${load.ackP99} ms ; visible p50 ${load.p50} ms, p99 ${load.p99} ms, max ${load.max} ms (${load.visible}/${load.sent})`,
    );

    // What an agent's console reads: the ticket of one of the last messages, through the API.
    const [last] = await relais.ctx.db.select({ ticketId: messages.ticketId }).from(messages).where(inArray(messages.providerMessageId, [`wamid.load.${RATE * SECONDS - 1}`]));
    const api = await fetch(`${url}/api/v1/tickets/${last?.ticketId}/messages`, { headers: { authorization: `Bearer ${token}` } });
    const items = ((await api.json()) as { items?: { body: string }[] }).items ?? [];
    console.log(`contrôle API : GET /api/v1/tickets/…/messages → ${api.status}, ${items.length} messages dans la demande du dernier client`);
    console.log(JSON.stringify({ bench: 'whatsapp-inbound', db: USE_PGLITE ? 'pglite' : 'postgres', rate: RATE, seconds: SECONDS, clients: CLIENTS, baseline, load, targetP99Ms: 1000, met: load.p99 < 1000 && load.visible === load.sent }));
  } finally {
    await relais.close();
    await graph.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: BASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

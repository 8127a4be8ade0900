/**
 * Inbound WhatsApp under load, through the real HTTP webhook: signed Meta payloads at a fixed
 * rate (default 200 messages/s for 15 s) from a pool of clients, sent from a worker thread
 * (whatsapp-load.mjs, which also plays Meta's side for the confirmations) so that the load
 * does not take the server's event loop, and for each message the
 * delay until it is in the database behind the API (message stored, ticket created or
 * threaded, event announced) — checked through `GET /api/v1/tickets/:ref/messages` for a
 * sample. Baseline in the same run: the same webhook at 5 messages/s, so the figures under
 * load can be read against the unloaded delay. The last line is one JSON object.
 *
 *   npm run bench:channels                  PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_DB=pglite npm run bench:channels  the embedded database instead
 *   BENCH_RATE=200 BENCH_SECONDS=15 BENCH_CLIENTS=300
 *   BENCH_SYNCHRONOUS_COMMIT=off   diagnostic: the same without waiting for the WAL flush at commit
 *   BENCH_TIMELINE=1               diagnostic: the delays by second of sending (where a backlog builds and clears)
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
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
/** Wall-clock milliseconds comparable with the load thread's (each thread has its own performance.now origin). */
const now = () => performance.timeOrigin + performance.now();

type LoadMessage = { type: 'graph'; url: string } | { type: 'sent'; id: string; at: number } | { type: 'ack'; id: string; ms: number; ok: boolean } | { type: 'done'; achievedRate: number };

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

async function drive(relais: RelaisApp, load: Worker, url: string, label: string, rate: number, seconds: number): Promise<RunFigures> {
  const sentAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const acks: number[] = [];
  let accepted = 0;
  let achievedRate = NaN;
  let running = true;
  let stopAt = Infinity;
  const sent = new Promise<void>((resolve) => {
    const onMessage = (m: LoadMessage) => {
      if (m.type === 'sent') sentAt.set(m.id, m.at);
      else if (m.type === 'ack') {
        acks.push(m.ms);
        if (m.ok) accepted++;
        else sentAt.delete(m.id);
      } else if (m.type === 'done') {
        achievedRate = m.achievedRate;
        load.off('message', onMessage);
        resolve();
      }
    };
    load.on('message', onMessage);
  });
  load.postMessage({ type: 'drive', url, label, rate, seconds, clients: CLIENTS, secret: SECRET, phoneId: PHONE_ID });

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
        const at = now();
        for (const r of rows) if (!seenAt.has(r.id!)) seenAt.set(r.id!, at);
      }
      if (!running && now() - stopAt > 30_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  await sent;
  running = false;
  stopAt = now();
  await watcher;
  const delays = [...seenAt.entries()].map(([id, at]) => at - sentAt.get(id)!).filter((d) => Number.isFinite(d));
  if (process.env.BENCH_TIMELINE && seconds > 1) {
    const first = Math.min(...sentAt.values());
    const bySecond = new Map<number, number[]>();
    for (const [id, at] of seenAt) {
      const sec = Math.floor((sentAt.get(id)! - first) / 1000);
      bySecond.set(sec, [...(bySecond.get(sec) ?? []), at - sentAt.get(id)!]);
    }
    for (const [sec, xs] of [...bySecond].sort((a, b) => a[0] - b[0])) console.log(`  ${label} seconde ${sec} : ${xs.length} messages, visible p50 ${round(pct(xs, 50))} ms, p99 ${round(pct(xs, 99))} ms`);
  }
  return {
    sent: rate * seconds,
    accepted,
    visible: seenAt.size,
    ackP50: round(pct(acks, 50)),
    ackP99: round(pct(acks, 99)),
    p50: round(pct(delays, 50)),
    p99: round(pct(delays, 99)),
    max: round(Math.max(...delays)),
    achievedRate: round(achievedRate),
  };
}

async function main() {
  const load = new Worker(new URL('./whatsapp-load.mjs', import.meta.url));
  const graphUrl = await new Promise<string>((resolve, reject) => {
    load.once('message', (m: LoadMessage) => (m.type === 'graph' ? resolve(m.url) : reject(new Error(`unexpected ${m.type}`))));
    load.once('error', reject);
    load.postMessage({ type: 'graph' });
  });
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
    WHATSAPP_API_URL: graphUrl,
  });
  const relais = await buildApp({ config });
  try {
    const agent = await createStaff(relais.ctx.db, { email: `bench-${Date.now()}@relais.example`, name: 'Bench', role: 'agent', level: 1, password: 'bench-password-1' });
    const { token } = await issueToken(relais.ctx.db, agent.id, 2);
    const url = await relais.app.listen({ port: 0, host: '127.0.0.1' });
    const db = USE_PGLITE ? 'PGlite (embarqué)' : 'PostgreSQL';
    console.log(`WhatsApp entrant → demande visible par l’API, ${db}, ${CLIENTS} clients`);
    // The machine may be shared: the figures mean little without how busy it was.
    const loadAverage = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');
    console.log(`charge de la machine (1 / 5 / 15 min) au départ : ${loadAverage()}, ${os.cpus().length} cœurs`);

    const baseline = await drive(relais, load, url, 'base', 5, 5);
    console.log(`référence  5 msg/s × 5 s : accusé p50 ${baseline.ackP50} ms p99 ${baseline.ackP99} ms ; visible p50 ${baseline.p50} ms, p99 ${baseline.p99} ms (${baseline.visible}/${baseline.sent})`);
    const loaded = await drive(relais, load, url, 'load', RATE, SECONDS);
    console.log(
      `charge     ${RATE} msg/s × ${SECONDS} s (envoyé à ${loaded.achievedRate}/s) : accusé p50 ${loaded.ackP50} ms p99 ${loaded.ackP99} ms ; visible p50 ${loaded.p50} ms, p99 ${loaded.p99} ms, max ${loaded.max} ms (${loaded.visible}/${loaded.sent})`,
    );

    console.log(`charge de la machine (1 / 5 / 15 min) à la fin : ${loadAverage()}`);
    // What an agent's console reads: the ticket of one of the last messages, through the API.
    const [last] = await relais.ctx.db.select({ ticketId: messages.ticketId }).from(messages).where(inArray(messages.providerMessageId, [`wamid.load.${RATE * SECONDS - 1}`]));
    const api = await fetch(`${url}/api/v1/tickets/${last?.ticketId}/messages`, { headers: { authorization: `Bearer ${token}` } });
    const items = ((await api.json()) as { items?: { body: string }[] }).items ?? [];
    console.log(`contrôle API : GET /api/v1/tickets/…/messages → ${api.status}, ${items.length} messages dans la demande du dernier client`);
    console.log(JSON.stringify({ bench: 'whatsapp-inbound', db: USE_PGLITE ? 'pglite' : 'postgres', rate: RATE, seconds: SECONDS, clients: CLIENTS, baseline, load: loaded, loadAverage: os.loadavg().map(round), targetP99Ms: 1000, met: loaded.p99 < 1000 && loaded.visible === loaded.sent }));
  } finally {
    await relais.close();
    load.postMessage({ type: 'close' });
    await load.terminate();
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

/**
 * What one inbound WhatsApp message costs, in CPU and in SQL statements, through the real
 * webhook, the inbox drain and (for a new client) the confirmation sent back: first a message
 * from each of `BENCH_CLIENTS` new clients (new contact, new ticket, confirmation), then one
 * more from each (threaded into the open ticket). CPU time is this Node process and the
 * PostgreSQL backends of the bench's database, apart; the load and Meta's side run in a child
 * process (whatsapp-cpu-load.mjs) so that their CPU is not counted. Statements are counted at
 * the PostgreSQL driver, by statement (prepared name, or the text's start). CPU time depends far
 * less than delays on what else the machine runs: the figure to compare changes with.
 *
 *   npx tsx bench/whatsapp-cpu.ts [postgres|pglite]     (BENCH_CLIENTS=300 BENCH_CONCURRENCY=8)
 *   BENCH_STATEMENTS=1   also lists the statements of each phase
 *   BENCH_PROFILE=/tmp/wa   also writes a CPU profile of each phase (/tmp/wa-new.cpuprofile, …)
 *   BENCH_JOBS=false   no job worker on the node: the intake alone, without sending the confirmations
 */
import { fork } from 'node:child_process';
import fs from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp, type RelaisApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';

const KIND = process.argv[2] === 'pglite' ? 'pglite' : 'postgres';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const JOBS = process.env.BENCH_JOBS !== 'false';
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-app-secret';
const PHONE_ID = '106540352242922';
const TICK_MS = 1000 / 100; // USER_HZ

/** Statements sent by every pg client of this process (the app's pools, pg-boss's), by kind. */
const statements = new Map<string, number>();
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { name?: string; text?: string } | undefined;
  const key =
    typeof first === 'string'
      ? first
      : first?.name
        ? `prepared ${first.name.replace(/_[0-9a-f]{12}$/, '')}`
        : (first?.text ?? '?');
  const label = key.replace(/\s+/g, ' ').trim().slice(0, 90);
  statements.set(label, (statements.get(label) ?? 0) + 1);
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

async function procCpuMs(pids: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(pid, (Number(f[11]) + Number(f[12])) * TICK_MS);
  }
  return out;
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-wa-cpu-'));
const dbName = `relais_wacpu_${Date.now()}`;
let admin: pg.Client | null = null;
let url: string | null = null;
if (KIND === 'postgres') {
  admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(BASE_URL);
  u.pathname = `/${dbName}`;
  url = u.toString();
}
const load = fork(fileURLToPath(new URL('./whatsapp-cpu-load.mjs', import.meta.url)));
const ask = <T>(m: object, reply: string) =>
  new Promise<T>((resolve) => {
    const on = (r: { type: string } & T) => {
      if (r.type !== reply) return;
      load.off('message', on);
      resolve(r);
    };
    load.on('message', on);
    load.send(m);
  });
const { url: graphUrl } = await ask<{ url: string }>({ type: 'graph' }, 'graph');
const config = loadConfig({
  ...(url ? { DATABASE_URL: url, RELAIS_DB_POOL_SIZE: '20' } : {}),
  RELAIS_DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  RELAIS_JOBS: String(JOBS),
  PUBLIC_URL: 'https://relais.example',
  WHATSAPP_APP_SECRET: SECRET,
  WHATSAPP_VERIFY_TOKEN: 'bench',
  WHATSAPP_ACCESS_TOKEN: 'bench-token',
  WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
  WHATSAPP_API_URL: graphUrl,
});
let relais: RelaisApp | null = null;
try {
  relais = await buildApp({ config });
  const ctx = relais.ctx;
  const target = await relais.app.listen({ port: 0, host: '127.0.0.1' });

  /** Everything sent is processed, and the confirmations have gone out. */
  const settled = async (processed: number, notifications: number) => {
    for (;;) {
      const { rows } = await ctx.db.execute<{ inbox: number; sent: number; jobs: number }>(sql`
        select (select count(*) from channel_inbox where state <> 'pending')::int as inbox,
               (select count(*) from contact_notifications where status <> 'pending')::int as sent,
               (select count(*) from pgboss.job where name = 'notify.contact' and state in ('created', 'retry', 'active'))::int as jobs`);
      const r = rows[0]!;
      if (r.inbox >= processed && (!JOBS || (r.sent >= notifications && r.jobs === 0))) return;
      await new Promise((res) => setTimeout(res, 50));
    }
  };

  const phase = async (name: string, first: number, notifications: number) => {
    const pids = admin ? (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName])).rows.map((r) => r.pid) : [];
    const profiler = process.env.BENCH_PROFILE ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    statements.clear();
    const pgBefore = await procCpuMs(pids);
    const nodeBefore = process.cpuUsage();
    const started = performance.now();
    const sent = await ask<{ failed: number }>({ type: 'send', url: target, first, last: first + CLIENTS, clients: CLIENTS, concurrency: CONCURRENCY, secret: SECRET, phoneId: PHONE_ID }, 'sent');
    await settled(first + CLIENTS, notifications);
    const wall = performance.now() - started;
    const node = process.cpuUsage(nodeBefore);
    // Backends opened during the phase count from zero.
    const after = admin ? (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName])).rows.map((r) => r.pid) : [];
    const pgAfter = await procCpuMs([...new Set([...pids, ...after])]);
    let pgMs = 0;
    for (const [pid, ms] of pgAfter) pgMs += ms - (pgBefore.get(pid) ?? 0);
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      await fs.writeFile(`${process.env.BENCH_PROFILE}-${name}.cpuprofile`, JSON.stringify(profile));
    }
    // The watcher's own polling is not the message's cost.
    const polls = [...statements.keys()].filter((k) => k.includes('from channel_inbox where state <>'));
    for (const k of polls) statements.delete(k);
    const total = [...statements.values()].reduce((a, b) => a + b, 0);
    const per = (x: number) => +(x / CLIENTS).toFixed(2);
    console.log(
      JSON.stringify({
        db: KIND,
        phase: name,
        messages: CLIENTS,
        failed: sent.failed,
        nodeCpuMsPerMsg: per((node.user + node.system) / 1000),
        ...(KIND === 'postgres' ? { pgCpuMsPerMsg: per(pgMs) } : {}),
        statementsPerMsg: per(total),
        wallMs: Math.round(wall),
        load1: +os.loadavg()[0]!.toFixed(2),
      }),
    );
    if (process.env.BENCH_STATEMENTS) {
      for (const [k, n] of [...statements].sort((a, b) => b[1] - a[1])) console.log(`  ${String(per(n)).padStart(6)}  ${k}`);
    }
  };

  // Warm-up on other clients (JIT, pools, prepared statements); not the bench's clients.
  await ask({ type: 'send', url: target, first: 1_000_000, last: 1_000_000 + 40, clients: 20, clientBase: 500_000, concurrency: CONCURRENCY, secret: SECRET, phoneId: PHONE_ID }, 'sent');
  await settled(40, 20);
  await ctx.db.execute(sql`delete from channel_inbox`);
  await ctx.db.execute(sql`delete from contact_notifications`);

  await phase('new', 0, CLIENTS);
  await phase('threaded', CLIENTS, CLIENTS);
} finally {
  await relais?.close();
  load.send({ type: 'close' });
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  await fs.rm(dataDir, { recursive: true, force: true });
}
process.exit(0);

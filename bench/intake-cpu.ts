/**
 * CPU time per ticket intake, split between this Node process and the PostgreSQL backends
 * that served it. CPU time depends far less than req/s on what else the machine runs, so
 * this is the figure to compare changes with on a shared machine (it still grows by 10–30 %
 * when other processes share the cores: compare runs made side by side). The load comes from a
 * separate process (bench/intake-load.mjs) so that its own CPU is not counted.
 *
 *   npm run bench:intake-cpu -- [postgres|pglite]     (BENCH_REQUESTS=3000 BENCH_CONNECTIONS=20)
 *   BENCH_PROFILE=/tmp/intake.cpuprofile …   also writes a CPU profile of the measured part
 *   npm run bench:intake-cpu -- postgres baseline   the bench's bare one-INSERT route, same measure
 *   BENCH_PERF=/tmp/pg.perf …   also a `perf record` of the PostgreSQL backends (perf report -i …)
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { createStaff } from '../server/src/domains/auth/staff-service';
import { issueToken } from '../server/src/domains/auth/tokens';

const KIND = process.argv[2] === 'pglite' ? 'pglite' : 'postgres';
/** `baseline`: the bench's bare Fastify route doing one INSERT on the same pool, measured the same way. */
const BASELINE = process.argv.includes('baseline');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LOAD = fileURLToPath(new URL('./intake-load.mjs', import.meta.url));
const TICK_MS = 1000 / 100; // USER_HZ: /proc counts CPU time in hundredths of a second on Linux.

function load(url: string, token: string, amount: number) {
  return new Promise<{ total: number; non2xx: number; errors: number; p50: number; p99: number; rps: number }>((resolve, reject) =>
    execFile(process.execPath, [LOAD, url, token, String(amount), String(CONNECTIONS)], (err, out) => (err ? reject(err) : resolve(JSON.parse(out)))),
  );
}

/** utime + stime of some processes, in ms. */
async function procCpuMs(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * TICK_MS;
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-intake-cpu-'));
const dbName = `relais_cpu_${Date.now()}`;
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
const config = loadConfig({ ...(url ? { DATABASE_URL: url, RELAIS_DB_POOL_SIZE: '20' } : {}), RELAIS_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RELAIS_JOBS: 'false' });
const relais = await buildApp({ config });
try {
  const agent = await createStaff(relais.ctx.db, { email: 'bench@relais.example', name: 'Bench', role: 'agent', level: 1, password: 'bench-password-1' });
  for (let i = 0; i < 4; i++) await createStaff(relais.ctx.db, { email: `n1-${i}@relais.example`, name: `N1 ${i}`, role: 'agent', level: 1, password: 'bench-password-1' });
  const { token } = await issueToken(relais.ctx.db, agent.id, 2);
  let target = `${await relais.app.listen({ port: 0, host: '127.0.0.1' })}/api/v1/tickets`;
  const bare = Fastify();
  if (BASELINE) {
    const pool = relais.ctx.database.pool!;
    await pool.query('CREATE TABLE bench_baseline (id bigserial primary key, body jsonb not null, created_at timestamptz not null default now())');
    bare.post('/insert', async (req) => {
      const r = await pool.query('INSERT INTO bench_baseline (body) VALUES ($1) RETURNING id', [req.body]);
      return { id: r.rows[0].id };
    });
    target = `${await bare.listen({ port: 0, host: '127.0.0.1' })}/insert`;
  }
  await load(target, token, 1000); // JIT, pool, caches, prepared statements

  const backends = async () =>
    admin ? (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName])).rows.map((r) => r.pid) : [];
  const pids = await backends();
  const profiler = process.env.BENCH_PROFILE ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  // BENCH_PERF=file: `perf record` of the PostgreSQL backends during the measured part.
  const perf = process.env.BENCH_PERF && pids.length ? spawn('perf', ['record', '-F', '499', '-g', '-o', process.env.BENCH_PERF, '-p', pids.join(',')], { stdio: 'ignore' }) : null;
  if (perf) await new Promise((r) => setTimeout(r, 500));
  const pgBefore = await procCpuMs(pids);
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  const r = await load(target, token, REQUESTS);
  const wall = performance.now() - started;
  const node = process.cpuUsage(nodeBefore);
  const pgMs = (await procCpuMs(pids)) - pgBefore;
  if (perf) {
    perf.kill('SIGINT');
    await new Promise((r) => perf.once('exit', r));
  }
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    await fs.writeFile(process.env.BENCH_PROFILE!, JSON.stringify(profile));
  }
  const nodeMs = (node.user + node.system) / 1000;
  const n = r.total;
  const figures = {
    db: KIND,
    route: BASELINE ? 'baseline (1 INSERT)' : 'intake',
    requests: n,
    failed: r.non2xx + r.errors,
    nodeCpuMsPerReq: +(nodeMs / n).toFixed(3),
    nodeSystemMsPerReq: +(node.system / 1000 / n).toFixed(3),
    ...(KIND === 'postgres' ? { pgCpuMsPerReq: +(pgMs / n).toFixed(3), pgBackends: pids.length } : {}),
    wallRps: Math.round((n / wall) * 1000),
    p50: r.p50,
    p99: r.p99,
    load1: os.loadavg()[0]!.toFixed(2),
  };
  console.log(JSON.stringify(figures));
  await bare.close();
} finally {
  await relais.close();
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  await fs.rm(dataDir, { recursive: true, force: true });
}
process.exit(0);

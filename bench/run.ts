/**
 * Ticket intake through the real HTTP API (new ticket + contact match + routing + SLA +
 * timeline event, durable commit) against PostgreSQL, next to its baseline measured in the
 * same run: a bare Fastify route doing one INSERT through the same pool. Then the embedded
 * (PGlite) intake rate. The last line is one JSON object, to track the figures over time.
 *
 *   npm run bench        (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_SECONDS=15 BENCH_CONNECTIONS=50
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp, type RelaisApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { createStaff } from '../server/src/domains/auth/staff-service';
import { issueToken } from '../server/src/domains/auth/tokens';
import { openDatabase } from '../server/src/platform/db';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Figures {
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

const REQUEST_FILE = fileURLToPath(new URL('./intake-request.cjs', import.meta.url));

// The load runs in a worker thread, so it does not take the server's event loop (nor PGlite's).
function run(url: string, opts: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<Figures> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: 'POST',
        connections: opts.connections,
        duration: opts.seconds,
        headers: { 'content-type': 'application/json', ...opts.headers },
        workers: 1,
        requests: [{ setupRequest: REQUEST_FILE as never }],
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({ reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, total: r.requests.total });
      },
    );
  });
}


async function prepareNode(config: ReturnType<typeof loadConfig>, database?: Awaited<ReturnType<typeof openDatabase>>) {
  const relais = await buildApp({ config, database });
  const agent = await createStaff(relais.ctx.db, { email: `bench-${Date.now()}@relais.example`, name: 'Bench', role: 'agent', level: 1, password: 'bench-password-1' });
  for (let i = 0; i < 4; i++) await createStaff(relais.ctx.db, { email: `n1-${i}-${Date.now()}@relais.example`, name: `N1 ${i}`, role: 'agent', level: 1, password: 'bench-password-1' });
  const { token } = await issueToken(relais.ctx.db, agent.id, 2);
  const url = await relais.app.listen({ port: 0, host: '127.0.0.1' });
  return { relais, url, token };
}

async function postgresFigures() {
  const dbName = `relais_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(BASE_URL);
  u.pathname = `/${dbName}`;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-bench-'));
  const config = loadConfig({ DATABASE_URL: u.toString(), RELAIS_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RELAIS_JOBS: 'false', RELAIS_DB_POOL_SIZE: '20' });
  let relais: RelaisApp | null = null;
  try {
    const node = await prepareNode(config);
    relais = node.relais;
    const pool = relais.ctx.database.pool!;
    await pool.query('CREATE TABLE bench_baseline (id bigserial primary key, body jsonb not null, created_at timestamptz not null default now())');
    const bare = Fastify();
    bare.post('/insert', async (req) => {
      const r = await pool.query('INSERT INTO bench_baseline (body) VALUES ($1) RETURNING id', [req.body]);
      return { id: r.rows[0].id };
    });
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

    // Warm both paths (JIT, pool, caches) before measuring.
    await run(`${bareUrl}/insert`, { connections: 10, seconds: 2 });
    await run(`${node.url}/api/v1/tickets`, { connections: 10, seconds: 2, headers: { authorization: `Bearer ${node.token}` } });

    console.log(`Baseline: bare Fastify route, one INSERT, ${CONNECTIONS} connections, ${SECONDS} s…`);
    const baseline = await run(`${bareUrl}/insert`, { connections: CONNECTIONS, seconds: SECONDS });
    console.log(`Intake: POST /api/v1/tickets, ${CONNECTIONS} connections, ${SECONDS} s…`);
    const intake = await run(`${node.url}/api/v1/tickets`, { connections: CONNECTIONS, seconds: SECONDS, headers: { authorization: `Bearer ${node.token}` } });
    const created = await pool.query('select count(*)::int as n, count(distinct contact_id)::int as contacts from tickets');
    await bare.close();
    return { baseline, intake, tickets: created.rows[0].n as number, contacts: created.rows[0].contacts as number };
  } finally {
    await relais?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function pgliteFigures() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-bench-pglite-'));
  const config = loadConfig({ RELAIS_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RELAIS_JOBS: 'false' });
  const node = await prepareNode(config);
  try {
    await run(`${node.url}/api/v1/tickets`, { connections: 10, seconds: 2, headers: { authorization: `Bearer ${node.token}` } });
    console.log(`Embedded PGlite intake: POST /api/v1/tickets, 10 connections, ${Math.min(SECONDS, 10)} s…`);
    return await run(`${node.url}/api/v1/tickets`, { connections: 10, seconds: Math.min(SECONDS, 10), headers: { authorization: `Bearer ${node.token}` } });
  } finally {
    await node.relais.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

const fmt = (f: Figures) => `${f.reqPerSec.toFixed(0).padStart(6)} req/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   (${f.total} requests, ${f.errors} errors, ${f.non2xx} non-2xx)`;

const { baseline, intake, tickets, contacts } = await postgresFigures();
const embedded = await pgliteFigures();
const ratio = intake.reqPerSec / baseline.reqPerSec;
console.log('');
console.log(`PostgreSQL baseline (1 INSERT)  ${fmt(baseline)}`);
console.log(`PostgreSQL ticket intake        ${fmt(intake)}`);
console.log(`  ratio intake / baseline       ${ratio.toFixed(2)}   (target ≥ 0.50)   p99 ${intake.p99} ms (target < 50 ms)`);
console.log(`  ${tickets} tickets created for ${contacts} distinct contacts (repeat callers matched, not duplicated)`);
console.log(`PGlite ticket intake            ${fmt(embedded)}   (target ≥ 300 tickets/s)`);
console.log(
  JSON.stringify({
    bench: 'ticket-intake',
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    connections: CONNECTIONS,
    seconds: SECONDS,
    postgres: { baselineRps: Math.round(baseline.reqPerSec), baselineP50: baseline.p50, baselineP99: baseline.p99, intakeRps: Math.round(intake.reqPerSec), intakeP50: intake.p50, intakeP99: intake.p99, ratio: Number(ratio.toFixed(3)), errors: intake.errors + intake.non2xx },
    pglite: { intakeRps: Math.round(embedded.reqPerSec), p50: embedded.p50, p99: embedded.p99, errors: embedded.errors + embedded.non2xx },
  }),
);
process.exit(0);

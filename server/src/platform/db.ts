import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema';

// One concrete type for both drivers: a union of the two breaks drizzle's builder types.
export type DB = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<DB['transaction']>[0]>[0];
export type Executor = DB | Tx;

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');
export const PGLITE_EXTENSIONS = { citext, pg_trgm, unaccent };
/**
 * How every embedded database is opened. Its pages are all in memory, so a random read costs
 * what a sequential one does: with the server default (4) the planner scanned all 10,000 help
 * articles rather than fetch the thousand an index pointed to (a third more time).
 */
export const PGLITE_OPTIONS = { extensions: PGLITE_EXTENSIONS, postgresqlconf: ['random_page_cost = 1.1'] };

export type Listener = (payload: string) => void;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: DB;
  pglite?: PGlite;
  pool?: pg.Pool;
  connectionString?: string;
  /** Subscribes to a NOTIFY channel; returns the unsubscribe function. */
  listen(channel: string, onPayload: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  url?: string | null;
  dataDir?: string;
  /** An already open PGlite (tests share a pre-migrated copy). */
  pglite?: PGlite;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10);
  let pglite = opts.pglite;
  if (!pglite) {
    const dir = path.join(opts.dataDir ?? './data', 'pg');
    // PGlite does not create parent folders itself.
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    pglite = await PGlite.create(dir, PGLITE_OPTIONS);
  }
  return wrapPglite(pglite, !opts.pglite);
}

export function wrapPglite(pglite: PGlite, owned: boolean): Database {
  const db = drizzlePglite({ client: pglite, schema }) as unknown as DB;
  return {
    kind: 'pglite',
    db,
    pglite,
    async listen(channel, onPayload) {
      const unsub = await pglite.listen(channel, onPayload);
      return async () => unsub();
    },
    async close() {
      if (owned && !pglite.closed) await pglite.close();
    },
  };
}

async function openPostgres(connectionString: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client dropped by the server must not crash the process.
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema });
  const listeners = new Map<string, Set<Listener>>();
  let client: pg.Client | null = null;
  let closed = false;

  const connectListener = async () => {
    const c = new pg.Client({ connectionString });
    c.on('notification', (msg) => {
      for (const fn of listeners.get(msg.channel) ?? []) fn(msg.payload ?? '');
    });
    c.on('error', () => {
      // Reconnect and re-subscribe: a realtime node must survive a database restart.
      client = null;
      if (!closed) setTimeout(() => void connectListener().catch(() => {}), 1000);
    });
    await c.connect();
    for (const ch of listeners.keys()) await c.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
    client = c;
    return c;
  };

  return {
    kind: 'postgres',
    db,
    pool,
    connectionString,
    async listen(channel, onPayload) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        const c = client ?? (await connectListener());
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
      };
    },
    async close() {
      closed = true;
      const c = client;
      client = null;
      if (c) await c.end().catch(() => {});
      await pool.end();
    },
  };
}

/** Applies the committed SQL migrations; two nodes starting together take turns. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(drizzlePglite({ client: database.pglite! }), { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  const client = await database.pool!.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727364)');
    await migratePg(drizzlePg({ client }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await client.query('SELECT pg_advisory_unlock(727364)').catch(() => {});
    client.release();
  }
}

export async function ping(database: Database): Promise<boolean> {
  try {
    await database.db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

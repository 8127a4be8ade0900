import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Transaction } from '@electric-sql/pglite';
import { escapeLiteral, type PoolClient } from 'pg';
import type { Database, Executor } from './db';

const dialect = new PgDialect();
const preparedOnPglite = new WeakMap<object, Set<string>>();

/**
 * Runs a hot statement prepared once per connection (per process on PGlite): planning a
 * statement of many CTEs costs more than running it. When `db` is a caller's transaction
 * rather than the database's own handle, the statement runs in that transaction, prepared on
 * the transaction's own connection (a prepared statement outlives a rollback). The name carries
 * a hash of the text, so a changed statement is never confused with an older one.
 */
export async function runPrepared<T>(database: Database, db: Executor, name: string, query: SQL): Promise<{ rows: T[] }> {
  // The connection a drizzle transaction runs on (its session's client); unprepared if it ever moves.
  const inTransaction = db !== database.db;
  const txClient = inTransaction ? (db as unknown as { session?: { client?: unknown } }).session?.client : undefined;
  const { sql: text, params } = dialect.sqlToQuery(query);
  const id = `${name}_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`;
  if (database.kind === 'postgres') {
    const client = (inTransaction ? txClient : database.pool) as Pick<PoolClient, 'query'> | undefined;
    if (typeof client?.query !== 'function') return db.execute(query) as unknown as Promise<{ rows: T[] }>;
    return client.query({ name: id, text, values: params as unknown[] }) as unknown as Promise<{ rows: T[] }>;
  }
  const pglite = database.pglite!;
  const runner = (inTransaction ? txClient : pglite) as Pick<Transaction, 'exec'> | undefined;
  if (typeof runner?.exec !== 'function') return db.execute(query) as unknown as Promise<{ rows: T[] }>;
  if (!preparedOnPglite.get(pglite)?.has(id)) {
    // PREPARE and EXECUTE are utility statements: no bind parameters, hence the simple protocol
    // and literals escaped by the PostgreSQL driver's own escaping.
    await runner.exec(`PREPARE ${id} AS ${text}`);
    preparedOnPglite.set(pglite, (preparedOnPglite.get(pglite) ?? new Set()).add(id));
  }
  const [res] = await runner.exec(`EXECUTE ${id}(${params.map(sqlLiteral).join(', ')})`);
  return { rows: (res?.rows ?? []) as T[] };
}

function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('prepared statement: non-finite number parameter');
    return String(v);
  }
  return escapeLiteral(typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : JSON.stringify(v));
}

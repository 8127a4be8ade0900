import { createHash } from 'node:crypto';
import { fillPlaceholders, is, Param, Placeholder, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Transaction } from '@electric-sql/pglite';
import { escapeLiteral, type PoolClient } from 'pg';
import type { Database, Executor } from './db';

const dialect = new PgDialect();
const preparedOnPglite = new WeakMap<object, Map<string, Promise<void>>>();

interface Compiled {
  id: string;
  text: string;
  params: unknown[];
}

function compile(name: string, query: SQL): Compiled {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { id: `${name}_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`, text, params };
}

/**
 * Runs a hot statement prepared once per connection (per process on PGlite): planning a
 * statement of many CTEs costs more than running it. When `db` is a caller's transaction
 * rather than the database's own handle, the statement runs in that transaction, prepared on
 * the transaction's own connection (a prepared statement outlives a rollback). The name carries
 * a hash of the text, so a changed statement is never confused with an older one.
 */
export async function runPrepared<T>(database: Database, db: Executor, name: string, query: SQL): Promise<{ rows: T[] }> {
  const compiled = compile(name, query);
  return execute<T>(database, db, compiled, compiled.params, () => query);
}

/**
 * A hot statement that is also built only once per process: `build` writes it with a
 * `sql.placeholder` for each value, and each call brings only the values, by name (building,
 * printing and hashing a statement of many CTEs for every request costs a busy node more than
 * sending it). Runs as runPrepared does.
 */
export function preparedStatement<V extends Record<string, unknown>, T>(name: string, build: () => SQL) {
  let query: SQL | null = null;
  let compiled: Compiled | null = null;
  return async (database: Database, db: Executor, values: V): Promise<{ rows: T[] }> => {
    query ??= build();
    compiled ??= compile(name, query);
    const q = query;
    return execute<T>(database, db, compiled, fillPlaceholders(compiled.params, values), () => withValues(q, values));
  };
}

async function execute<T>(database: Database, db: Executor, compiled: Compiled, params: unknown[], unprepared: () => SQL): Promise<{ rows: T[] }> {
  const { id, text } = compiled;
  // The connection a drizzle transaction runs on (its session's client); unprepared if it ever moves.
  const inTransaction = db !== database.db;
  const txClient = inTransaction ? (db as unknown as { session?: { client?: unknown } }).session?.client : undefined;
  if (database.kind === 'postgres') {
    const client = (inTransaction ? txClient : database.pool) as Pick<PoolClient, 'query'> | undefined;
    if (typeof client?.query !== 'function') return db.execute(unprepared()) as unknown as Promise<{ rows: T[] }>;
    return client.query({ name: id, text, values: params }) as unknown as Promise<{ rows: T[] }>;
  }
  const pglite = database.pglite!;
  const runner = (inTransaction ? txClient : pglite) as Pick<Transaction, 'exec'> | undefined;
  if (typeof runner?.exec !== 'function') return db.execute(unprepared()) as unknown as Promise<{ rows: T[] }>;
  await preparedOn(pglite, runner, id, text);
  const [res] = await runner.exec(`EXECUTE ${id}(${params.map(sqlLiteral).join(', ')})`);
  return { rows: (res?.rows ?? []) as T[] };
}

/**
 * PREPAREs a statement once per PGlite. Requests that arrive together on a fresh process wait
 * for the same PREPARE rather than each sending one (the second would fail: "already exists");
 * one that failed (its caller's transaction aborted) is sent again by the next call.
 */
async function preparedOn(pglite: object, runner: Pick<Transaction, 'exec'>, id: string, text: string): Promise<void> {
  let statements = preparedOnPglite.get(pglite);
  if (!statements) preparedOnPglite.set(pglite, (statements = new Map()));
  for (;;) {
    const pending = statements.get(id);
    if (pending) {
      // Another caller's PREPARE; if it failed, this caller sends its own.
      if (await pending.then(() => true, () => false)) return;
      if (statements.get(id) === pending) statements.delete(id);
      continue;
    }
    // PREPARE and EXECUTE are utility statements: no bind parameters, hence the simple protocol
    // and literals escaped by the PostgreSQL driver's own escaping.
    const mine = runner.exec(`PREPARE ${id} AS ${text}`).then(() => undefined);
    statements.set(id, mine);
    try {
      return await mine;
    } catch (err) {
      statements.delete(id);
      throw err;
    }
  }
}

/** The statement with its placeholders replaced by the values, to run unprepared. */
function withValues(query: SQL, values: Record<string, unknown>): SQL {
  return new SQL(
    query.queryChunks.map((chunk) => {
      if (is(chunk, Placeholder)) return new Param(values[chunk.name]);
      if (is(chunk, Param) && is(chunk.value, Placeholder)) return new Param(values[chunk.value.name], chunk.encoder);
      return is(chunk, SQL) ? withValues(chunk, values) : chunk;
    }),
  );
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

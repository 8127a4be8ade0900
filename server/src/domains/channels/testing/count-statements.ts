import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Database } from '../../../platform/db';

/**
 * Counts the statements sent to the database, whichever the driver (each one a round trip), by
 * the code run inside `inMeasure` only: the node's own background work (the inbox drain's poll,
 * the settings reload) runs on the same database and must not be counted.
 */
const measuring = new AsyncLocalStorage<true>();
export const inMeasure = <T>(fn: () => Promise<T>) => measuring.run(true, fn);
export function countStatements(database: Database): { count: () => number; stop: () => void } {
  let n = 0;
  const count = () => {
    if (measuring.getStore()) n++;
  };
  if (database.kind === 'postgres') {
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      count();
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    return { count: () => n, stop: () => void (pg.Client.prototype.query = original) };
  }
  const db = database.pglite! as unknown as Record<string, (...a: unknown[]) => unknown>;
  const saved = { query: db.query!, exec: db.exec!, transaction: db.transaction! };
  const wrap = (target: Record<string, (...a: unknown[]) => unknown>, name: string, fn: (...a: unknown[]) => unknown) => {
    target[name] = (...a: unknown[]) => {
      count();
      return fn.apply(target, a);
    };
  };
  wrap(db, 'query', saved.query);
  wrap(db, 'exec', saved.exec);
  db.transaction = (cb: unknown) => {
    // BEGIN and COMMIT
    count();
    count();
    return saved.transaction.call(db, async (tx: Record<string, (...a: unknown[]) => unknown>) => {
      wrap(tx, 'query', tx.query!.bind(tx));
      wrap(tx, 'exec', tx.exec!.bind(tx));
      return (cb as (t: unknown) => unknown)(tx);
    });
  };
  return { count: () => n, stop: () => Object.assign(db, saved) };
}

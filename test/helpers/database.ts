import fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, PGLITE_OPTIONS, wrapPglite, type Database } from '../../server/src/platform/db';

export const usingPostgres = () => inject('pgTemplate') !== null;

export interface TestDatabase {
  database: Database;
  /** A second connection to the same database, as another app node would have. */
  openAnother(): Promise<Database>;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('pgTemplate');
  if (template) {
    const base = process.env.TEST_DATABASE_URL!;
    const name = `relais_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
    const adminUrl = new URL(base);
    adminUrl.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const database = await openDatabase({ url: url.toString(), poolSize: 5 });
    const others: Database[] = [];
    return {
      database,
      async openAnother() {
        const d = await openDatabase({ url: url.toString(), poolSize: 5 });
        others.push(d);
        return d;
      },
      async drop() {
        for (const d of others) await d.close();
        await database.close();
        const a = new pg.Client({ connectionString: adminUrl.toString() });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const file = inject('pgliteDump')!;
  const blob = new Blob([await fs.readFile(file)]);
  const pglite = await PGlite.create({ ...PGLITE_OPTIONS, loadDataDir: blob });
  const database = wrapPglite(pglite, true);
  return {
    database,
    // PGlite is in-process: a second app node shares the same instance, as two nodes share one server.
    async openAnother() {
      return wrapPglite(pglite, false);
    },
    async drop() {
      await database.close();
    },
  };
}

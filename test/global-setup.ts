import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PgBoss, fromPglite } from 'pg-boss';
import type { TestProject } from 'vitest/node';
import { migrateDatabase, openDatabase, PGLITE_OPTIONS, wrapPglite } from '../server/src/platform/db';
import { ensureWorkspace } from '../server/src/workspace/bootstrap';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | null;
    pgliteDump: string | null;
    runId: string;
  }
}

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/**
 * Migrates once, then every test file starts from a copy: a database created from a
 * template on PostgreSQL, or a PGlite loaded from a dump (3 s of initdb saved per file).
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    // Names carry this run's id: several runs may share one server (developers, CI).
    const runId = `${process.pid}_${Date.now().toString(36)}`;
    const template = `relais_tpl_${runId}`;
    const admin = new pg.Client({ connectionString: adminUrl(url) });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    const u = new URL(url);
    u.pathname = `/${template}`;
    const database = await openDatabase({ url: u.toString() });
    await migrateDatabase(database);
    await ensureWorkspace(database.db);
    const boss = new PgBoss({ connectionString: u.toString(), schedule: false, supervise: false });
    await boss.start();
    await boss.stop({ close: true, graceful: false });
    await database.close();
    project.provide('pgTemplate', template);
    project.provide('pgliteDump', null);
    project.provide('runId', runId);
    return async () => {
      const dbs = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [`relais_t_${runId}_%`, template]);
      for (const { datname } of dbs.rows) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
      await admin.end();
    };
  }
  const pglite = await PGlite.create(PGLITE_OPTIONS);
  const database = wrapPglite(pglite, true);
  await migrateDatabase(database);
  await ensureWorkspace(database.db);
  const boss = new PgBoss({ db: fromPglite(pglite), backend: 'pglite', schedule: false, supervise: false });
  await boss.start();
  await boss.stop({ close: false, graceful: false });
  const dump = await pglite.dumpDataDir('none');
  const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'relais-test-')), 'template.tar');
  await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('pgTemplate', null);
  project.provide('pgliteDump', file);
  project.provide('runId', String(process.pid));
  return async () => {
    await fs.rm(path.dirname(file), { recursive: true, force: true });
  };
}

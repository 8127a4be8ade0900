import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type RelaisApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { createStaff } from '../../server/src/domains/auth/staff-service';
import type { StaffRole } from '../../server/src/domains/auth/auth-context';
import { issueToken } from '../../server/src/domains/auth/tokens';
import type { Database } from '../../server/src/platform/db';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestStaff {
  id: string;
  email: string;
  token: string;
  auth: { authorization: string };
}

export interface TestEnv {
  relais: RelaisApp;
  testDb: TestDatabase;
  dataDir: string;
  staff: Record<'admin' | 'supervisor' | 'n1' | 'n2' | 'n3' | 'technician', TestStaff>;
  addStaff(role: StaffRole, level: number | null, opts?: { skills?: string[]; available?: boolean }): Promise<TestStaff>;
  /** Another app node on the same database (realtime fan-out tests). */
  startNode(): Promise<RelaisApp>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'motdepasse-de-test';
let counter = 0;

export async function startTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const testDb = await createTestDatabase();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-data-'));
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', RELAIS_DATA_DIR: dataDir, RELAIS_JOBS: 'false', ...env });
  const relais = await buildApp({ config, database: testDb.database, migrate: false });
  const nodes: RelaisApp[] = [];

  const addStaff: TestEnv['addStaff'] = async (role, level, opts = {}) => {
    const email = `${role}${level ?? ''}-${++counter}-${process.pid}@test.example`;
    const s = await createStaff(relais.ctx.db, { email, name: `${role} ${level ?? ''} ${counter}`.trim(), role, level, skills: opts.skills ?? [], password: TEST_PASSWORD });
    if (opts.available === false) {
      const { updateStaff } = await import('../../server/src/domains/auth/staff-service');
      await updateStaff(relais.ctx.db, s.id, { available: false });
    }
    const { token } = await issueToken(relais.ctx.db, s.id, 1);
    return { id: s.id, email, token, auth: { authorization: `Bearer ${token}` } };
  };

  const staff = {
    admin: await addStaff('admin', null),
    supervisor: await addStaff('supervisor', null),
    n1: await addStaff('agent', 1),
    n2: await addStaff('agent', 2),
    n3: await addStaff('agent', 3),
    technician: await addStaff('technician', 2),
  };

  return {
    relais,
    testDb,
    dataDir,
    staff,
    addStaff,
    async startNode() {
      const database: Database = await testDb.openAnother();
      const node = await buildApp({ config, database, migrate: false });
      nodes.push(node);
      return node;
    },
    async close() {
      for (const n of nodes) await n.close();
      await relais.close();
      await testDb.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

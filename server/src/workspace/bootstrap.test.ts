import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { loadConfig } from '../config';
import { staff } from '../domains/auth/auth.schema';
import { verifyPassword } from '../domains/auth/passwords';
import { queues } from '../domains/queues/queue.schema';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';
import { ensureFirstAdmin, ensureWorkspace } from './bootstrap';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => testDb?.drop());

describe('production start on an empty database', () => {
  it('creates the first admin from the environment once, and only once', async () => {
    const db = testDb.database.db;
    expect(await ensureFirstAdmin(db, loadConfig({}))).toBe('missing');
    const config = loadConfig({ RELAIS_ADMIN_EMAIL: 'chef@numi.example', RELAIS_ADMIN_PASSWORD: 'un-mot-de-passe-long' });
    expect(await ensureFirstAdmin(db, config)).toBe('created');
    const [admin] = await db.select().from(staff).where(eq(staff.email, 'chef@numi.example'));
    expect(admin!.role).toBe('admin');
    expect(admin!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(admin!.passwordHash, 'un-mot-de-passe-long')).toBe(true);
    expect(await ensureFirstAdmin(db, loadConfig({ RELAIS_ADMIN_EMAIL: 'autre@numi.example', RELAIS_ADMIN_PASSWORD: 'un-autre-mot-de-passe' }))).toBe('exists');
    const [{ n }] = (await db.select({ n: count() }).from(staff)) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('gives the workspace its queues (phone keys 1-4 and the cyber queue) without touching an existing one', async () => {
    const db = testDb.database.db;
    const before = await db.select().from(queues);
    expect(before.map((q) => q.slug).sort()).toEqual(['accueil', 'administratif', 'cloud', 'commercial', 'logiciels', 'urgences-cyber']);
    await db.update(queues).set({ name: 'Support logiciel' }).where(eq(queues.slug, 'logiciels'));
    await ensureWorkspace(db);
    const after = await db.select().from(queues);
    expect(after).toHaveLength(before.length);
    expect(after.find((q) => q.slug === 'logiciels')!.name).toBe('Support logiciel');
  });
});

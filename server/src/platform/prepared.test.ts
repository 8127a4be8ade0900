import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';
import type { Executor } from './db';
import { preparedStatement, runPrepared } from './prepared';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});

const insertContact = (name: string) => sql`insert into contacts (name) values (${name}) returning id, name`;
const count = async (name: string) => Number((await testDb.database.db.execute<{ n: number }>(sql`select count(*)::int as n from contacts where name = ${name}`)).rows[0]!.n);

describe('runPrepared', () => {
  it('prepares a statement once per connection and runs it', async () => {
    const { database } = testDb;
    const a = await runPrepared<{ name: string }>(database, database.db, 'relais_test_prepared', insertContact('Prêt 1'));
    const b = await runPrepared<{ name: string }>(database, database.db, 'relais_test_prepared', insertContact('Prêt 2'));
    expect([a.rows[0]!.name, b.rows[0]!.name]).toEqual(['Prêt 1', 'Prêt 2']);
  });

  it('runs in the caller’s transaction, prepared on its connection, and rolls back with it', async () => {
    const { database } = testDb;
    await expect(
      database.db.transaction(async (tx) => {
        const r = await runPrepared<{ name: string }>(database, tx, 'relais_test_in_tx', insertContact('Dans la transaction'));
        expect(r.rows[0]!.name).toBe('Dans la transaction');
        // Seen inside the transaction, and prepared on the connection the transaction runs on.
        expect((await tx.execute<{ n: number }>(sql`select count(*)::int as n from contacts where name = 'Dans la transaction'`)).rows[0]!.n).toBe(1);
        const prepared = await tx.execute<{ name: string }>(sql`select name from pg_prepared_statements where name like 'relais_test_in_tx_%'`);
        expect(prepared.rows).toHaveLength(1);
        throw new Error('annulé');
      }),
    ).rejects.toThrow('annulé');
    expect(await count('Dans la transaction')).toBe(0);
    // The statement outlives the rollback: the next transaction reuses it.
    await database.db.transaction(async (tx) => {
      await runPrepared(database, tx, 'relais_test_in_tx', insertContact('Seconde transaction'));
    });
    expect(await count('Seconde transaction')).toBe(1);
  });
});

describe('preparedStatement', () => {
  const insertNamed = preparedStatement<{ name: string; notes: string }, { name: string; notes: string }>('relais_test_statement', () =>
    sql`insert into contacts (name, notes) values (${sql.placeholder('name')}, ${sql.placeholder('notes')}) returning name, notes`,
  );

  it('is written once and runs with each call’s values, by name', async () => {
    const { database } = testDb;
    const a = await insertNamed(database, database.db, { name: 'Nommé 1', notes: "l'un" });
    const b = await insertNamed(database, database.db, { name: 'Nommé 2', notes: 'l’autre' });
    expect([a.rows[0], b.rows[0]]).toEqual([{ name: 'Nommé 1', notes: "l'un" }, { name: 'Nommé 2', notes: 'l’autre' }]);
    await expect(insertNamed(database, database.db, { name: 'Sans notes' } as never)).rejects.toThrow('notes');
  });

  it('runs in a caller’s transaction, and unprepared with the same values when its connection cannot be found', async () => {
    const { database } = testDb;
    await database.db.transaction(async (tx) => {
      await insertNamed(database, tx, { name: 'Nommé en transaction', notes: '' });
    });
    // An executor that is neither the database's handle nor a drizzle transaction.
    const bare = { execute: (q: Parameters<Executor['execute']>[0]) => database.db.execute(q) } as unknown as Executor;
    const r = await insertNamed(database, bare, { name: 'Nommé sans connexion', notes: "O'Brien \\ $1" });
    expect(r.rows[0]).toEqual({ name: 'Nommé sans connexion', notes: "O'Brien \\ $1" });
    expect(await count('Nommé en transaction')).toBe(1);
    expect(await count('Nommé sans connexion')).toBe(1);
  });

  it('is prepared once when the first calls arrive together (PGlite: one PREPARE, not one each)', async () => {
    const { database } = testDb;
    const together = preparedStatement<{ name: string }, { name: string }>('relais_test_together', () => sql`insert into contacts (name) values (${sql.placeholder('name')}) returning name`);
    const names = Array.from({ length: 6 }, (_, i) => `Ensemble ${i}`);
    const rows = await Promise.all(names.map((name) => together(database, database.db, { name })));
    expect(rows.map((r) => r.rows[0]!.name)).toEqual(names);
  });
});

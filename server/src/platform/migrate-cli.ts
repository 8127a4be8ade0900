import { loadConfig } from '../config';
import { ensureWorkspace } from '../workspace/bootstrap';
import { migrateDatabase, openDatabase } from './db';

const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrateDatabase(database);
  await ensureWorkspace(database.db);
  console.log(`Migrations appliquées (${database.kind}).`);
} finally {
  await database.close();
}

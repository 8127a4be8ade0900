import type { Config } from '../config';
import type { ConfigCache } from './config-cache';
import type { Database, DB } from './db';
import type { Jobs } from './jobs';
import type { RealtimeHub } from './realtime';

/** What domain functions need from the platform; built once per app instance. */
export interface AppContext {
  config: Config;
  database: Database;
  db: DB;
  jobs: Jobs;
  realtime: RealtimeHub;
  cache: ConfigCache;
}

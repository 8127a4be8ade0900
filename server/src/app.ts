import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config';
import { authRoutes } from './domains/auth/auth-routes';
import { channelRoutes, defineChannelJobs, startChannels } from './domains/channels/channels';
import { reloadChannels } from './domains/channels/provider-settings/provider-settings';
import { principalForToken } from './domains/auth/tokens';
import { contactRoutes } from './domains/contacts/contact-routes';
import { knowledgeRoutes } from './domains/knowledge/knowledge-routes';
import { portalRoutes } from './domains/portal/portal-routes';
import { queueRoutes } from './domains/queues/queue-routes';
import { attachmentRoutes } from './domains/tickets/attachment-routes';
import { callRoutes } from './domains/tickets/call-routes';
import { CYBER_ALERT_JOB, checkCyberEmergencyTaken } from './domains/tickets/escalation';
import { scanSlaBreaches, SLA_SCAN_JOB } from './domains/tickets/sla-breaches';
import { ticketRoutes } from './domains/tickets/ticket-routes';
import { ConfigCache } from './platform/config-cache';
import type { AppContext } from './platform/context';
import { migrateDatabase, openDatabase, ping, type Database } from './platform/db';
import { installAccessControl, installErrorHandler } from './platform/http';
import { Jobs } from './platform/jobs';
import { defineMaintenanceJobs } from './platform/maintenance';
import { installOpenApi } from './platform/openapi';
import { RealtimeHub } from './platform/realtime';
import { realtimeRoute } from './platform/realtime-route';
import { installWebAssets } from './platform/web-assets';
import { ensureWorkspace } from './workspace/bootstrap';

export interface BuildOptions {
  config: Config;
  /** An already open database (tests, several app nodes in one process). */
  database?: Database;
  migrate?: boolean;
}

export interface RelaisApp {
  app: FastifyInstance;
  ctx: AppContext;
  close(): Promise<void>;
}

function defineJobs(jobs: Jobs, ctx: AppContext): void {
  // Inbound processing, replies and client notifications (notify.contact) on email, WhatsApp, SMS.
  defineChannelJobs(jobs, ctx);
  jobs.define<{ ticketId: string }>({ name: CYBER_ALERT_JOB, retryLimit: 5, handler: async (d) => void (await checkCyberEmergencyTaken(ctx, d.ticketId)) });
  jobs.define({ name: SLA_SCAN_JOB, cron: '* * * * *', retryLimit: 1, handler: async () => void (await scanSlaBreaches(ctx)) });
  defineMaintenanceJobs(jobs, ctx);
}

/** Builds one app node. Several nodes may share one PostgreSQL: nothing here lives only in memory. */
export async function buildApp(opts: BuildOptions): Promise<RelaisApp> {
  const { config } = opts;
  const database = opts.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize }));
  const ownsDatabase = !opts.database;
  if (opts.migrate !== false) {
    await migrateDatabase(database);
    await ensureWorkspace(database.db);
  }
  const jobs = new Jobs();
  const realtime = new RealtimeHub();
  const cache = new ConfigCache();
  const ctx: AppContext = { config, database, db: database.db, jobs, realtime, cache };
  defineJobs(jobs, ctx);
  // Channels saved from the admin screen, before any job sends a message (a failure is logged: the environment's apply).
  await reloadChannels(ctx).catch(() => {});
  await jobs.start(database, { work: config.jobsEnabled });
  await realtime.start(database);
  await cache.start(database);

  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    // A number of hops, as Fastify reads it, through its function form (its types omit the number).
    trustProxy: typeof config.trustProxy === 'number' ? (_address: string, hop: number) => hop < (config.trustProxy as number) : config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  });
  installErrorHandler(app);
  installAccessControl(app, (token) => cache.get(`token:${token}`, () => principalForToken(ctx.db, token)));
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: config.maxAttachmentBytes, files: 10, fields: 20 } });
  // Consoles only send small presence messages: a large frame is refused before it is buffered.
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  await installOpenApi(app, config.publicUrl);

  app.get('/health', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    const dbOk = await ping(database);
    return reply.status(dbOk ? 200 : 503).send({ status: dbOk ? 'ok' : 'degraded', database: database.kind, db: dbOk });
  });
  authRoutes(app, ctx);
  contactRoutes(app, ctx);
  queueRoutes(app, ctx);
  ticketRoutes(app, ctx);
  attachmentRoutes(app, ctx);
  callRoutes(app, ctx);
  portalRoutes(app, ctx);
  await channelRoutes(app, ctx);
  knowledgeRoutes(app, ctx);
  realtimeRoute(app, ctx);
  await installWebAssets(app);
  await app.ready();
  const channels = await startChannels(ctx);

  return {
    app,
    ctx,
    async close() {
      await app.close();
      await channels.stop();
      await realtime.stop();
      await cache.stop();
      await jobs.stop();
      if (ownsDatabase) await database.close();
    },
  };
}

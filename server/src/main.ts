import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { DEMO_PORTAL_CLIENT, DEMO_STAFF, demoPortalLink, seedDemo } from './workspace/demo';
import { ensureFirstAdmin } from './workspace/bootstrap';

async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  let config: Config;
  try {
    // The demo shows the portal's every channel: fictional numbers unless real ones are given.
    const env = demo ? { RELAIS_HOTLINE_PHONE: '01 99 00 12 34', RELAIS_HOTLINE_WHATSAPP: '+33 6 39 98 12 34', ...process.env } : process.env;
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const relais = await buildApp({ config });
  const { app, ctx } = relais;

  if (demo) {
    const result = await seedDemo(ctx, config.demoPassword);
    console.log(result === 'seeded' ? '\nEspace de démonstration numi créé.' : '\nEspace de démonstration numi déjà présent.');
    console.log(`Comptes de démonstration (mot de passe : ${config.demoPassword}) :`);
    for (const s of DEMO_STAFF) console.log(`  ${s.email.padEnd(28)} ${s.label}`);
    const link = await demoPortalLink(ctx);
    if (link) console.log(`Portail, « Mes demandes » de ${DEMO_PORTAL_CLIENT.name} (lien valable une fois) :\n  ${link}`);
  } else {
    const admin = await ensureFirstAdmin(ctx.db, config);
    if (admin === 'created') console.log(`Premier administrateur créé : ${config.adminEmail}`);
    if (admin === 'missing') console.warn('Base vide et aucun administrateur : définissez RELAIS_ADMIN_EMAIL et RELAIS_ADMIN_PASSWORD puis redémarrez.');
  }

  const address = await app.listen({ port: config.port, host: config.host });
  console.log(`\nRelais écoute sur ${address} (base : ${ctx.database.kind === 'pglite' ? `PGlite dans ${config.dataDir}` : 'PostgreSQL'})`);
  console.log(`Documentation de l’API : ${address}/api/docs`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'arrêt');
    await relais.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

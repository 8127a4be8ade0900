import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** The single-page app's front doors: everything else under them is routed in the browser. */
const SPA_PREFIXES = ['/', '/console', '/admin', '/demande', '/mes-demandes', '/urgence', '/aide', '/se-proteger', '/accessibilite', '/rappel', '/avis'];

/**
 * Serves the built web app (`npm run build`) from the same server: hashed assets with a
 * long cache, and index.html for the app's routes. Without a build, the API runs alone.
 */
export async function installWebAssets(app: FastifyInstance): Promise<boolean> {
  const index = path.join(WEB_DIST, 'index.html');
  if (!fs.existsSync(index)) return false;
  await app.register(fastifyStatic, { root: WEB_DIST, serve: false });
  app.get('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path.join('assets', rel));
  });
  for (const file of ['favicon.svg', 'robots.txt']) {
    if (fs.existsSync(path.join(WEB_DIST, file))) app.get(`/${file}`, { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => reply.sendFile(file));
  }
  const sendIndex = (_req: unknown, reply: { header: (k: string, v: string) => { sendFile: (f: string) => unknown } }) => reply.header('cache-control', 'no-cache').sendFile('index.html');
  for (const prefix of SPA_PREFIXES) {
    app.get(prefix, { config: { access: 'public' }, schema: { hide: true } }, sendIndex as never);
    if (prefix !== '/') app.get(`${prefix}/*`, { config: { access: 'public' }, schema: { hide: true } }, sendIndex as never);
  }
  return true;
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import postcssPresetMantine from 'postcss-preset-mantine';
import postcssSimpleVars from 'postcss-simple-vars';
import { defineConfig } from 'vite';

const repo = path.dirname(fileURLToPath(import.meta.url));
// The API server for `npm run dev:web` (start it with `npm run demo`).
const api = process.env.RELAIS_API ?? 'http://127.0.0.1:3000';

/**
 * One single-page app for the three areas (portal at /, console at /console, admin at /admin).
 * The portal is the entry chunk; the console and the admin are loaded on demand, so a client
 * on an old phone never downloads the agents' code.
 */
export default defineConfig({
  root: path.join(repo, 'web'),
  publicDir: path.join(repo, 'web/public'),
  plugins: [react()],
  css: {
    postcss: {
      plugins: [
        postcssPresetMantine(),
        postcssSimpleVars({
          variables: { 'mantine-breakpoint-xs': '36em', 'mantine-breakpoint-sm': '48em', 'mantine-breakpoint-md': '62em', 'mantine-breakpoint-lg': '75em', 'mantine-breakpoint-xl': '88em' },
        }),
      ],
    },
  },
  build: {
    outDir: path.join(repo, 'web/dist'),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    fs: { allow: [repo] },
    proxy: { '/api': { target: api, ws: true, changeOrigin: false } },
  },
});

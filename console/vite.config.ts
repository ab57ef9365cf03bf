// The console's build: served by `fleetca serve` under /console/ (base), written where tools/build.mjs says
// (--outDir into the fresh build directory; ../dist/console when run on its own). `FLEETCA_API` points
// `vite dev` / `vite preview` at a running `fleetca serve`: every path outside /console/ goes there unchanged
// (Host included, since the browser signs for the host it talks to).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.FLEETCA_API ?? 'http://127.0.0.1:8080';
const proxy = {
  '^/(?!console/)': { target: api, changeOrigin: false },
  '/console/config.json': { target: api, changeOrigin: false },
};

/** The policy `fleetca serve` sends with the console (the contract), so `vite preview` shows CSP violations too. */
const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export default defineConfig({
  root,
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
  server: { proxy },
  preview: { proxy, headers: { 'Content-Security-Policy': contentSecurityPolicy } },
});

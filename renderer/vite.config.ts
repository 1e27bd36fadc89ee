/**
 * Builds the renderer into dist/renderer. The same bundle runs inside Electron (file:// or app://)
 * and in browser mode behind the loopback bridge, so: relative base, everything bundled locally (no
 * CDN), and no inline scripts or eval, so a strict `default-src 'self'` CSP holds in both places.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
// (renderer/ may not import node:* modules, so no fileURLToPath; Node sets import.meta.dirname.)
const root = import.meta.dirname;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer' /* relative to root */,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The preload polyfill would be injected as an inline script; every target here supports
    // <link rel="modulepreload"> natively.
    modulePreload: { polyfill: false },
    // Never turn small assets into data: URLs (keeps img-src/font-src at 'self').
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2500,
  },
  server: { strictPort: false },
});

/**
 * Builds the renderer once, for both homes: the relay serves it as the web client and the desktop
 * window loads it. Relative asset paths (`base: './'`) work under both `http://relay/` and the
 * desktop's `app://parley/`.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  publicDir: 'public',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // Keep everything as files: an inline script or style would need a weaker CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: { port: 5173, strictPort: true },
});

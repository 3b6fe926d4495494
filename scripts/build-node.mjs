// Bundles the Node-side entry points with esbuild. npm dependencies stay external (installed as
// production dependencies, or packed by electron-builder), so bundles hold only Parley's own code.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const targets = {
  server: { entryPoints: { 'server/cli': 'server/cli.ts' }, format: 'esm', platform: 'node' },
  // Electron 41's main process (Node 24) loads ESM; `electron` and npm packages stay external.
  main: { entryPoints: { 'main/index': 'main/shell/index.ts' }, format: 'esm', platform: 'node', target: 'node22', external: ['electron'] },
  // A sandboxed preload is a classic script whose `require` knows only a few modules (electron,
  // events, timers, url): it must be CommonJS and self-contained, so everything but electron is bundled.
  preload: {
    entryPoints: { 'preload/index': 'main/preload/index.ts' },
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    packages: 'bundle',
    external: ['electron'],
    outExtension: { '.js': '.cjs' },
  },
};

// BUILD_OUTDIR lets tests build into a temporary folder instead of dist/.
const outdir = process.env.BUILD_OUTDIR || 'dist';
const which = process.argv.slice(2);
const selected = which.length > 0 ? which : Object.keys(targets);
for (const name of selected) {
  const spec = targets[name];
  if (!spec) throw new Error(`unknown build target ${name}`);
  rmSync(`${outdir}/${name}`, { recursive: true, force: true });
  await build({
    bundle: true,
    target: 'node20',
    packages: 'external',
    outdir,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    ...spec,
  });
  console.log(`built ${outdir}/${name}`);
}

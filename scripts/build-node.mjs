// Bundles the Node-side entry points with esbuild.
// - server (the standalone relay CLI): npm dependencies stay external; the cloud installs them with
//   `npm ci --omit=dev`, and Redis mode loads ioredis only when it is configured.
// - main (the desktop main process, with the embedded relay): npm packages are inlined, except the
//   few listed in DESKTOP_EXTERNAL. Start-up of the embedded relay is part of the app's start, and
//   resolving and loading hundreds of package files (from app.asar, in the packaged app) cost most of
//   it: bench/scenarios/startup.ts measures both ways.
// - relay: server/index.ts bundled exactly as main carries it; only the start-up benchmark builds it.
// - shell: main/shell/desktop.ts bundled like main, for the desktop test harness (test/desktop/).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';

/** Packages the desktop bundle loads from node_modules at run time, and why. */
const DESKTOP_EXTERNAL = [
  // The Electron runtime's own module.
  'electron',
  // Loaded with import() only when an update feed is configured, so it never costs start-up.
  'electron-updater',
  // The hosted session's history database: a native add-on, loaded from its package's prebuilds/
  // (unpacked from app.asar, electron-builder.yml asarUnpack).
  'classic-level',
  // Images (server/files/images.ts), loaded with import() on the first image: sharp picks its native
  // add-on and libvips from the @img/sharp-<platform> packages at run time, which a bundle cannot
  // hold (both unpacked from app.asar, electron-builder.yml asarUnpack).
  'sharp',
  // Certificate making (server/tls/certificate.ts), loaded with import() the first time a LAN session
  // is hosted without a certificate yet, or one is rotated: about 1.2 MiB of ASN.1 schemas that
  // would otherwise load at every start.
  '@peculiar/x509',
  'reflect-metadata',
  // Optional native add-ons of ws; ws falls back to JavaScript without them.
  'bufferutil',
  'utf-8-validate',
];

/**
 * socket.io serves the classic client's script (/socket.io/socket.io.js) from `../client-dist`
 * relative to its own code's __dirname, which an ESM bundle does not have. Inlined, its code is
 * handed a __dirname pointing back at the installed package: the client files are still read from
 * there (the package is a production dependency, so it ships in app.asar), only its code is not.
 * Loading socket.io's ~40 CommonJS files one by one cost about a fifth of the relay's start-up.
 */
const socketIoClientFiles = {
  name: 'socket.io-client-files',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]socket\.io[\\/]dist[\\/]index\.js$/ }, async (args) => ({
      contents: `var __dirname = require("node:path").dirname(require.resolve("socket.io"));\n${await readFile(args.path, 'utf8')}`,
      loader: 'js',
    }));
  },
};

/**
 * Files in Azure Blob Storage are for cloud relays only: the desktop bundle gets a stand-in that
 * refuses (server/files/no-azure.ts), so it imports no Azure package and the installers ship none
 * (electron-builder.yml leaves them out).
 */
const noAzure = {
  name: 'no-azure',
  setup(b) {
    b.onResolve({ filter: /^\.\/azure-storage$/ }, (args) =>
      /[\\/]server[\\/]files[\\/]backend\.ts$/.test(args.importer) ? { path: `${args.resolveDir}/no-azure.ts` } : undefined,
    );
  },
};

const desktopBundle = {
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'bundle',
  external: DESKTOP_EXTERNAL,
  plugins: [socketIoClientFiles, noAzure],
  // ESM output has no `require`; inlined CommonJS packages call it for Node built-ins.
  banner: { js: "import { createRequire as __parleyCreateRequire } from 'node:module'; const require = __parleyCreateRequire(import.meta.url);" },
};

const targets = {
  server: { entryPoints: { 'server/cli': 'server/cli.ts' }, format: 'esm', platform: 'node', packages: 'external' },
  // Electron 41's main process (Node 24) loads ESM.
  main: { entryPoints: { 'main/index': 'main/shell/index.ts' }, ...desktopBundle },
  relay: { entryPoints: { 'relay/index': 'server/index.ts' }, ...desktopBundle },
  // The main process without index.ts (the one file that imports Electron): the desktop test
  // harness starts it with stand-ins for Electron's objects. Bundled like main, never packaged.
  shell: { entryPoints: { 'shell/desktop': 'main/shell/desktop.ts' }, ...desktopBundle },
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
const selected = which.length > 0 ? which : ['server', 'main', 'preload'];
for (const name of selected) {
  const spec = targets[name];
  if (!spec) throw new Error(`unknown build target ${name}`);
  rmSync(`${outdir}/${name}`, { recursive: true, force: true });
  await build({
    bundle: true,
    target: 'node20',
    outdir,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    ...spec,
  });
  console.log(`built ${outdir}/${name}`);
}

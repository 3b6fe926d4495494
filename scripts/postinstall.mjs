// Fetches the Electron binary when the network allows it, and never fails the install when it
// does not. npm skips Electron's own postinstall (package.json "allowScripts": { "electron": false })
// because on an offline machine it would fail `npm ci`; on a developer machine with internet this
// script runs the same download, so `npm run dev` works there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let installer;
try {
  installer = require.resolve('electron/install.js');
} catch {
  process.exit(0); // production install (`npm ci --omit=dev`): no Electron at all
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('[parley] ELECTRON_SKIP_BINARY_DOWNLOAD set: not fetching the Electron binary.');
  process.exit(0);
}
const dir = installer.replace(/install\.js$/, '');
if (existsSync(`${dir}path.txt`)) process.exit(0);
const res = spawnSync(process.execPath, [installer], { stdio: 'pipe', timeout: 120_000, encoding: 'utf8' });
if (res.status !== 0) {
  console.warn('[parley] Electron binary not downloaded (offline?). The relay, web client and tests work without it;');
  console.warn('[parley] desktop end-to-end tests will report themselves skipped. Set ELECTRON_PATH to use a local binary.');
}
process.exit(0);

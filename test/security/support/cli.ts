/** The built standalone relay (`dist/server/cli.js`), which RelayProcess runs. `npm test` builds it first. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CLI = 'dist/server/cli.js';

/** Builds the CLI when this file runs alone and it was never built (as test/server/cli.test.ts does). */
export function ensureCli(): void {
  if (existsSync(CLI)) return;
  const res = spawnSync(process.execPath, ['scripts/build-node.mjs', 'server'], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error('could not build the relay CLI');
}

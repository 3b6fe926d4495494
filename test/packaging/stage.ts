/**
 * The staging project the installer builds run in (see installers.test.ts), the tools this machine
 * has for them, and electron-builder run offline on it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { at, has, run } from './project';

export const tools = { sevenZip: existsSync('/usr/bin/7za'), deb: has('fakeroot', ['-v']) && has('dpkg-deb'), noNet: spawnSync('unshare', ['-n', 'true']).status === 0 };
export const electronVersion = (JSON.parse(readFileSync(at('node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
export const realElectronDist = process.env.ELECTRON_DIST || (existsSync(at('node_modules/electron/dist/electron')) ? at('node_modules/electron/dist') : '');

// One staging project for both platform runs: config and metadata copied, node_modules hard-linked,
// dist/ built into it (the repository's dist/ and release/ stay untouched).
export const stage = mkdtempSync(join(tmpdir(), 'parley-installers-'));
export const timings: string[] = [];
export const lap = (what: string, since: number) => timings.push(`${what} ${((Date.now() - since) / 1000).toFixed(1)} s`);
let staged = false;

export function prepareStage(): void {
  if (staged) return;
  for (const f of ['package.json', 'package-lock.json', 'electron-builder.yml']) copyFileSync(at(f), join(stage, f));
  cpSync(at('build'), join(stage, 'build'), { recursive: true });
  // A real node_modules folder, not a symlink: `npm list` (electron-builder's dependency collector)
  // resolves a linked node_modules to paths outside the project and then drops nested production
  // dependencies. Hard links make the copy instant; a plain copy is the fallback across filesystems.
  if (spawnSync('cp', ['-al', at('node_modules'), join(stage, 'node_modules')]).status !== 0) {
    rmSync(join(stage, 'node_modules'), { recursive: true, force: true });
    cpSync(at('node_modules'), join(stage, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  }
  const t = Date.now();
  run(process.execPath, ['scripts/build-node.mjs', 'main', 'preload'], { env: { ...process.env, BUILD_OUTDIR: join(stage, 'dist') } });
  run(process.execPath, [at('node_modules/vite/bin/vite.js'), 'build', '--outDir', join(stage, 'dist', 'renderer'), '--emptyOutDir', '--logLevel', 'warn']);
  lap('build:desktop', t);
  staged = true;
}

export function builderEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CSC_IDENTITY_AUTO_DISCOVERY: 'false',
    ELECTRON_BUILDER_OFFLINE: 'true',
    ELECTRON_BUILDER_CACHE: join(stage, 'cache'),
    ELECTRON_BUILDER_7ZIP_PATH: '/usr/bin/7za',
    npm_config_update_notifier: 'false',
  };
  for (const k of ['GH_TOKEN', 'GITHUB_TOKEN', 'CSC_LINK', 'CSC_KEY_PASSWORD', 'WIN_CSC_LINK', 'APPLE_ID', 'APPLE_API_KEY', 'APPLE_APP_SPECIFIC_PASSWORD']) delete env[k];
  return env;
}

/** electron-builder's CLI on the staging project, without network when the kernel lets us. */
export function electronBuilder(args: string[], env: NodeJS.ProcessEnv): void {
  const cli = [at('node_modules/electron-builder/cli.js'), '--projectDir', stage, ...args, '--publish', 'never', `-c.electronVersion=${electronVersion}`];
  const res = tools.noNet ? run('unshare', ['-n', process.execPath, ...cli], { cwd: stage, env, timeout: 180_000 }) : run(process.execPath, cli, { cwd: stage, env, timeout: 180_000 });
  expect(res.stdout + res.stderr).not.toMatch(/downloading/i);
}

/**
 * Start-up time of the embedded relay (target ≤ 150 ms), in fresh child processes, three ways:
 * - desktop: server/index.ts bundled exactly as the desktop main bundle carries it (the `relay`
 *   target of scripts/build-node.mjs: every npm package inlined), run by plain node: the
 *   figure the target is about;
 * - external: the same code bundled with every npm package left external, as the standalone CLI is
 *   built, to show what resolving and loading hundreds of package files costs;
 * - tsx: the TypeScript source, as in development and tests (includes tsx's transform, cached);
 * and, as the baseline run on the same machine in the same run, the classic chat
 * (bench/baselines/classic-app.ts: express + socket.io) bundled with its packages external, as every
 * benchmark server is: import + listening.
 * The median of `runs` is reported: the first run also pays for cold disk caches.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { track } from '../lib/children';
import { withTimeout } from '../lib/time';
import { median } from '../report/runs';
import type { ScenarioContext } from './context';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = fileURLToPath(new URL('../startup/probe.ts', import.meta.url));
const CLASSIC = fileURLToPath(new URL('../baselines/classic-app.ts', import.meta.url));

interface ProbeResult {
  importMs: number;
  createMs: number;
  totalMs: number;
}

export interface StartupFigures {
  desktopMs: number;
  desktopCreateMs: number;
  externalMs: number;
  tsxMs: number;
  classicMs: number;
}

export async function runStartup(ctx: ScenarioContext, runs: number): Promise<StartupFigures> {
  // Under node_modules (ignored by lint and git) so the bundles' external imports resolve from the
  // project's node_modules, as they do from app.asar's in the packaged app.
  const out = join(ROOT, 'node_modules', '.cache', 'parley-bench', `startup-${process.pid}`);
  mkdirSync(out, { recursive: true });
  const desktop: ProbeResult[] = [];
  const external: ProbeResult[] = [];
  const tsx: ProbeResult[] = [];
  const classic: ProbeResult[] = [];
  try {
    const built = spawnSync(process.execPath, ['scripts/build-node.mjs', 'relay'], { cwd: ROOT, env: { ...process.env, BUILD_OUTDIR: out }, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building the desktop relay bundle failed: ${built.stderr}`);
    const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', packages: 'external' } as const;
    await build({ ...common, entryPoints: [`${ROOT}server/index.ts`], outfile: join(out, 'relay-external.mjs') });
    await build({ ...common, entryPoints: [PROBE], outfile: join(out, 'probe.mjs') });
    await build({ ...common, entryPoints: [CLASSIC], outfile: join(out, 'classic.mjs') });
    for (let i = 0; i < runs; i++) {
      desktop.push(await probe([join(out, 'probe.mjs'), join(out, 'relay', 'index.js')]));
      external.push(await probe([join(out, 'probe.mjs'), join(out, 'relay-external.mjs')]));
      tsx.push(await probe(['--import', 'tsx', PROBE, `${ROOT}server/index.ts`]));
      classic.push(await probe([join(out, 'probe.mjs'), join(out, 'classic.mjs'), 'startClassicChat']));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const list = (rs: ProbeResult[]): string => rs.map((r) => r.totalMs.toFixed(0)).join(' ');
  ctx.log(`startup runs (ms): desktop bundle ${list(desktop)}; packages external ${list(external)}; tsx ${list(tsx)}; classic chat ${list(classic)}`);
  return {
    desktopMs: median(desktop.map((r) => r.totalMs)),
    desktopCreateMs: median(desktop.map((r) => r.createMs)),
    externalMs: median(external.map((r) => r.totalMs)),
    tsxMs: median(tsx.map((r) => r.totalMs)),
    classicMs: median(classic.map((r) => r.totalMs)),
  };
}

function probe(args: string[]): Promise<ProbeResult> {
  const child = track(spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }));
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const done = new Promise<ProbeResult>((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) return reject(new Error(`start-up probe failed (exit ${code}): ${out}`));
      resolve(JSON.parse(line) as ProbeResult);
    });
  });
  return withTimeout(done, 30_000, 'start-up probe').catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
}

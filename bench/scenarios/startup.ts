/**
 * Start-up time of the embedded relay (target ≤ 150 ms), in fresh child processes, three ways:
 * - tsx: the TypeScript source, as in development and tests (includes tsx's transform, cached);
 * - bundle: server/index.ts bundled by esbuild with npm packages external, as the desktop app ships it
 *   (like scripts/build-node.mjs does for the CLI), run by plain node;
 * - full bundle: the same with the npm packages bundled in too, to show what loading hundreds of
 *   package files costs (an option for the desktop build, not what ships today).
 * The median of `runs` is reported: the first run also pays for cold disk caches.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { track } from '../lib/children';
import { withTimeout } from '../lib/time';
import type { ScenarioContext } from './context';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = fileURLToPath(new URL('../startup/probe.ts', import.meta.url));

/**
 * npm packages stay external, as in the shipped build, but as absolute file URLs: the bundle lives
 * in a temporary folder (nothing generated lands in the repository, where lint would read it), from
 * which bare imports would not find the project's node_modules.
 */
const externalPackages: Plugin = {
  name: 'external-packages-by-url',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { path: args.path, external: true };
      return { path: import.meta.resolve(args.path), external: true };
    });
  },
};

interface ProbeResult {
  importMs: number;
  createMs: number;
  totalMs: number;
}

export interface StartupFigures {
  tsxMs: number;
  bundledMs: number;
  bundledCreateMs: number;
  fullBundleMs: number;
}

/**
 * ESM output has no `require`; bundled CommonJS packages call it for Node built-ins. Optional native
 * add-ons of ws stay out (ws falls back to JavaScript without them, as it does when they are absent).
 */
const FULL_BUNDLE: BuildOptions = {
  banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
  external: ['bufferutil', 'utf-8-validate'],
};

export async function runStartup(ctx: ScenarioContext, runs: number): Promise<StartupFigures> {
  const out = mkdtempSync(join(tmpdir(), 'parley-bench-startup-'));
  const tsx: ProbeResult[] = [];
  const bundled: ProbeResult[] = [];
  const full: ProbeResult[] = [];
  try {
    const common: BuildOptions = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', plugins: [externalPackages] };
    await build({ ...common, entryPoints: [`${ROOT}server/index.ts`], outfile: join(out, 'relay.mjs') });
    await build({ bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error', ...FULL_BUNDLE, entryPoints: [`${ROOT}server/index.ts`], outfile: join(out, 'relay-full.mjs') });
    await build({ ...common, entryPoints: [PROBE], outfile: join(out, 'probe.mjs') });
    for (let i = 0; i < runs; i++) {
      tsx.push(await probe(['--import', 'tsx', PROBE, `${ROOT}server/index.ts`]));
      bundled.push(await probe([join(out, 'probe.mjs'), join(out, 'relay.mjs')]));
      full.push(await probe([join(out, 'probe.mjs'), join(out, 'relay-full.mjs')]));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const list = (rs: ProbeResult[]): string => rs.map((r) => r.totalMs.toFixed(0)).join(' ');
  ctx.log(`startup runs (ms): tsx ${list(tsx)}; bundle ${list(bundled)}; full bundle ${list(full)}`);
  return {
    tsxMs: median(tsx.map((r) => r.totalMs)),
    bundledMs: median(bundled.map((r) => r.totalMs)),
    bundledCreateMs: median(bundled.map((r) => r.createMs)),
    fullBundleMs: median(full.map((r) => r.totalMs)),
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

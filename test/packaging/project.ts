/** The repository as the packaging tests see it: paths, electron-builder.yml, package.json, and a strict spawn. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const at = (...p: string[]) => join(ROOT, ...p);
export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export type Dict = Record<string, unknown>;
export const config = parse(readFileSync(at('electron-builder.yml'), 'utf8')) as Dict;
export const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8')) as {
  version: string;
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  desktopName?: string;
};
export const section = (key: string) => (config[key] ?? {}) as Dict;
export const targetsOf = (platform: string) =>
  ((section(platform).target ?? []) as ({ target: string; arch?: string[] } | string)[]).map((t) => (typeof t === 'string' ? { target: t, arch: [] } : t));

export function has(cmd: string, args: string[] = ['--version']): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): SpawnSyncReturns<string> {
  const res = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeout ?? 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
  return res;
}

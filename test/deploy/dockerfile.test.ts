/**
 * The Dockerfile, read line by line (no Docker engine here, so the image is never built in this
 * suite): multi-stage, production dependencies only at run time, non-root, a HEALTHCHECK that works
 * without curl (its command is run for real against a relay), and a build context that holds every
 * file the build reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { envOf, execForm, parseDockerfile, type Instruction } from './dockerfile';
import { freePort, waitForHttp } from '../helpers/net';

const docker = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
const runtime = docker.stages.at(-1)!;
const build = docker.stages[0]!;
const runs = (ins: Instruction[]) => ins.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const ignore = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

describe('Dockerfile reader', () => {
  it('joins continuations, skips comments, resolves global ARGs and parses exec form', () => {
    const d = parseDockerfile('# c\nARG V=20\nFROM node:${V}-slim AS b\nRUN a \\\n  # inner\n  && b\nENV A=1 B="two words"\nFROM b\nCMD ["x", "y"]\n');
    expect(d.stages.map((s) => [s.image, s.name])).toEqual([['node:20-slim', 'b'], ['b', undefined]]);
    expect(runs(d.stages[0]!.instructions)).toEqual(['a && b']);
    expect(envOf(d.stages[0]!)).toEqual({ A: '1', B: 'two words' });
    expect(execForm(d.stages[1]!.instructions[0]!.args)).toEqual(['x', 'y']);
    expect(() => parseDockerfile('RUN x')).toThrow(/before the first FROM/);
    expect(() => parseDockerfile('FROM a\nRUN <<EOF\nx\nEOF')).toThrow(/heredocs/);
  });
});

describe('Dockerfile', () => {
  it('is multi-stage: a build stage with dev dependencies, a runtime stage on slim Node 20', () => {
    expect(docker.stages.length).toBeGreaterThanOrEqual(2);
    expect(build.name).toBe('build');
    expect(runtime.image).toMatch(/^node:20[.\d]*-(bookworm-)?slim$/);
    expect(runs(build.instructions)).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b(?!.*--omit=dev)/), 'npm run build']));
  });

  it('installs production dependencies only in the runtime stage and builds nothing there', () => {
    const r = runs(runtime.instructions);
    expect(r.some((x) => /npm ci\b.*--omit=dev/.test(x))).toBe(true);
    expect(r.some((x) => /npm (run )?build|vite|esbuild/.test(x))).toBe(false);
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY' && i.args.startsWith('--from=build'));
    expect(copies.map((c) => c.args)).toEqual(expect.arrayContaining([expect.stringContaining('/app/dist/server'), expect.stringContaining('/app/dist/renderer')]));
  });

  it('copies scripts/ before the build stage\'s npm ci (the postinstall script lives there)', () => {
    const idx = (pred: (i: Instruction) => boolean) => build.instructions.findIndex(pred);
    const scripts = idx((i) => i.keyword === 'COPY' && /\bscripts\b/.test(i.args));
    const ci = idx((i) => i.keyword === 'RUN' && /^npm ci\b/.test(i.args));
    expect(scripts).toBeGreaterThanOrEqual(0);
    expect(scripts).toBeLessThan(ci);
    expect(envOf(build).ELECTRON_SKIP_BINARY_DOWNLOAD).toBe('1');
  });

  it('runs as a non-root user, production mode, on 0.0.0.0:3000, with the relay as PID 1', () => {
    const users = runtime.instructions.filter((i) => i.keyword === 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]!.args).not.toMatch(/^(root|0)(:|$)/);
    const env = envOf(runtime);
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '3000' });
    const expose = runtime.instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args);
    expect(expose).toEqual(['3000']);
    const cmd = runtime.instructions.filter((i) => i.keyword === 'CMD');
    expect(cmd).toHaveLength(1);
    expect(execForm(cmd[0]!.args)).toEqual(['node', 'dist/server/cli.js']); // exec form: SIGTERM reaches node
    const userLine = users[0]!.line;
    expect(runtime.instructions.filter((i) => i.line > userLine).map((i) => i.keyword)).not.toContain('RUN');
  });

  it('keeps history in a volume the unprivileged user can write (/app belongs to root)', () => {
    expect(envOf(runtime).DATA_DIR).toBe('/data');
    const volumes = runtime.instructions.filter((i) => i.keyword === 'VOLUME').map((i) => i.args);
    expect(volumes).toEqual(['/data']);
    const user = runtime.instructions.find((i) => i.keyword === 'USER')!.args.split(':')[0];
    expect(runtime.instructions.some((i) => i.keyword === 'RUN' && i.args.includes(`chown ${user}:${user} /data`))).toBe(true);
  });

  it('has a HEALTHCHECK on /healthz that needs only node', () => {
    const hc = runtime.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
    expect(hc).toHaveLength(1);
    const argv = execForm(hc[0]!.args.replace(/^(--\S+\s+)*CMD\s+/, ''))!;
    expect(argv[0]).toBe('node');
    expect(argv.join(' ')).toContain('/healthz');
    expect(argv.join(' ')).not.toMatch(/\b(curl|wget)\b/);
  });

  it('sends every file the build reads, and no installed or built files, into the build context', () => {
    for (const p of ['node_modules', 'dist', '.git']) expect(ignore).toContain(p);
    const copied = build.instructions
      .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(' ').slice(0, -1));
    for (const p of copied) {
      expect(existsSync(p), `${p} exists`).toBe(true);
      expect(ignore.some((x) => p === x || p.startsWith(`${x}/`)), `${p} is not in .dockerignore`).toBe(false);
    }
    // Every relative import of the relay and the web client stays inside the copied folders.
    const dirs = copied.filter((p) => statSync(p).isDirectory() && p !== 'scripts');
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    const sources = ['server', 'renderer'].flatMap(walk).filter((f) => /\.(ts|tsx)$/.test(f));
    expect(sources.length).toBeGreaterThan(10);
    for (const f of sources) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = normalize(join(dirname(f), m[1]!));
        expect(dirs.some((d) => !relative(d, target).startsWith('..')), `${f} imports ${m[1]} outside the build context`).toBe(true);
      }
    }
  });
});

describe('the HEALTHCHECK command against a real relay', () => {
  let relay: ChildProcess | undefined;
  let port = 0;
  const hc = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')!;
  const argv = execForm(hc.args.replace(/^(--\S+\s+)*CMD\s+/, ''))!;
  const probe = (p: number) => spawnSync(argv[0] === 'node' ? process.execPath : argv[0]!, argv.slice(1), { env: { ...process.env, PORT: String(p) }, timeout: 10_000 });

  beforeAll(async () => {
    if (!existsSync('dist/server/cli.js')) spawnSync(process.execPath, ['scripts/build-node.mjs', 'server'], { stdio: 'inherit' });
    port = await freePort();
    relay = spawn(process.execPath, ['dist/server/cli.js'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-docker-')) }, stdio: 'ignore' });
    await waitForHttp({ port });
  });
  afterAll(() => {
    relay?.kill('SIGTERM');
  });

  it('exits 0 while the relay answers 200, and 1 when nothing listens', async () => {
    expect(probe(port).status).toBe(0);
    expect(probe(await freePort()).status).toBe(1);
  });
});

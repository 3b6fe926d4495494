/**
 * The zip deploy.sh ships to App Service, made for real (npm ci --omit=dev into a staging folder,
 * from npm's cache when it has the packages) and started outside the repository, where only its own
 * node_modules can satisfy imports: the relay must come up on production dependencies alone, as on
 * App Service without an Oryx build. The Windows variant starts through server.cjs on a socket path,
 * the way iisnode hands it a named pipe. Needs zip and unzip (skipped, and said so, without them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, httpGet, waitForHttp } from '../helpers/net';

const tools = ['zip', 'unzip'].every((t) => spawnSync(t, ['-v']).status === 0);
const work = mkdtempSync(join(tmpdir(), 'parley-package-'));
const children: ChildProcess[] = [];

function pack(zip: string, extra: string[] = []): void {
  const res = spawnSync('bash', ['deploy/azure/deploy.sh', 'package', '--skip-build', '--zip', zip, ...extra], {
    encoding: 'utf8',
    env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
    timeout: 180_000,
  });
  expect(res.status, res.stderr).toBe(0);
}

function unzip(zip: string, dir: string): string[] {
  const list = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  expect(spawnSync('unzip', ['-q', zip, '-d', dir]).status).toBe(0);
  return list;
}

function start(cwd: string, entry: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [entry], { cwd, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env }, stdio: 'ignore' });
  children.push(child);
  return child;
}

describe.skipIf(!tools)('App Service package (needs zip and unzip)', () => {
  beforeAll(() => {
    if (!existsSync('dist/server/cli.js') || !existsSync('dist/renderer/index.html')) {
      expect(spawnSync('npm', ['run', 'build'], { stdio: 'inherit', timeout: 180_000 }).status).toBe(0);
    }
  }, 200_000);

  afterAll(() => {
    for (const c of children) c.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });

  it('holds dist/, package files and production dependencies only, and the relay starts from it', async () => {
    const zip = join(work, 'linux.zip');
    pack(zip);
    const dir = join(work, 'linux');
    const entries = unzip(zip, dir);
    expect(new Set(entries.map((e) => e.split('/')[0]))).toEqual(new Set(['dist', 'package.json', 'package-lock.json', 'node_modules']));
    expect(entries).toEqual(expect.arrayContaining(['dist/server/cli.js', 'dist/renderer/index.html', 'node_modules/socket.io/package.json', 'node_modules/ioredis/package.json']));
    for (const dev of ['vitest', 'vite', 'electron', 'typescript', '@playwright/test', 'esbuild']) {
      expect(entries.some((e) => e.startsWith(`node_modules/${dev}/`)), `${dev} is a dev dependency`).toBe(false);
    }

    const port = await freePort();
    start(dir, 'dist/server/cli.js', { PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', TRUST_PROXY: '1', WEBSITE_HOSTNAME: 'parley-test.azurewebsites.net' });
    const health = await waitForHttp({ port });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    const page = await httpGet({ port }, '/', { host: 'parley-test.azurewebsites.net' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBeDefined();
    expect((await httpGet({ port }, '/socket.io/socket.io.js')).status).toBe(200);
    expect((await httpGet({ port }, '/socket.io/?EIO=4&transport=polling', { host: 'parley-test.azurewebsites.net' })).status).toBe(200);
  }, 200_000);

  it('the Windows package starts through server.cjs on a pipe-like PORT, as under iisnode', async () => {
    const zip = join(work, 'windows.zip');
    pack(zip, ['--windows']);
    const dir = join(work, 'windows');
    const entries = unzip(zip, dir);
    expect(entries).toEqual(expect.arrayContaining(['web.config', 'server.cjs', 'dist/server/cli.js']));
    const socketPath = join(dir, 'iisnode-pipe.sock');
    start(dir, 'server.cjs', { PORT: socketPath });
    const health = await waitForHttp({ socketPath });
    expect(health.status).toBe(200);
  }, 200_000);
});

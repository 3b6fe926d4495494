/**
 * The standalone relay as users run it: the built `parley-server` (what `npm start` runs) in its own
 * process, configured by environment, stopped by signals.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classicClient, closeAllClients, connected, connectOutcome, next, parleyClient } from '../helpers/clients';
import { freePort, httpGet, waitForHttp } from '../helpers/net';

const CLI = 'dist/server/cli.js';

beforeAll(() => {
  // The suite's build step normally made it; build it when this file runs alone.
  if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build-node.mjs', 'server'], { stdio: 'inherit' });
});

/** Each relay of these tests keeps its history in a folder of its own (two on one DATA_DIR would refuse). */
function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'parley-cli-'));
}

function run(env: Record<string, string>, args: string[] = []): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir(), ...env } });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return { child, output: () => out };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('parley-server CLI', () => {
  it('prints help', () => {
    const res = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('--port <port|path>');
    expect(res.stdout).toContain('HISTORY_LIMIT');
  });

  it('honours PORT, HOST, LOG_LEVEL and HISTORY_LIMIT, logs JSON, and stops gracefully on SIGTERM', async () => {
    const port = await freePort();
    const { child, output } = run({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', HISTORY_LIMIT: '7' });
    try {
      const health = await waitForHttp({ port });
      expect(health.status).toBe(200);
      const line = output().split('\n').find((l) => l.includes('relay listening'));
      expect(line, output()).toBeTruthy();
      expect(JSON.parse(line!)).toMatchObject({ level: 'info', historyLimit: 7, url: `http://127.0.0.1:${port}` });

      const client = classicClient(`http://127.0.0.1:${port}`);
      await connected(client);
      const shutdown = next(client, 'server:shutdown');
      child.kill('SIGTERM');
      expect(await shutdown).toMatchObject({ reconnectAfterMs: expect.any(Number) });
      expect(await exited(child)).toBe(0);
      expect(output()).toContain('relay stopped');
      client.disconnect();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('binds loopback when HOST is not set: serving the network is a choice (HOST=0.0.0.0)', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: 'info', DATA_DIR: dataDir() };
    delete env.HOST;
    const child = spawn(process.execPath, [CLI], { env });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    try {
      await waitForHttp({ port });
      const line = out.split('\n').find((l) => l.includes('relay listening'));
      expect(JSON.parse(line!)).toMatchObject({ url: `http://127.0.0.1:${port}` });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('accepts a socket path in PORT (as iisnode passes a pipe)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'parley-cli-')), 'p.sock');
    const { child } = run({ PORT: path, LOG_LEVEL: 'warn' });
    try {
      expect((await waitForHttp({ socketPath: path })).status).toBe(200);
      child.kill('SIGINT');
      expect(await exited(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses invalid configuration with a message naming the setting, exit code 2', async () => {
    const { child, output } = run({ PORT: '3000', HISTORY_LIMIT: 'lots', LOG_LEVEL: 'loud', CONNECTIONS_PER_ADDRESS: '0', CONVERSATION_EXPIRY_S: '5', HISTORY_MAX_AGE: '3 weeks' });
    expect(await exited(child)).toBe(2);
    expect(output()).toContain('HISTORY_MAX_AGE: a duration such as 30d, 12h, 90m or 3600 (seconds)');
    expect(output()).toContain('CONVERSATION_EXPIRY_S');
    expect(output()).toContain('HISTORY_LIMIT');
    expect(output()).toContain('LOG_LEVEL');
    expect(output()).toContain('CONNECTIONS_PER_ADDRESS');
  });

  it('a DATA_DIR that cannot hold the history stops start-up, naming it; one in use by a running relay is refused and that relay keeps serving its history', async () => {
    const notAFolder = join(dataDir(), 'a-file');
    writeFileSync(notAFolder, 'not a folder');
    const broken = run({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: notAFolder, LOG_LEVEL: 'silent' });
    expect(await exited(broken.child)).toBe(1);
    expect(broken.output()).toContain(join(notAFolder, 'history'));

    const dir = dataDir();
    const port = await freePort();
    const first = run({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent' });
    try {
      await waitForHttp({ port });
      const socket = parleyClient(`http://127.0.0.1:${port}`);
      await connected(socket);
      const login = (await socket.timeout(10_000).emitWithAck('add user', { username: 'ana' })) as { ok: boolean };
      expect(login.ok).toBe(true);
      const sent = (await socket.timeout(10_000).emitWithAck('new message', { text: 'kept', clientId: 'data-dir-0001' })) as { ok: boolean };
      expect(sent.ok).toBe(true);

      const second = run({ PORT: String(await freePort()), HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent' });
      expect(await exited(second.child)).toBe(1);
      expect(second.output()).toContain('in use by another Parley relay');
      const page = (await socket.timeout(10_000).emitWithAck('history:fetch', { room: 'lobby' })) as { ok: boolean; messages: { message: string }[] };
      expect(page.ok && page.messages.map((m) => m.message)).toEqual(['kept']);
    } finally {
      closeAllClients();
      first.child.kill('SIGKILL');
    }
  });

  it('CONNECTIONS_PER_ADDRESS sets how many connections one address may hold', async () => {
    const port = await freePort();
    const { child } = run({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', TRUST_PROXY: '1', CONNECTIONS_PER_ADDRESS: '1' });
    try {
      await waitForHttp({ port });
      const headers = { extraHeaders: { 'x-forwarded-for': '203.0.113.30' } };
      expect(await connectOutcome(parleyClient(`http://127.0.0.1:${port}`, headers))).toBe('connected');
      expect(await connectOutcome(parleyClient(`http://127.0.0.1:${port}`, headers))).toBe('TOO_MANY_CONNECTIONS');
    } finally {
      closeAllClients();
      child.kill('SIGKILL');
    }
  });

  it('reports a port already in use and exits non-zero instead of hanging', async () => {
    const port = await freePort();
    const first = run({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    try {
      await waitForHttp({ port });
      const second = run({ PORT: String(port), HOST: '127.0.0.1' });
      expect(await exited(second.child)).toBe(1);
      expect(second.output()).toContain('EADDRINUSE');
      expect((await httpGet({ port }, '/healthz')).status).toBe(200);
    } finally {
      first.child.kill('SIGKILL');
    }
  });
});

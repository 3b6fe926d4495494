/** The relay's HTTP side: /healthz, the web client with its security headers, 404s, and pipes/sockets. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { httpGet } from '../../helpers/net';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

function fakeClientBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Parley</title><script type="module" src="/assets/app-1234.js"></script>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log("parley")');
  return dir;
}

describe('/healthz', () => {
  it('answers the status alone to anonymous callers: no host name, instance, connection count or backend', async () => {
    const relay = await startRelay({ instanceId: 'test-1' });
    const res = await fetch(`${relay.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    // A wrong or malformed token changes nothing.
    for (const authorization of ['Bearer wrong-token-wrong-token', 'wrong-token-wrong-token', 'Basic abc']) {
      expect(await (await fetch(`${relay.url}/healthz`, { headers: { authorization } })).json()).toEqual({ status: 'ok' });
    }
  });

  it('answers ok with instance details to the bearer of the health token, then 503 stopping during shutdown', async () => {
    const token = 'health-token-for-tests-0123';
    const relay = await startRelay({ instanceId: 'test-1', healthDetails: { token } });
    const res = await fetch(`${relay.url}/healthz`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', instance: 'test-1', backend: 'memory', protocol: 1 });
    expect(typeof body.uptimeS).toBe('number');
    expect(body.connections).toBe(0);
    const memory = body.memory as { rss: number; heapUsed: number };
    expect(memory.rss).toBeGreaterThan(memory.heapUsed);
    expect(memory.heapUsed).toBeGreaterThan(0);
    expect(await (await fetch(`${relay.url}/healthz`)).json()).toEqual({ status: 'ok' });

    const closing = relay.close();
    expect(relay.health()).toBe('stopping');
    await closing;
  });

  it('shows the details to everyone when told they are public (a private network)', async () => {
    const relay = await startRelay({ instanceId: 'test-2', healthDetails: 'public' });
    expect(await (await fetch(`${relay.url}/healthz`)).json()).toMatchObject({ status: 'ok', instance: 'test-2' });
  });
});

describe('web client', () => {
  it('serves the built client at / with a strict CSP and fingerprinted assets as immutable', async () => {
    const relay = await startRelay({ staticDir: fakeClientBuild() });
    const index = await fetch(`${relay.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Parley</title>');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await fetch(`${relay.url}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${relay.url}/missing.txt`)).status).toBe(404);
    expect((await fetch(`${relay.url}/../../etc/passwd`)).status).toBe(404);
  });

  it('answers 404 at / when no client was built, and still serves Socket.IO', async () => {
    const relay = await startRelay({ staticDir: join(tmpdir(), 'does-not-exist-parley') });
    expect((await fetch(`${relay.url}/`)).status).toBe(404);
    expect((await fetch(`${relay.url}/socket.io/?EIO=4&transport=polling`)).status).toBe(200);
  });
});

describe('PORT as a pipe or socket path', () => {
  it('listens on a Unix socket and speaks Socket.IO over it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'parley-sock-')), 'relay.sock');
    const relay = await startRelay({ port: path });
    expect(relay.url).toBe(`unix:${path}`);
    expect(relay.port).toBeUndefined();
    const health = await httpGet({ socketPath: path }, '/healthz');
    expect(health.status).toBe(200);

    // A raw Engine.IO/Socket.IO session over the socket file: open, connect, add user, get login.
    const ws = new WebSocket(`ws+unix://${path}:/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    const login = new Promise<string>((resolve, reject) => {
      ws.on('message', (data) => {
        const frame = data.toString();
        frames.push(frame);
        if (frame.startsWith('0{')) ws.send('40');
        else if (frame.startsWith('40{')) ws.send('42["add user","piper"]');
        else if (frame.startsWith('42["login"')) resolve(frame);
      });
      ws.on('error', reject);
    });
    expect(await login).toBe('42["login",{"numUsers":1}]');
    ws.close();
  });

  it('replaces a stale socket file left by a crashed process', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'parley-sock-')), 'stale.sock');
    // A process that listens on the path and is then killed with SIGKILL leaves the file behind.
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(path)).toBe(true);
    await startRelay({ port: path });
    expect((await httpGet({ socketPath: path }, '/healthz')).status).toBe(200);
  });
});

/**
 * Threat: cross-site WebSocket hijacking (and its long-polling twin). A page on another site, open in
 * the browser of someone who can reach a LAN or loopback relay, opens a Socket.IO connection to it and
 * chats as that person, or reads the room.
 *
 * Defence under test: the relay checks `Origin` at the handshake, on both transports. By default only
 * the relay's own origin (the web client it serves) and the desktop renderer (app://parley) are
 * allowed; `allowedOrigins` / ALLOWED_ORIGINS adds exact origins. Requests without Origin are native
 * clients (browsers always send it on cross-origin requests and WebSocket upgrades) and are judged by
 * the other defences (join code, rate limits).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { APP_ORIGIN } from '../../main/app-origin';
import { DESKTOP_RENDERER_ORIGIN } from '../../server/http/origin';
import { classicClient, connected, parleyClient, request } from '../helpers/clients';
import { RelayProcess } from '../helpers/cluster';
import { startRelay, useRelayCleanup } from '../helpers/relay';
import { CLI, ensureCli } from './support/cli';
import { pollingPath, rawHttp, RawSocket, UpgradeRefused } from './support/raw';

useRelayCleanup();
beforeAll(ensureCli);

type Verdict = 'accepted' | 'refused';

/** The polling handshake (GET) with this Origin (and Host, default the relay's own address). */
async function pollingVerdict(port: number, origin: string | undefined, host = `127.0.0.1:${port}`): Promise<Verdict> {
  const res = await rawHttp(port, 'GET', pollingPath(), { headers: { host, ...(origin !== undefined ? { origin } : {}) } });
  if (res.status === 200 && res.body.startsWith('0{')) return 'accepted';
  expect(res.status).toBe(403);
  expect(res.body).toMatch(/Origin not allowed|Host not allowed/);
  return 'refused';
}

/** A WebSocket upgrade (no prior polling session) with this Origin. */
async function websocketVerdict(port: number, origin: string | undefined, host?: string): Promise<Verdict> {
  try {
    const s = await RawSocket.open(port, { ...(origin !== undefined ? { origin } : {}), ...(host ? { headers: { host } } : {}) });
    s.close();
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(UpgradeRefused);
    expect((err as UpgradeRefused).status).toBe(400);
    return 'refused';
  }
}

async function verdicts(port: number, origin: string | undefined, host?: string): Promise<[Verdict, Verdict]> {
  return [await pollingVerdict(port, origin, host), await websocketVerdict(port, origin, host)];
}

describe('cross-site handshake', () => {
  it('by default a page on a foreign Origin is refused, on long-polling and on the WebSocket upgrade', async () => {
    const relay = await startRelay();
    const port = relay.port!;
    for (const origin of [
      'https://evil.example',
      `http://evil.example:${port}`,
      'null', // sandboxed iframes, file:// pages, data: URLs
      `http://127.0.0.1.evil.example:${port}`,
      `http://localhost:${port}`, // another origin than the one addressed (Host is 127.0.0.1)
      `http://127.0.0.1:${port + 1}`, // another port is another origin
      'app://parley.evil.example',
      'app://evil',
      'chrome-extension://abcdefghijklmnop',
    ]) {
      expect(await verdicts(port, origin), origin).toEqual(['refused', 'refused']);
    }
    // A refused polling handshake carries no CORS grant either, so a page could not read it anyway.
    const res = await rawHttp(port, 'GET', pollingPath(), { headers: { origin: 'https://evil.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await rawHttp(port, 'OPTIONS', pollingPath(), {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(relay.io.engine.clientsCount).toBe(0);
  });

  it('the relay’s own origin and the desktop renderer’s (app://parley, as main/ loads it) are accepted on both transports', async () => {
    const relay = await startRelay();
    const port = relay.port!;
    expect(APP_ORIGIN).toBe(DESKTOP_RENDERER_ORIGIN);
    expect(await verdicts(port, `http://127.0.0.1:${port}`)).toEqual(['accepted', 'accepted']);
    expect(await verdicts(port, `http://localhost:${port}`, `localhost:${port}`)).toEqual(['accepted', 'accepted']);
    expect(await verdicts(port, APP_ORIGIN)).toEqual(['accepted', 'accepted']);
    // The renderer gets a CORS grant for long-polling (it is cross-origin from the relay's point of view).
    const res = await rawHttp(port, 'GET', pollingPath(), { headers: { origin: APP_ORIGIN } });
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('clients that send no Origin (native apps, the desktop main process, Node) are accepted', async () => {
    const relay = await startRelay();
    expect(await verdicts(relay.port!, undefined)).toEqual(['accepted', 'accepted']);
    // socket.io-client in Node sends no Origin on either transport.
    for (const transports of [['websocket'], ['polling']] as const) {
      const s = parleyClient(relay.url, { transports: [...transports] });
      await connected(s);
      expect(await request(s, 'add user', { username: `native-${transports[0]}` })).toMatchObject({ ok: true });
    }
    const classic = classicClient(relay.url);
    await connected(classic);
  });

  it('allowedOrigins extends the list with exact origins (case and a trailing slash tolerated), and nothing more', async () => {
    const relay = await startRelay({ allowedOrigins: ['https://chat.example.com', 'http://localhost:5173/'] });
    const port = relay.port!;
    for (const origin of ['https://chat.example.com', 'HTTPS://CHAT.EXAMPLE.COM', 'http://localhost:5173', APP_ORIGIN, `http://127.0.0.1:${port}`]) {
      expect(await verdicts(port, origin), origin).toEqual(['accepted', 'accepted']);
    }
    for (const origin of ['https://chat.example.com.evil.example', 'http://chat.example.com', 'https://chat.example.com:8443', 'https://evil.chat.example.com', 'http://localhost:5174']) {
      expect(await verdicts(port, origin), origin).toEqual(['refused', 'refused']);
    }
    const res = await rawHttp(port, 'GET', pollingPath(), { headers: { origin: 'https://chat.example.com' } });
    expect(res.headers['access-control-allow-origin']).toBe('https://chat.example.com');
  });

  it('ALLOWED_ORIGINS configures the standalone relay; a malformed value stops start-up with a message naming the setting', async () => {
    const rp = await RelayProcess.start({ ALLOWED_ORIGINS: 'https://chat.example.com, https://other.example.org', LOG_LEVEL: 'warn' });
    try {
      expect(await verdicts(rp.port, 'https://chat.example.com')).toEqual(['accepted', 'accepted']);
      expect(await verdicts(rp.port, 'https://other.example.org')).toEqual(['accepted', 'accepted']);
      expect(await verdicts(rp.port, 'https://evil.example')).toEqual(['refused', 'refused']);
      expect(await verdicts(rp.port, APP_ORIGIN)).toEqual(['accepted', 'accepted']);
      expect(rp.output()).toMatch(/refused foreign origin/);
    } finally {
      await rp.kill('SIGTERM');
    }
    const bad = spawnSync(process.execPath, [CLI], { env: { ...process.env, PORT: '0', ALLOWED_ORIGINS: 'chat.example.com' }, encoding: 'utf8', timeout: 10_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/ALLOWED_ORIGINS/);
  });
});

/**
 * Threat: DNS rebinding. A web page on attacker.example makes its own name resolve to 127.0.0.1 (or a
 * LAN address) and then talks to a relay there as if it were same-origin: its requests carry
 * `Host: attacker.example:port` and `Origin: http://attacker.example:port`, so an Origin check alone
 * would see a same-origin page.
 *
 * Defence under test: a LAN or loopback relay answers only Host names it knows: IP literals,
 * `localhost` (and *.localhost), and names added with `allowedHosts` / ALLOWED_HOSTS. Everything else
 * is refused on the HTTP routes (421), the long-polling handshake and the WebSocket upgrade.
 */
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { RelayProcess } from '../helpers/cluster';
import { startRelay, useRelayCleanup } from '../helpers/relay';
import { ensureCli } from './support/cli';
import { pollingPath, rawHttp, RawSocket, UpgradeRefused } from './support/raw';

useRelayCleanup();
beforeAll(ensureCli);

interface Verdicts {
  healthz: number;
  page: number;
  polling: number;
  websocket: number;
}

/** What each entry point answers for this Host header, with the matching (same-origin) Origin a rebinding page would send. */
async function verdicts(port: number, host: string): Promise<Verdicts> {
  const origin = `http://${host}`;
  const healthz = (await rawHttp(port, 'GET', '/healthz', { headers: { host } })).status;
  const page = (await rawHttp(port, 'GET', '/', { headers: { host } })).status;
  const polling = (await rawHttp(port, 'GET', pollingPath(), { headers: { host, origin } })).status;
  let websocket: number;
  try {
    (await RawSocket.open(port, { origin, headers: { host } })).close();
    websocket = 101;
  } catch (err) {
    if (!(err instanceof UpgradeRefused)) throw err;
    websocket = err.status;
  }
  return { healthz, page, polling, websocket };
}

const REFUSED: Verdicts = { healthz: 421, page: 421, polling: 403, websocket: 400 };

describe('DNS rebinding', () => {
  it('a foreign Host is refused on every entry point: HTTP routes, the polling handshake and the WebSocket upgrade', async () => {
    const relay = await startRelay({ staticDir: 'test/fixtures/classic-client' });
    const port = relay.port!;
    for (const host of [
      `attacker.example:${port}`,
      'attacker.example',
      `127.0.0.1.attacker.example:${port}`,
      `localhost.attacker.example:${port}`,
      `localhost.:${port}`, // a trailing dot is another name to a resolver's search list
      `2130706433:${port}`, // 127.0.0.1 as a decimal number: resolvers accept it, it is not an IP literal
      `attacker.example:${port}@127.0.0.1`,
    ]) {
      expect(await verdicts(port, host), host).toEqual(REFUSED);
    }
    expect(relay.io.engine.clientsCount).toBe(0);
  });

  it('IP literals (v4 and v6), localhost and *.localhost are accepted, and a request without Host', async () => {
    const relay = await startRelay({ staticDir: 'test/fixtures/classic-client' });
    const port = relay.port!;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `192.168.1.20:${port}`, `chat.localhost:${port}`, '127.0.0.1']) {
      expect(await verdicts(port, host), host).toEqual({ healthz: 200, page: 200, polling: 200, websocket: 101 });
    }
    // HTTP/1.0-style requests without Host have nothing to rebind.
    const noHost = await new Promise<string>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1', () => sock.end('GET /healthz HTTP/1.0\r\n\r\n'));
      let data = '';
      sock.on('data', (d) => (data += d.toString()));
      sock.on('end', () => resolve(data));
      sock.on('error', reject);
    });
    expect(noHost).toMatch(/^HTTP\/1\.1 200/);
  });

  it('allowedHosts adds names (case-insensitive); other names stay refused; "any" is for relays behind a proxy with their own name', async () => {
    const relay = await startRelay({ allowedHosts: ['chat.lan', 'Parley.Example.com'] });
    const port = relay.port!;
    for (const host of [`chat.lan:${port}`, `CHAT.LAN:${port}`, `parley.example.com:${port}`]) {
      expect(await verdicts(relay.port!, host), host).toEqual({ healthz: 200, page: 404, polling: 200, websocket: 101 });
    }
    for (const host of [`evil.chat.lan:${port}`, `chat.lan.evil.example:${port}`, `attacker.example:${port}`]) {
      expect(await verdicts(port, host), host).toEqual(REFUSED);
    }
    const open = await startRelay({ allowedHosts: 'any' });
    // Any Host passes the Host check; the Origin check still applies to a foreign page (it is not same-origin here).
    expect((await rawHttp(open.port!, 'GET', '/healthz', { headers: { host: 'whatever.example' } })).status).toBe(200);
    expect((await rawHttp(open.port!, 'GET', pollingPath(), { headers: { host: `127.0.0.1:${open.port}`, origin: 'http://whatever.example' } })).status).toBe(403);
  });

  it('forwarded host headers are ignored unless the relay trusts a proxy, and then judged the same way', async () => {
    const direct = await startRelay();
    // A client cannot smuggle a name past the check (nor a trusted name over a foreign Host).
    expect((await rawHttp(direct.port!, 'GET', '/healthz', { headers: { host: `attacker.example:${direct.port}`, 'x-forwarded-host': 'localhost' } })).status).toBe(421);
    const proxied = await startRelay({ trustProxy: true, allowedHosts: ['chat.example.com'] });
    expect((await rawHttp(proxied.port!, 'GET', '/healthz', { headers: { host: '10.0.0.5:8080', 'x-forwarded-host': 'chat.example.com' } })).status).toBe(200);
    expect((await rawHttp(proxied.port!, 'GET', '/healthz', { headers: { host: '10.0.0.5:8080', 'x-forwarded-host': 'attacker.example' } })).status).toBe(421);
    expect((await rawHttp(proxied.port!, 'GET', pollingPath(), { headers: { host: '10.0.0.5:8080', 'x-forwarded-host': 'attacker.example' } })).status).toBe(403);
  });

  it('ALLOWED_HOSTS configures the standalone relay', async () => {
    const rp = await RelayProcess.start({ ALLOWED_HOSTS: 'chat.lan', LOG_LEVEL: 'warn' });
    try {
      expect(await verdicts(rp.port, `chat.lan:${rp.port}`)).toMatchObject({ healthz: 200, polling: 200, websocket: 101 });
      expect(await verdicts(rp.port, `attacker.example:${rp.port}`)).toEqual(REFUSED);
      expect(rp.output()).toMatch(/unknown host name|foreign Host/);
    } finally {
      await rp.kill('SIGTERM');
    }
  });
});

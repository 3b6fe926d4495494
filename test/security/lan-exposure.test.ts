/**
 * Threat: exposure on the local network. An embedded relay reachable from the LAN lets anyone on the
 * network (a café's Wi-Fi) read and write the chat; a short join code invites guessing, and a
 * comparison that leaks timing invites guessing it character by character.
 *
 * Defences under test: createRelay binds 127.0.0.1 unless told otherwise; LAN hosting (the desktop
 * app's host service) always sets a join code, which every client must present in its handshake
 * (classic clients, which cannot, are refused); wrong codes from one address lead to a lockout; the
 * code is compared in constant time (both sides hashed, crypto.timingSafeEqual).
 */
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { createHostService, type HostRelayOptions } from '../../main/host/host-service';
import { ErrorCode, PROTOCOL_VERSION } from '../../protocol/index';
import { newJoinCode } from '../../server/index';
import { classicClient, connected, loggedIn, newKey, parleyClient, type TestSocket } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';
import { pollingPath, rawHttp, RawPolling, RawSocket } from './support/raw';

useRelayCleanup();

const CODE = 'K7M-Q2P';

/** Resolves with the connect_error body, or 'connected'. */
function outcome(socket: TestSocket): Promise<'connected' | { code: string; retryAfterMs?: number }> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err: Error & { data?: { code: string; retryAfterMs?: number } }) => resolve(err.data ?? { code: err.message }));
  });
}

const opened: TestSocket[] = [];
/** A Parley client presenting `joinCode`, optionally from another loopback address (127.0.0.2). */
function withCode(url: string, joinCode: string | undefined, localAddress?: string, extraHeaders?: Record<string, string>): TestSocket {
  const opts: Partial<ManagerOptions & SocketOptions> & { localAddress?: string } = {
    auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: newKey(), ...(joinCode !== undefined ? { joinCode } : {}) },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(localAddress ? { localAddress } : {}),
    ...(extraHeaders ? { extraHeaders } : {}),
  };
  const s = io(url, opts) as TestSocket;
  opened.push(s);
  return s;
}

function tcpReachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect({ host, port, timeout: 2000 }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.on('error', () => resolve(false));
    sock.on('timeout', () => {
      sock.destroy();
      resolve(false);
    });
  });
}

describe('LAN exposure', () => {
  it('createRelay listens on 127.0.0.1 unless a host is given: not reachable on the machine’s other addresses', async () => {
    const { createRelay } = await import('../../server/index');
    const relay = await createRelay({ port: 0, shutdownGraceMs: 10 }); // no host option at all
    try {
      const address = relay.httpServer.address();
      expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
      expect(relay.url).toBe(`http://127.0.0.1:${relay.port}`);
      // Every non-loopback address of this machine refuses the port (the packets never leave the host).
      const others = Object.values(networkInterfaces()).flat().filter((i) => i && !i.internal && i.family === 'IPv4').map((i) => i!.address);
      for (const addr of others) expect(await tcpReachable(addr, relay.port!), addr).toBe(false);
    } finally {
      await relay.close();
    }
    // A given host is honoured (another loopback address here, to stay off the network).
    const other = await startRelay({ host: '127.0.0.2' });
    expect(other.httpServer.address()).toMatchObject({ address: '127.0.0.2' });
    expect(await tcpReachable('127.0.0.1', other.port!)).toBe(false);
  });

  it('the desktop host service binds all interfaces only with a join code, and that relay refuses clients without it', async () => {
    const requested: HostRelayOptions[] = [];
    const service = createHostService({
      // The relay is real; only the interface is pinned to loopback so the test stays off the network.
      createRelay: async (options) => {
        requested.push(options);
        return startRelay({ ...options, host: '127.0.0.1' });
      },
      newJoinCode,
      networkInterfaces: () => ({}),
      hostname: () => 'test-host',
      nickname: () => 'tester',
    });
    const lan = await service.start({ name: 'lan', lan: true });
    expect(requested[0]).toMatchObject({ host: '0.0.0.0' });
    expect(requested[0]!.joinCode).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    expect(lan.joinCode).toBe(requested[0]!.joinCode);
    const url = `http://127.0.0.1:${lan.port}`;
    expect(await outcome(withCode(url, undefined))).toMatchObject({ code: ErrorCode.JOIN_CODE_REQUIRED });
    expect(await outcome(withCode(url, lan.joinCode!))).toBe('connected');
    await service.stop();
    const local = await service.start({ name: 'solo', lan: false });
    expect(requested[1]).toMatchObject({ host: '127.0.0.1' });
    expect(requested[1]!.joinCode).toBeUndefined();
    expect(local.joinCode).toBeNull();
    await service.stop();
    for (const s of opened.splice(0)) s.disconnect();
  });

  it('with a join code, clients without it are refused: Parley clients (JOIN_CODE_REQUIRED), classic clients on both transports, raw handshakes', async () => {
    const relay = await startRelay({ joinCode: CODE });
    expect(await outcome(withCode(relay.url, undefined))).toEqual({ code: ErrorCode.JOIN_CODE_REQUIRED, message: expect.any(String) });
    expect(await outcome(withCode(relay.url, ''))).toMatchObject({ code: ErrorCode.JOIN_CODE_REQUIRED });
    // The classic client (polling first, no auth) cannot present a code.
    expect(await outcome(classicClient(relay.url))).toMatchObject({ code: ErrorCode.JOIN_CODE_REQUIRED });
    const { reply } = await RawSocket.connect(relay.port!);
    expect(reply).toMatch(/^44/);
    expect(JSON.parse(reply.slice(2))).toMatchObject({ data: { code: ErrorCode.JOIN_CODE_REQUIRED } });
    const polled = await RawPolling.connect(relay.port!);
    expect(polled.reply).toMatch(/^44.*JOIN_CODE_REQUIRED/);
    // Nothing was logged in or stored meanwhile.
    expect(relay.io.of('/').sockets.size).toBe(0);
    for (const s of opened.splice(0)) s.disconnect();
  });

  it('a wrong code is refused with JOIN_CODE_INVALID; the right code works, typed the way people type it', async () => {
    const relay = await startRelay({ joinCode: CODE, lockout: { maxFailures: 100, windowMs: 60_000, lockoutMs: 60_000 } });
    for (const wrong of ['K7M-Q2Q', 'K7MQ2', 'K7MQ2PX', 'x', 'K7M Q2P '.repeat(4)]) {
      expect(await outcome(withCode(relay.url, wrong)), wrong).toMatchObject({ code: ErrorCode.JOIN_CODE_INVALID });
    }
    for (const right of ['K7M-Q2P', 'k7mq2p', 'k7m q2p']) expect(await outcome(withCode(relay.url, right)), right).toBe('connected');
    const { socket } = await loggedIn(relay.url, 'ana', { joinCode: 'K7MQ2P' });
    expect(socket.connected).toBe(true);
    for (const s of opened.splice(0)) s.disconnect();
  });

  it('repeated failures from one address are locked out (LOCKED_OUT with retryAfterMs, even with the right code); another address is not; X-Forwarded-For cannot dodge it', async () => {
    const relay = await startRelay({ joinCode: CODE, lockout: { maxFailures: 3, windowMs: 60_000, lockoutMs: 1500 } });
    for (let i = 0; i < 3; i++) expect(await outcome(withCode(relay.url, `WRONG${i}`))).toMatchObject({ code: ErrorCode.JOIN_CODE_INVALID });
    const locked = await outcome(withCode(relay.url, 'WRONG9'));
    expect(locked).toMatchObject({ code: ErrorCode.LOCKED_OUT });
    const wait = (locked as { retryAfterMs: number }).retryAfterMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1500);
    // Locked means locked: the right code from this address is refused too, so guessing cannot continue.
    expect(await outcome(withCode(relay.url, CODE))).toMatchObject({ code: ErrorCode.LOCKED_OUT });
    // The relay does not trust proxy headers unless configured to: a forged X-Forwarded-For changes nothing.
    expect(await outcome(withCode(relay.url, CODE, undefined, { 'x-forwarded-for': '10.1.2.3' }))).toMatchObject({ code: ErrorCode.LOCKED_OUT });
    // Another address is not locked out.
    expect(await outcome(withCode(relay.url, CODE, '127.0.0.2'))).toBe('connected');
    const raw = await RawSocket.connect(relay.port!, { client: 'parley', protocol: 1, key: newKey(), joinCode: CODE }, { localAddress: '127.0.0.2' });
    expect(raw.reply).toMatch(/^40/);
    raw.socket.close();
    // After the lockout, the right code works again from the first address.
    await new Promise((r) => setTimeout(r, wait + 50));
    expect(await outcome(withCode(relay.url, CODE))).toBe('connected');
    for (const s of opened.splice(0)) s.disconnect();
  });

  it('the join code is compared in constant time: both sides are SHA-256 hashed and compared with crypto.timingSafeEqual', () => {
    const source = readFileSync('server/chat/join-code.ts', 'utf8');
    expect(source).toMatch(/import \{[^}]*\btimingSafeEqual\b[^}]*\} from 'node:crypto'/);
    expect(source).toMatch(/function hash\(value: string\): Buffer \{\s*return createHash\('sha256'\)\.update\(value\)\.digest\(\);/);
    // The stored code is kept only as its digest, and the presented one is hashed before the comparison.
    expect(source).toMatch(/this\.digest = hash\(normalizeJoinCode\(code\)\)/);
    expect(source).toMatch(/timingSafeEqual\(hash\(normalizeJoinCode\(presented\)\), this\.digest\)/);
    // No other comparison touches the codes.
    const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const againstPresented = [...code.matchAll(/presented\s*[!=]==?\s*([^\s)&|;]+)/g)].map((m) => m[1]);
    expect(againstPresented.every((rhs) => rhs === 'undefined' || rhs === "''"), `comparisons: ${againstPresented.join(', ')}`).toBe(true);
    expect(code).not.toMatch(/(===|!==|==|!=)\s*(this\.)?(code|digest)\b/);
    expect(code).not.toMatch(/\.(startsWith|endsWith|includes|localeCompare)\(/);
    // The handshake hands the code to the guard and nowhere else.
    const handshake = readFileSync('server/chat/handshake.ts', 'utf8');
    expect(handshake.match(/joinCode/g)).toHaveLength(1);
    expect(handshake).toMatch(/joinGuard\.check\(socket\.data\.ip, parsed\.data\.joinCode\)/);
  });

  it('a join code never appears in the relay’s HTTP surface', async () => {
    const relay = await startRelay({ joinCode: CODE });
    const health = await rawHttp(relay.port!, 'GET', '/healthz');
    expect(health.body).not.toMatch(/K7M/i);
    const handshake = await rawHttp(relay.port!, 'GET', pollingPath());
    expect(handshake.body).not.toMatch(/K7M/i);
    const s = parleyClient(relay.url, { joinCode: CODE });
    await connected(s);
  });
});

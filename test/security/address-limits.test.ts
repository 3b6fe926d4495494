/**
 * One address cannot take the relay's connections: it gets a bounded number of open sockets, a
 * bounded rate of new ones, and a socket that never logs in is closed after a deadline. Refusals
 * are typed `connect_error`s for that client only; other addresses connect and chat as usual.
 * (Addresses are told apart with X-Forwarded-For from a relay told to trust one proxy.)
 */
import { describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { ErrorCode, PROTOCOL_VERSION } from '../../protocol/index';
import { closeAllClients, connected, connectOutcome, loggedIn, newKey, parleyClient, until, type TestSocket } from '../helpers/clients';
import { httpGet } from '../helpers/net';
import { startRelay, useRelayCleanup } from '../helpers/relay';

useRelayCleanup();

const from = (ip: string) => ({ extraHeaders: { 'x-forwarded-for': ip } });

const outcome = connectOutcome;

describe('per-address limits', () => {
  it('caps the open sockets of one address with TOO_MANY_CONNECTIONS; a closed one frees a place; others are unaffected', async () => {
    const relay = await startRelay({ trustProxy: true, addressLimits: { connections: 4 } });
    const mine = Array.from({ length: 4 }, () => parleyClient(relay.url, from('203.0.113.7')));
    expect(await Promise.all(mine.map(outcome))).toEqual(['connected', 'connected', 'connected', 'connected']);
    expect(await outcome(parleyClient(relay.url, from('203.0.113.7')))).toBe(ErrorCode.TOO_MANY_CONNECTIONS);
    // Someone else is not affected, and chats.
    const { socket: other } = await loggedIn(relay.url, 'bystander', from('198.51.100.2'));
    expect(other.connected).toBe(true);
    mine[0]!.disconnect();
    await until(() => relay.io.engine.clientsCount === 4, 10_000, 'the closed socket to be gone');
    expect(await outcome(parleyClient(relay.url, from('203.0.113.7')))).toBe('connected');
    closeAllClients();
  });

  it('does not limit loopback: this computer, or a local proxy whose X-Forwarded-For is not trusted', async () => {
    const relay = await startRelay({ addressLimits: { connections: 2, handshakes: { capacity: 2, perSecond: 0.01 } } });
    const local = Array.from({ length: 5 }, () => parleyClient(relay.url, from('203.0.113.10')));
    expect(await Promise.all(local.map(outcome))).toEqual(Array(5).fill('connected'));
    closeAllClients();
  });

  it('limits how fast one address opens sockets (RATE_LIMITED with retryAfterMs), not others', async () => {
    const relay = await startRelay({ trustProxy: true, addressLimits: { handshakes: { capacity: 3, perSecond: 0.01 } } });
    const results: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = parleyClient(relay.url, from('203.0.113.8'));
      results.push(await outcome(s));
      s.disconnect();
    }
    expect(results).toEqual(['connected', 'connected', 'connected', ErrorCode.RATE_LIMITED]);
    const refused = parleyClient(relay.url, from('203.0.113.8'));
    const err = await new Promise<{ code?: string; retryAfterMs?: number }>((resolve) => refused.once('connect_error', (e: Error & { data?: object }) => resolve(e.data ?? {})));
    expect(err).toMatchObject({ code: ErrorCode.RATE_LIMITED, retryAfterMs: expect.any(Number) });
    expect(await outcome(parleyClient(relay.url, from('198.51.100.3')))).toBe('connected');
    closeAllClients();
  });

  it('closes a socket that does not log in before the deadline, and keeps the ones that did', async () => {
    const relay = await startRelay({ addressLimits: { loginDeadlineMs: 400 } });
    const idle = parleyClient(relay.url);
    await connected(idle);
    const { socket: active } = await loggedIn(relay.url, 'ana');
    const closed = new Promise<string>((resolve) => idle.once('disconnect', (reason) => resolve(reason)));
    expect(await closed).toBe('io server disconnect');
    expect(active.connected).toBe(true);
    closeAllClients();
  });

  it('bounds raw Engine.IO sessions of one address that never get to a Socket.IO connection', async () => {
    const relay = await startRelay({ trustProxy: true, addressLimits: { connections: 3 } });
    const statuses: number[] = [];
    // Open polling sessions and never send CONNECT: each one still holds memory until it times out.
    for (let i = 0; i < 8; i++) {
      const res = await httpGet({ port: relay.port! }, `/socket.io/?EIO=4&transport=polling&t=${i}`, { 'x-forwarded-for': '203.0.113.9' });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]); // twice the socket cap, for upgrades in flight
    expect(statuses.slice(6)).toEqual([403, 403]);
    const other = connect(relay.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { 'x-forwarded-for': '198.51.100.4' }, auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: newKey() } });
    expect(await outcome(other as TestSocket)).toBe('connected');
    other.disconnect();
  });
});

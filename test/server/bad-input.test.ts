/**
 * Bad input gets a typed error for that client only; the connection (except for over-size frames),
 * other clients and the stored history are unaffected.
 */
import { describe, expect, it } from 'vitest';
import type { ChatMessage, HistoryPage, SendOk } from '../../protocol/index';
import { ErrorCode, MAX_HTTP_BUFFER_SIZE, MESSAGE_MAX } from '../../protocol/index';
import { classicClient, connected, loggedIn, next, parleyClient, request, sleep, type TestSocket } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';
import type { Relay } from '../../server/index';

useRelayCleanup();

/** Two healthy users with one message in history, to check nothing else is disturbed. */
async function bystanders(relay: Relay) {
  const ana = await loggedIn(relay.url, 'ana');
  const bob = await loggedIn(relay.url, 'bob');
  await request(ana.socket, 'new message', { text: 'before' });
  return { ana: ana.socket, bob: bob.socket };
}

/** The bystanders still chat, and history holds only their messages. */
async function assertUnaffected(ana: TestSocket, bob: TestSocket, expected: string[] = ['before', 'after']) {
  // Bob's copy of an earlier message (the attacker's accepted one) may still be on its way: an ack
  // can overtake another client's copy. Wait for "after" itself; history below checks the rest.
  const got = new Promise<ChatMessage>((resolve) => {
    const seen = (m: ChatMessage) => {
      if (m.message !== 'after') return;
      bob.off('new message', seen);
      resolve(m);
    };
    bob.on('new message', seen);
  });
  const ack = await request<SendOk>(ana, 'new message', { text: 'after' });
  expect(ack.ok).toBe(true);
  expect(await got).toMatchObject({ message: 'after', username: 'ana' });
  const page = await request<HistoryPage>(bob, 'history:fetch', { room: 'lobby' });
  expect(page.ok && page.messages.map((m) => m.message)).toEqual(expected);
}

describe('bad input', () => {
  it('over-long message: TOO_LARGE, the connection stays open', async () => {
    const relay = await startRelay();
    const { ana, bob } = await bystanders(relay);
    const { socket: eve } = await loggedIn(relay.url, 'eve');
    const res = await request(eve, 'new message', { text: 'x'.repeat(MESSAGE_MAX + 1) });
    expect(res).toMatchObject({ ok: false, code: ErrorCode.TOO_LARGE });
    // Exactly at the limit is fine.
    expect(await request(eve, 'new message', { text: 'y'.repeat(MESSAGE_MAX) })).toMatchObject({ ok: true });
    expect(eve.connected).toBe(true);
    await assertUnaffected(ana, bob, ['before', 'y'.repeat(MESSAGE_MAX), 'after']);
  });

  it('frame over maxHttpBufferSize: only the sender is disconnected', async () => {
    const relay = await startRelay();
    const { ana, bob } = await bystanders(relay);
    const { socket: eve } = await loggedIn(relay.url, 'eve');
    const gone = new Promise<string>((resolve) => eve.once('disconnect', resolve));
    eve.emit('new message', { text: 'z'.repeat(MAX_HTTP_BUFFER_SIZE + 10) });
    expect(await gone).toMatch(/transport (close|error)/);
    await assertUnaffected(ana, bob);
  });

  it('wrong payload types: INVALID_PAYLOAD as ack or as a parley:error event', async () => {
    const relay = await startRelay();
    const { ana, bob } = await bystanders(relay);
    const { socket: eve } = await loggedIn(relay.url, 'eve');
    for (const bad of [42, null, [], { text: 5 }, { room: 'lobby' }, { text: 'x', clientId: 'no spaces allowed' }, { text: 'x', room: 7 }]) {
      expect(await request(eve, 'new message', bad), JSON.stringify(bad)).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    }
    for (const bad of [{ room: 5 }, { room: 'lobby', afterSeq: -1 }, { room: 'lobby', limit: 10_000 }, 'lobby']) {
      expect(await request(eve, 'history:fetch', bad), JSON.stringify(bad)).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    }
    const err = next(eve, 'parley:error');
    eve.emit('new message', { text: { nested: true } } as never);
    expect(await err).toMatchObject({ code: ErrorCode.INVALID_PAYLOAD, event: 'new message' });
    expect(eve.connected).toBe(true);
    await assertUnaffected(ana, bob);
  });

  it('read receipts: malformed, foreign or oversized reads are refused, and nobody else is affected', async () => {
    const relay = await startRelay();
    const { ana, bob } = await bystanders(relay);
    const { socket: eve } = await loggedIn(relay.url, 'eve');
    for (const bad of [{ room: 'lobby' }, { room: 'lobby', seq: -1 }, { room: 'lobby', seq: 1.5 }, { room: 'lobby', seq: Number.MAX_SAFE_INTEGER + 2 }, { room: 'lobby', seq: 1, kind: 'seen' }, { room: 'lobby', seq: 1, private: 'yes' }, { room: 'x'.repeat(300), seq: 1 }, 'lobby']) {
      expect(await request(eve, 'read', bad), JSON.stringify(bad)).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    }
    expect(await request(eve, 'read', { room: 'elsewhere', seq: 1 })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
    expect(await request(eve, 'receipts:list', { room: 'elsewhere' })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
    // A read far past the newest message is held at it: Eve cannot mark the bystanders' future messages as seen.
    const held = await request<{ read: number }>(eve, 'read', { room: 'lobby', seq: Number.MAX_SAFE_INTEGER });
    const page = await request<HistoryPage>(eve, 'history:fetch', { room: 'lobby' });
    expect(held.ok && page.ok && held.read).toBe(page.ok ? page.lastSeq : -1);
    await assertUnaffected(ana, bob);
  });

  it('empty or control-character messages are refused', async () => {
    const relay = await startRelay();
    const { ana, bob } = await bystanders(relay);
    const { socket: eve } = await loggedIn(relay.url, 'eve');
    expect(await request(eve, 'new message', { text: '' })).toMatchObject({ ok: false, code: ErrorCode.EMPTY_MESSAGE });
    expect(await request(eve, 'new message', { text: ' \n\t ' })).toMatchObject({ ok: false, code: ErrorCode.EMPTY_MESSAGE });
    expect(await request(eve, 'new message', { text: 'bell\u0007' })).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    await assertUnaffected(ana, bob);
  });

  it('bad nicknames: empty, whitespace, control or invisible characters, too long, wrong type', async () => {
    const relay = await startRelay();
    const { ana, bob } = await bystanders(relay);
    const eve = parleyClient(relay.url);
    await connected(eve);
    const cases: [unknown, string][] = [
      ['', ErrorCode.INVALID_NICKNAME],
      ['   ', ErrorCode.INVALID_NICKNAME],
      ['eve\u0000', ErrorCode.INVALID_NICKNAME],
      ['eve\nline', ErrorCode.INVALID_NICKNAME],
      ['e\u202Eve', ErrorCode.INVALID_NICKNAME],
      ['\u200B', ErrorCode.INVALID_NICKNAME],
      ['x'.repeat(33), ErrorCode.INVALID_NICKNAME],
      [{ username: 42 }, ErrorCode.INVALID_PAYLOAD],
      [17, ErrorCode.INVALID_PAYLOAD],
    ];
    for (const [bad, code] of cases) {
      const arg = typeof bad === 'object' ? bad : typeof bad === 'string' ? { username: bad } : bad;
      expect(await request(eve, 'add user', arg), JSON.stringify(bad)).toMatchObject({ ok: false, code });
    }
    // 32 visible characters (emoji count as one each) are fine.
    expect(await request(eve, 'add user', { username: '👩‍💻'.repeat(32) })).toMatchObject({ ok: true });
    await assertUnaffected(ana, bob);
  });

  it('events before login: NOT_LOGGED_IN, nothing stored', async () => {
    const relay = await startRelay();
    const { ana, bob } = await bystanders(relay);
    const eve = parleyClient(relay.url);
    await connected(eve);
    for (const [event, arg] of [
      ['new message', { text: 'sneaky' }],
      ['room:join', { room: 'lobby' }],
      ['history:fetch', { room: 'lobby' }],
    ] as const) {
      expect(await request(eve, event, arg), event).toMatchObject({ ok: false, code: ErrorCode.NOT_LOGGED_IN });
    }
    // A classic client (no ack) gets the error as an event.
    const classic = classicClient(relay.url);
    await connected(classic);
    const err = next(classic, 'parley:error');
    classic.emit('new message', 'sneaky classic');
    expect(await err).toMatchObject({ code: ErrorCode.NOT_LOGGED_IN, event: 'new message' });
    await assertUnaffected(ana, bob);
  });

  it('logging in twice on one connection is refused', async () => {
    const relay = await startRelay();
    const { socket } = await loggedIn(relay.url, 'ana');
    expect(await request(socket, 'add user', { username: 'other' })).toMatchObject({ ok: false, code: ErrorCode.ALREADY_LOGGED_IN });
  });

  it('unknown rooms and malformed DM ids: UNKNOWN_ROOM', async () => {
    const relay = await startRelay();
    const { ana, bob } = await bystanders(relay);
    const { socket: eve } = await loggedIn(relay.url, 'eve');
    expect(await request(eve, 'room:join', { room: 'ghost' })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_ROOM });
    expect(await request(eve, 'new message', { text: 'x', room: 'dm:nonsense' })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_ROOM });
    expect(await request(eve, 'new message', { text: 'x', room: '../etc' })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_ROOM });
    await assertUnaffected(ana, bob);
  });

  it('a burst is capped with RATE_LIMITED and a sustained flood disconnects the flooder only', async () => {
    const relay = await startRelay({ limits: { userMessages: { capacity: 5, perSecond: 1 }, floodStrikes: 10, floodWindowMs: 5000 } });
    const { ana, bob } = await bystanders(relay);
    const { socket: eve } = await loggedIn(relay.url, 'eve');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => request(eve, 'new message', { text: `burst ${i}` })));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    const limited = results.find((r) => !r.ok);
    expect(limited).toMatchObject({ ok: false, code: ErrorCode.RATE_LIMITED });
    expect((limited as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect(eve.connected).toBe(true);

    const gone = new Promise<void>((resolve) => eve.once('disconnect', () => resolve()));
    for (let i = 0; i < 30; i++) eve.emit('new message', { text: `flood ${i}` });
    await gone;
    await sleep(50);
    const page = await request<HistoryPage>(bob, 'history:fetch', { room: 'lobby' });
    expect(page.ok && page.messages.filter((m) => m.username === 'eve')).toHaveLength(5);
    await assertUnaffected(ana, bob, ['before', ...[0, 1, 2, 3, 4].map((i) => `burst ${i}`), 'after']);
  });

  it('refuses a handshake with malformed Parley auth', async () => {
    const relay = await startRelay();
    const s = parleyClient(relay.url, { key: 'short' });
    const err = await new Promise<Error & { data?: unknown }>((resolve) => s.once('connect_error', resolve));
    expect(err.message).toBe(ErrorCode.INVALID_PAYLOAD);
    expect(err.data).toMatchObject({ code: ErrorCode.INVALID_PAYLOAD });
  });
});

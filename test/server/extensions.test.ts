/** Parley's extensions on top of the classic protocol, with real clients against a real relay. */
import { describe, expect, it } from 'vitest';
import type { ChatMessage, HistoryPage, PresenceDelta, RoomState, SendOk } from '../../protocol/index';
import { dmRoomId, ErrorCode } from '../../protocol/index';
import { collect, connected, loggedIn, newKey, next, parleyClient, request, sleep, until } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';

useRelayCleanup();

describe('acknowledged sends', () => {
  it('acks with a ULID id, a server ts and a per-room seq that only increases', async () => {
    const relay = await startRelay();
    const { socket: a } = await loggedIn(relay.url, 'ana');
    const { socket: b } = await loggedIn(relay.url, 'bob');
    const received = collect(b, 'new message');
    const acks: SendOk[] = [];
    for (let i = 0; i < 20; i++) {
      const before = Date.now();
      const res = await request<SendOk>(a, 'new message', { text: `m${i}` });
      if (!res.ok) throw new Error(res.message);
      expect(res.ts).toBeGreaterThanOrEqual(before - 5);
      expect(res.room).toBe('lobby');
      expect(res.duplicate).toBe(false);
      acks.push(res);
    }
    for (let i = 1; i < acks.length; i++) {
      expect(acks[i]!.seq).toBe(acks[i - 1]!.seq + 1);
      expect(acks[i]!.id > acks[i - 1]!.id).toBe(true);
    }
    expect(acks[0]!.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    await until(() => received.length === 20, 3000, 'fan-out');
    expect(received.map((m) => m.seq)).toEqual(acks.map((a) => a.seq));
    expect(received[0]).toMatchObject({ username: 'ana', message: 'm0', room: 'lobby', id: acks[0]!.id });
  });

  it('stores and delivers a retried message once (same clientId), acking the original', async () => {
    const relay = await startRelay();
    const { socket: a } = await loggedIn(relay.url, 'ana');
    const { socket: b } = await loggedIn(relay.url, 'bob');
    const received = collect(b, 'new message');
    const first = await request<SendOk>(a, 'new message', { text: 'once', clientId: 'client-msg-0001' });
    const retry = await request<SendOk>(a, 'new message', { text: 'once', clientId: 'client-msg-0001' });
    expect(first.ok && retry.ok).toBe(true);
    if (!first.ok || !retry.ok) return;
    expect(retry).toMatchObject({ id: first.id, seq: first.seq, duplicate: true });
    await sleep(100);
    expect(received.map((m) => m.message)).toEqual(['once']);
    const page = await request<HistoryPage>(a, 'history:fetch', { room: 'lobby' });
    expect(page.ok && page.messages.map((m) => m.clientId)).toEqual(['client-msg-0001']);
  });

  it('uses the server record of the sender, ignoring any username field the client adds', async () => {
    const relay = await startRelay();
    const { socket: a } = await loggedIn(relay.url, 'ana');
    const { socket: b } = await loggedIn(relay.url, 'bob');
    const got = next(b, 'new message');
    await request(a, 'new message', { text: 'hi', username: 'bob', userId: 'x'.repeat(22) });
    const msg = await got;
    expect(msg.username).toBe('ana');
    expect(msg.userId).not.toBe('x'.repeat(22));
  });
});

describe('history', () => {
  it('delivers the last N messages at login, oldest first', async () => {
    const relay = await startRelay({ historyLimit: 5 });
    const { socket: a } = await loggedIn(relay.url, 'ana');
    for (let i = 1; i <= 8; i++) await request(a, 'new message', { text: `m${i}` });
    const { login } = await loggedIn(relay.url, 'bob');
    const lobby = login.rooms[0]!;
    expect(lobby.history.room).toBe('lobby');
    expect(lobby.history.messages.map((m) => m.message)).toEqual(['m4', 'm5', 'm6', 'm7', 'm8']);
    expect(lobby.history.hasMore).toBe(false);
  });

  it('catches a reconnecting client up with exactly what came after its lastSeq', async () => {
    const relay = await startRelay();
    const { socket: a } = await loggedIn(relay.url, 'ana');
    const key = newKey();
    const bob = await loggedIn(relay.url, 'bob', { key });
    await request(a, 'new message', { text: 'seen 1' });
    const seen = await request<SendOk>(a, 'new message', { text: 'seen 2' });
    if (!seen.ok) throw new Error('send failed');
    await until(() => true);
    bob.socket.disconnect();
    for (const t of ['missed 1', 'missed 2', 'missed 3']) await request(a, 'new message', { text: t });
    const back = await loggedIn(relay.url, 'bob', { key, since: { lobby: seen.seq } });
    const page = back.login.rooms[0]!.history;
    expect(page.messages.map((m) => m.message)).toEqual(['missed 1', 'missed 2', 'missed 3']);
    expect(page.gap).toBe(false);
    // The same user key gets the same user id back.
    expect(back.login.userId).toBe(bob.login.userId);
  });

  it('flags a gap when more was missed than the relay keeps', async () => {
    const relay = await startRelay({ historyLimit: 3 });
    const { socket: a } = await loggedIn(relay.url, 'ana');
    const first = await request<SendOk>(a, 'new message', { text: 'x0' });
    if (!first.ok) throw new Error('send failed');
    for (let i = 1; i <= 6; i++) await request(a, 'new message', { text: `x${i}` });
    const page = await request<HistoryPage>(a, 'history:fetch', { room: 'lobby', afterSeq: first.seq });
    expect(page.ok && page.messages.map((m) => m.message)).toEqual(['x4', 'x5', 'x6']);
    expect(page.ok && page.gap).toBe(true);
  });

  it('pages backwards with beforeSeq', async () => {
    const relay = await startRelay();
    const { socket: a } = await loggedIn(relay.url, 'ana');
    const acks: SendOk[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await request<SendOk>(a, 'new message', { text: `p${i}` });
      if (r.ok) acks.push(r);
    }
    const page = await request<HistoryPage>(a, 'history:fetch', { room: 'lobby', beforeSeq: acks[5]!.seq, limit: 3 });
    expect(page.ok && page.messages.map((m) => m.message)).toEqual(['p2', 'p3', 'p4']);
    expect(page.ok && page.hasMore).toBe(true);
  });
});

describe('nicknames', () => {
  it('are unique case-insensitively and across look-alikes while the holder is present', async () => {
    const relay = await startRelay();
    await loggedIn(relay.url, 'alice');
    for (const name of ['ALICE', 'Alice', 'аlice' /* Cyrillic а */, 'ａｌｉｃｅ' /* full width */, 'a1ice' /* digit one */]) {
      const s = parleyClient(relay.url);
      await connected(s);
      const res = await request(s, 'add user', { username: name });
      expect(res, name).toMatchObject({ ok: false, code: ErrorCode.NICKNAME_TAKEN });
    }
  });

  it('is free again once its holder leaves', async () => {
    const relay = await startRelay();
    const { socket } = await loggedIn(relay.url, 'alice');
    socket.disconnect();
    await sleep(50);
    await expect(loggedIn(relay.url, 'Alice')).resolves.toBeTruthy();
  });

  it('lets a second session of the same user in, under the name the user already has', async () => {
    const relay = await startRelay();
    const key = newKey();
    const first = await loggedIn(relay.url, 'alice', { key });
    const second = await loggedIn(relay.url, 'someone-else', { key });
    expect(second.login.username).toBe('alice');
    expect(second.login.numUsers).toBe(1);
    expect(second.login.userId).toBe(first.login.userId);
  });
});

describe('presence', () => {
  it('sends Parley clients coalesced presence deltas and a snapshot at login', async () => {
    // A window wide enough that four parallel logins share it even on a busy machine.
    const relay = await startRelay({ presenceFlushMs: 300 });
    const { socket: a } = await loggedIn(relay.url, 'ana');
    const deltas = collect(a, 'presence');
    // Ana's own join is flushed to her too: wait for it, so that only the others' joins are counted.
    await until(() => deltas.some((d) => d.changes.some((c) => c.user.username === 'ana')), 3000, "ana's own delta");
    deltas.length = 0;
    const others = await Promise.all(['b1', 'b2', 'b3', 'b4'].map((n) => loggedIn(relay.url, n)));
    await until(() => deltas.reduce((n, d) => n + d.changes.length, 0) >= 4, 3000, 'deltas');
    // Four joins in one flush window arrive as far fewer than four frames.
    expect(deltas.length).toBeLessThan(4);
    const last = deltas[deltas.length - 1] as PresenceDelta;
    expect(last.numUsers).toBe(5);
    const snapshot = others[3]!.login.rooms[0]!.presence;
    expect(snapshot.numUsers).toBe(5);
    expect(snapshot.users.map((u) => u.username).sort()).toEqual(['ana', 'b1', 'b2', 'b3', 'b4']);
  });

  it('reports leaves and keeps pv increasing', async () => {
    const relay = await startRelay({ presenceFlushMs: 10 });
    const { socket: a } = await loggedIn(relay.url, 'ana');
    const { socket: b } = await loggedIn(relay.url, 'bob');
    await sleep(50);
    const deltas = collect(a, 'presence');
    b.disconnect();
    await until(() => deltas.length > 0, 3000, 'leave delta');
    expect(deltas[0]!.changes[0]).toMatchObject({ op: 'leave', user: { username: 'bob' } });
    expect(deltas[0]!.numUsers).toBe(1);
    const list = await request<{ pv: number; numUsers: number }>(a, 'users:list', { room: 'lobby' });
    expect(list.ok && list.numUsers).toBe(1);
    expect(list.ok && list.pv).toBe(deltas[0]!.changes[0]!.pv);
  });
});

describe('rooms', () => {
  it('keeps rooms isolated: messages, typing and history stay in their room', async () => {
    const relay = await startRelay();
    const { socket: a } = await loggedIn(relay.url, 'ana');
    const { socket: b } = await loggedIn(relay.url, 'bob');
    const { socket: c } = await loggedIn(relay.url, 'cy');
    const created = await request<RoomState>(a, 'room:join', { room: 'design', create: true });
    expect(created.ok).toBe(true);
    const joined = await request<RoomState>(b, 'room:join', { room: 'design' });
    expect(joined.ok && joined.presence.numUsers).toBe(2);

    const cMessages = collect(c, 'new message');
    const cTyping = collect(c, 'typing');
    const bGets = next(b, 'new message');
    const bTyping = next(b, 'typing');
    a.emit('typing', { room: 'design' });
    expect(await bTyping).toMatchObject({ username: 'ana', room: 'design' });
    await request(a, 'new message', { text: 'design only', room: 'design' });
    expect(await bGets).toMatchObject({ message: 'design only', room: 'design' });
    await sleep(100);
    expect(cMessages).toEqual([]);
    expect(cTyping).toEqual([]);

    // Cy is not in the room: no sending, no reading its history.
    expect(await request(c, 'new message', { text: 'x', room: 'design' })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
    expect(await request(c, 'history:fetch', { room: 'design' })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });

    const lobby = await request<HistoryPage>(a, 'history:fetch', { room: 'lobby' });
    expect(lobby.ok && lobby.messages).toEqual([]);
  });

  it('refuses unknown rooms without create, lists rooms, and leaves', async () => {
    const relay = await startRelay();
    const { socket: a } = await loggedIn(relay.url, 'ana');
    const { socket: b } = await loggedIn(relay.url, 'bob');
    expect(await request(a, 'room:join', { room: 'nowhere' })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_ROOM });
    expect(await request(a, 'room:join', { room: 'Bad Name!', create: true })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_ROOM });
    const announced = next(b, 'room:created');
    await request(a, 'room:join', { room: 'ops', create: true });
    expect(await announced).toMatchObject({ room: 'ops' });
    const list = await request<{ rooms: { room: string; numUsers: number }[] }>(b, 'room:list');
    expect(list.ok && list.rooms).toEqual([
      { room: 'lobby', numUsers: 2 },
      { room: 'ops', numUsers: 1 },
    ]);
    expect(await request(a, 'room:leave', { room: 'lobby' })).toMatchObject({ ok: false, code: ErrorCode.CANNOT_LEAVE_LOBBY });
    expect(await request(a, 'room:leave', { room: 'ops' })).toMatchObject({ ok: true, room: 'ops' });
    expect(await request(a, 'new message', { text: 'x', room: 'ops' })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
  });

  it('rejoins and re-creates the rooms named at login', async () => {
    const relay = await startRelay();
    const { login } = await loggedIn(relay.url, 'ana', { rooms: ['alpha', 'beta'] });
    expect(login.rooms.map((r) => r.presence.room)).toEqual(['lobby', 'alpha', 'beta']);
  });
});

describe('direct messages', () => {
  it('reach only the two parties, and both can read the conversation', async () => {
    const relay = await startRelay();
    const anaKey = newKey();
    const ana = await loggedIn(relay.url, 'ana', { key: anaKey });
    const bob = await loggedIn(relay.url, 'bob');
    const cy = await loggedIn(relay.url, 'cy');
    // Ana's second tab gets the DMs too; her sending tab does not get its own message back.
    const anaTab2 = await loggedIn(relay.url, 'ana', { key: anaKey });
    const tab2Gets = next(anaTab2.socket, 'new message');
    const anaOwn = collect(ana.socket, 'new message');
    const cyGot = collect(cy.socket, 'new message');
    const bobGets = next(bob.socket, 'new message');
    const res = await request<SendOk>(ana.socket, 'new message', { text: 'psst', to: bob.login.userId });
    expect(res.ok).toBe(true);
    const dm = (await bobGets) as ChatMessage;
    const room = dmRoomId(ana.login.userId, bob.login.userId);
    expect(dm).toMatchObject({ message: 'psst', room, username: 'ana' });
    expect(await tab2Gets).toMatchObject({ message: 'psst', room });
    expect(anaOwn).toEqual([]);
    // Bob answers by addressing the conversation id.
    const anaGets = next(ana.socket, 'new message');
    await request(bob.socket, 'new message', { text: 'hi back', room });
    expect(await anaGets).toMatchObject({ message: 'hi back', room });
    await sleep(100);
    expect(cyGot).toEqual([]);
    expect(await request(cy.socket, 'history:fetch', { room })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
    const page = await request<HistoryPage>(bob.socket, 'history:fetch', { room });
    expect(page.ok && page.messages.map((m) => m.message)).toEqual(['psst', 'hi back']);
  });

  it('refuses DMs to absent users', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const res = await request(ana.socket, 'new message', { text: 'hello?', to: 'A'.repeat(22) });
    expect(res).toMatchObject({ ok: false, code: ErrorCode.USER_NOT_FOUND });
  });
});

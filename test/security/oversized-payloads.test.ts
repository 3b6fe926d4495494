/**
 * Threat: oversized payloads. A client sends more than the protocol allows, to exhaust the relay's
 * memory or to get an over-long message stored and pushed to everyone.
 *
 * Two limits: the application limit (MESSAGE_MAX characters: refused with TOO_LARGE, the connection
 * stays open) and the transport limit (maxHttpBufferSize, 64 KiB: the frame is never buffered beyond
 * that; over WebSocket the sender's connection is closed, over long-polling the POST is refused with
 * 413). Either way only the sender is affected and nothing reaches history.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, MAX_HTTP_BUFFER_SIZE, MESSAGE_MAX, type HistoryPage, type SendOk } from '../../protocol/index';
import { loggedIn, parleyClient, connected, request, until } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';
import { assertUnaffected, bystanders, lobbyHistory } from './support/bystanders';
import { RawPolling, RawSocket } from './support/raw';

useRelayCleanup();

const OVER_FRAME = MAX_HTTP_BUFFER_SIZE + 1024;

describe('oversized payloads', () => {
  it('a message over the application limit but under the frame limit gets TOO_LARGE and the connection stays open (WebSocket and long-polling)', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    for (const transports of [['websocket'], ['polling']] as const) {
      const { socket: eve } = await loggedIn(relay.url, `eve-${transports[0]}`, { transports: [...transports] });
      // 4,001 characters: far below 64 KiB, so it reaches the handler, which refuses it.
      expect(await request(eve, 'new message', { text: 'x'.repeat(MESSAGE_MAX + 1) })).toMatchObject({ ok: false, code: ErrorCode.TOO_LARGE });
      // The classic bare-string form is held to the same limit.
      expect(await request(eve, 'new message', 'y'.repeat(MESSAGE_MAX + 1))).toMatchObject({ ok: false, code: ErrorCode.TOO_LARGE });
      // 8,000 UTF-16 units of emoji (4,000 user-visible characters) is over the limit too: the limit counts code units.
      expect(await request(eve, 'new message', { text: '😀'.repeat(MESSAGE_MAX / 2 + 1) })).toMatchObject({ ok: false, code: ErrorCode.TOO_LARGE });
      expect(eve.connected, transports[0]).toBe(true);
      expect(await request(eve, 'new message', { text: `still here on ${transports[0]}` })).toMatchObject({ ok: true });
    }
    await assertUnaffected(relay, world, ['still here on websocket', 'still here on polling']);
  });

  it('the largest valid message fits in one frame on both transports, whatever its characters (so the 64 KiB limit never cuts a legal message)', async () => {
    const relay = await startRelay();
    // Worst cases for the encoded size: 3-byte UTF-8 characters, and characters JSON escapes (\" and \\).
    const texts = ['界'.repeat(MESSAGE_MAX), '"'.repeat(MESSAGE_MAX), '\\'.repeat(MESSAGE_MAX)];
    for (const text of texts) expect(Buffer.byteLength(`42${JSON.stringify(['new message', { text, clientId: 'c'.repeat(64) }])}`)).toBeLessThan(MAX_HTTP_BUFFER_SIZE / 2);
    for (const transports of [['websocket'], ['polling']] as const) {
      const { socket } = await loggedIn(relay.url, `max-${transports[0]}`, { transports: [...transports] });
      for (const text of texts) expect(await request<SendOk>(socket, 'new message', { text })).toMatchObject({ ok: true });
      expect(socket.connected).toBe(true);
    }
  });

  it('a WebSocket frame over maxHttpBufferSize closes only the sender (socket.io-client, raw text frame, raw binary frame)', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);

    // A real client emitting a 65 KiB message.
    const { socket: eve } = await loggedIn(relay.url, 'eve');
    const gone = new Promise<string>((resolve) => eve.once('disconnect', resolve));
    eve.emit('new message', { text: 'z'.repeat(OVER_FRAME) });
    expect(await gone).toMatch(/transport (close|error)/);

    // Raw frames: a text frame and a binary frame just over the limit. ws closes with 1009 (message too big).
    for (const frame of [`42["new message","${'z'.repeat(MAX_HTTP_BUFFER_SIZE)}"]`, Buffer.alloc(MAX_HTTP_BUFFER_SIZE + 1, 0x41)]) {
      const { socket: raw, reply } = await RawSocket.connect(relay.port!);
      expect(reply).toMatch(/^40/);
      expect(raw.handshake.maxPayload).toBe(MAX_HTTP_BUFFER_SIZE);
      raw.sendRaw(frame);
      const closed = await Promise.race([raw.closed, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
      expect(closed, 'the oversized sender is disconnected').not.toBeNull();
      expect(closed!.code).toBe(1009);
    }
    await until(() => relay.io.engine.clientsCount === 2, 3000, 'only the two bystanders left');
    await assertUnaffected(relay, world);
  });

  it('long-polling: a POST body over maxHttpBufferSize is refused with 413 (with Content-Length and chunked) and never stored', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    const { session, reply } = await RawPolling.connect(relay.port!);
    expect(reply).toMatch(/^40/);
    // Log in over the raw session so an oversized message would otherwise be accepted and stored.
    expect((await session.post('42["add user","mallory"]')).status).toBe(200);
    await until(() => relay.io.engine.clientsCount === 3, 3000, 'mallory connected');

    const body = `42["new message","${'m'.repeat(OVER_FRAME)}"]`;
    expect((await session.post(body)).status).toBe(413);
    // Chunked: the limit is counted on the bytes received, not on a header the client controls.
    expect((await session.post(body, { chunkSize: 8192 })).status).toBe(413);
    // Many MB streamed at the relay are discarded as they arrive, not buffered.
    const before = process.memoryUsage().rss;
    expect((await session.post(Buffer.alloc(8 * 1024 * 1024, 0x6d), { chunkSize: 64 * 1024 })).status).toBe(413);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);

    expect((await lobbyHistory(relay)).some((m) => m.startsWith('mmm'))).toBe(false);
    await assertUnaffected(relay, world);
  });

  it('long-polling: a socket.io-client on polling that sends an oversized message loses only its own connection', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay, { transports: ['polling'] });
    const eve = parleyClient(relay.url, { transports: ['polling'] });
    await connected(eve);
    expect(await request(eve, 'add user', { username: 'eve' })).toMatchObject({ ok: true });
    const gone = new Promise<string>((resolve) => eve.once('disconnect', resolve));
    eve.emit('new message', { text: 'p'.repeat(OVER_FRAME) });
    expect(await gone).toMatch(/transport (close|error)/);
    const page = await request<HistoryPage>(world.bob, 'history:fetch', { room: 'lobby' });
    expect(page.ok && page.messages.some((m) => m.message.startsWith('ppp'))).toBe(false);
    await assertUnaffected(relay, world);
  });

  it('oversized fields besides the text (nickname, room, clientId, handshake key, join code) are refused by the schema bounds', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    const eve = parleyClient(relay.url);
    await connected(eve);
    expect(await request(eve, 'add user', { username: 'n'.repeat(20_000) })).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    expect(await request(eve, 'add user', { username: 'eve', rooms: Array.from({ length: 500 }, (_, i) => `r${i}`) })).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    expect(await request(eve, 'add user', { username: 'eve' })).toMatchObject({ ok: true });
    expect(await request(eve, 'new message', { text: 'x', room: 'r'.repeat(20_000) })).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    expect(await request(eve, 'new message', { text: 'x', clientId: 'c'.repeat(65) })).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    expect(await request(eve, 'room:join', { room: 'r'.repeat(20_000), create: true })).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    expect(eve.connected).toBe(true);
    for (const auth of [{ key: 'k'.repeat(20_000) }, { key: 'k'.repeat(30), joinCode: 'j'.repeat(20_000) }]) {
      const { socket, reply } = await RawSocket.connect(relay.port!, { client: 'parley', protocol: 1, ...auth });
      expect(reply).toMatch(/^44/);
      expect(JSON.parse(reply.slice(2))).toMatchObject({ data: { code: ErrorCode.INVALID_PAYLOAD } });
      socket.close();
    }
    await assertUnaffected(relay, world);
  });
});

/**
 * Every reply is bounded in bytes, whatever the history holds: a login into several rooms full of
 * long messages, or one history page of them, stays within the reply budgets of protocol/limits.ts.
 * What is left out is marked `hasMore`, and the client fetches it page by page (scroll-back).
 */
import { describe, expect, it } from 'vitest';
import { LOGIN_HISTORY_BYTES, MESSAGE_MAX, REPLY_HISTORY_BYTES, type HistoryPage, type LoginOk, type RoomState } from '../../protocol/index';
import { ChatClient } from '../../renderer/model/chat-client';
import { newUserKey } from '../../renderer/model/ids';
import { loggedIn, request, until } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';

useRelayCleanup();

const ROOMS = ['lobby', 'alpha', 'beta', 'gamma'];
const PER_ROOM = 200;
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
/** The largest single message on the wire: a page always keeps its newest message. */
const ONE_MESSAGE = MESSAGE_MAX * 3 + 400;

async function fullRelay() {
  const relay = await startRelay({ historyLimit: PER_ROOM });
  const { socket: ana } = await loggedIn(relay.url, 'ana');
  for (const room of ROOMS.slice(1)) expect((await request<RoomState>(ana, 'room:join', { room, create: true })).ok).toBe(true);
  for (const room of ROOMS) {
    for (let i = 0; i < PER_ROOM; i++) {
      await relay.stores.history.append({ room, userId: 'a'.repeat(22), username: 'ana', message: `${room} ${i} ${'é'.repeat(MESSAGE_MAX - 20)}` });
    }
  }
  return relay;
}

describe('reply sizes', () => {
  it('a login into rooms full of long messages stays within the login budget; history pages within theirs', async () => {
    const relay = await fullRelay();
    const { socket: bob, login } = await loggedIn(relay.url, 'bob', { rooms: ROOMS.slice(1) });
    const ok = login as unknown as LoginOk;
    expect(bytes(ok)).toBeLessThanOrEqual(LOGIN_HISTORY_BYTES + ROOMS.length * ONE_MESSAGE + 64 * 1024);
    for (const room of ROOMS) {
      const state = ok.rooms.find((r) => r.presence.room === room)!;
      expect(state.history.messages.length, room).toBeGreaterThanOrEqual(1);
      expect(state.history.hasMore, room).toBe(true);
      // The newest message is always there, so the room shows where it stands.
      expect(state.history.messages.at(-1)?.message.startsWith(`${room} ${PER_ROOM - 1} `), room).toBe(true);
    }

    const page = await request<HistoryPage>(bob, 'history:fetch', { room: 'alpha', limit: 500 });
    if (!page.ok) throw new Error(page.message);
    expect(bytes(page)).toBeLessThanOrEqual(REPLY_HISTORY_BYTES + ONE_MESSAGE);
    expect(page.hasMore).toBe(true);
  });

  it('the client still gets every message: scroll-back pages through what the budgets left out', async () => {
    const relay = await fullRelay();
    const bob = new ChatClient({ url: relay.url, nickname: 'bob', key: newUserKey(), transports: ['websocket'] });
    try {
      await bob.start();
      await bob.joinRoom('alpha', false);
      const conv = bob.conversation('alpha')!;
      for (let i = 0; i < 50 && conv.timeline.hasMore; i++) await bob.loadOlder('alpha');
      const seqs = conv.timeline.entries().flatMap((e) => (e.kind === 'message' ? [e.msg.message.split(' ')[1]] : []));
      expect(seqs).toHaveLength(PER_ROOM);
      expect(conv.timeline.hasMore).toBe(false);
    } finally {
      bob.close();
    }
  });

  it('catch-up after a long absence still gets everything, through budget-cut pages', async () => {
    const relay = await startRelay({ historyLimit: PER_ROOM });
    const say = (i: number) => relay.stores.history.append({ room: 'lobby', userId: 'a'.repeat(22), username: 'ana', message: `lobby ${i} ${'é'.repeat(MESSAGE_MAX - 20)}` });
    for (let i = 0; i < 10; i++) await say(i);
    const bob = new ChatClient({ url: relay.url, nickname: 'bob', key: newUserKey(), transports: ['websocket'] });
    try {
      await bob.start();
      const seen = () => bob.conversation('lobby')!.timeline.entries().flatMap((e) => (e.kind === 'message' ? [Number(e.msg.message.split(' ')[1])] : []));
      await until(() => seen().length === 10, 10_000, 'the first ten');
      // Written straight to the store: Bob gets none of it live, as if he had been away.
      for (let i = 10; i < PER_ROOM; i++) await say(i);
      // His connection drops; on reconnecting he catches up from his cursor, far more than one page.
      (bob as unknown as { relay: { socket: { io: { engine: { close(): void } } } } }).relay.socket.io.engine.close();
      await until(() => seen().length === PER_ROOM, 20_000, 'every message after catch-up');
      expect(seen()).toEqual([...Array(PER_ROOM).keys()]);
    } finally {
      bob.close();
    }
  });
});

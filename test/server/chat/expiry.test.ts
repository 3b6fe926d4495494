/**
 * Conversation expiry with the in-memory stores of a real relay and real clients; the sweeper runs
 * on a clock the test moves, so "a week later" takes no time.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { dmRoomId, type HistoryPage, type RoomInfo, type SendOk } from '../../../protocol/index';
import { ConversationExpiry, expiryPolicy } from '../../../server/chat/expiry';
import type { Relay } from '../../../server/index';
import { loggedIn, request, sleep } from '../../helpers/clients';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

const WEEK = 7 * 24 * 3600 * 1000;
const TEN_MINUTES = 10 * 60 * 1000;

function sweeper(relay: Relay) {
  const clock = { now: Date.now() };
  const expiry = new ConversationExpiry({ stores: relay.stores, lobby: 'lobby', log: pino({ level: 'silent' }) }, expiryPolicy(WEEK), () => clock.now);
  return { clock, sweep: () => expiry.sweep() };
}

/** Waits until the relay has removed a user from presence (its disconnect handler runs after the socket closes). */
async function gone(relay: Relay, userId: string): Promise<void> {
  for (const end = Date.now() + 10_000; (await relay.stores.presence.user(userId)) !== undefined; await sleep(10)) {
    if (Date.now() > end) throw new Error(`user ${userId} still present`);
  }
}

const roomNames = async (socket: Parameters<typeof request>[0]) => {
  const res = await request<{ rooms: RoomInfo[] }>(socket, 'room:list');
  return res.ok ? res.rooms.map((r) => r.room).sort() : [];
};

describe('conversation expiry (memory stores)', () => {
  it('removes a room made and left without a message after ten minutes; the lobby never goes', async () => {
    const relay = await startRelay();
    const { socket } = await loggedIn(relay.url, 'ana');
    expect(await request(socket, 'room:join', { room: 'scratch', create: true })).toMatchObject({ ok: true });
    expect(await request(socket, 'room:leave', { room: 'scratch' })).toMatchObject({ ok: true });
    const { clock, sweep } = sweeper(relay);

    expect(await sweep()).toEqual([]); // first seen empty now
    clock.now += TEN_MINUTES - 1000;
    expect(await sweep()).toEqual([]);
    clock.now += 1000;
    expect(await sweep()).toEqual(['scratch']);
    expect(await roomNames(socket)).toEqual(['lobby']);
    clock.now += 10 * WEEK;
    expect(await sweep()).toEqual([]);
    // Made again, it is a new room.
    expect(await request(socket, 'room:join', { room: 'scratch', create: true })).toMatchObject({ ok: true });
  });

  it('keeps a room with history a week after its last message or member, and one with a member forever', async () => {
    const relay = await startRelay();
    const { socket: ana } = await loggedIn(relay.url, 'ana', { rooms: [] });
    const { socket: bob } = await loggedIn(relay.url, 'bob');
    for (const room of ['used', 'occupied']) expect(await request(ana, 'room:join', { room, create: true })).toMatchObject({ ok: true });
    expect(await request<SendOk>(ana, 'new message', { text: 'hello', room: 'used', clientId: 'expiry-0001' })).toMatchObject({ ok: true });
    expect(await request(ana, 'room:leave', { room: 'used' })).toMatchObject({ ok: true });
    expect(await request(bob, 'room:join', { room: 'occupied' })).toMatchObject({ ok: true });
    expect(await request(ana, 'room:leave', { room: 'occupied' })).toMatchObject({ ok: true });
    const { clock, sweep } = sweeper(relay);

    expect(await sweep()).toEqual([]);
    clock.now += TEN_MINUTES;
    expect(await sweep()).toEqual([]); // it has history: not an unused room
    // Someone comes and goes: the week starts again from then.
    clock.now += WEEK - TEN_MINUTES - 1000;
    expect(await request(ana, 'room:join', { room: 'used' })).toMatchObject({ ok: true });
    expect(await request(ana, 'room:leave', { room: 'used' })).toMatchObject({ ok: true });
    clock.now += 1000;
    expect(await sweep()).toEqual([]);
    clock.now += WEEK;
    expect(await sweep()).toEqual(['used']);
    const page = await relay.stores.history.page('used', { limit: 10 });
    expect(page).toMatchObject<Partial<HistoryPage>>({ messages: [], lastSeq: 0 });
    clock.now += 10 * WEEK;
    expect(await sweep()).toEqual([]);
    expect(await roomNames(bob)).toEqual(['lobby', 'occupied']);
  });

  it('frees a DM log a week after both parties left, not while one of them is here', async () => {
    const relay = await startRelay();
    const a = await loggedIn(relay.url, 'ana');
    const b = await loggedIn(relay.url, 'bob');
    const bobId = (b.login as unknown as { userId: string }).userId;
    const anaId = (a.login as unknown as { userId: string }).userId;
    expect(await request<SendOk>(a.socket, 'new message', { text: 'psst', to: bobId, clientId: 'expiry-dm-0001' })).toMatchObject({ ok: true });
    const dm = dmRoomId(anaId, bobId);
    expect(await relay.stores.dmConversations()).toEqual([dm]);
    const { clock, sweep } = sweeper(relay);

    a.socket.disconnect();
    await gone(relay, anaId);
    clock.now += 2 * WEEK;
    expect(await sweep()).toEqual([]); // bob is still here
    b.socket.disconnect();
    await gone(relay, bobId);
    expect(await sweep()).toEqual([]); // both away from now on
    clock.now += WEEK;
    expect(await sweep()).toEqual([dm]);
    expect(await relay.stores.dmConversations()).toEqual([]);
  });
});

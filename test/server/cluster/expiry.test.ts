/**
 * Conversation expiry in Redis mode: a room expired by one instance is gone for every instance
 * (no cache brings it back), its keys and a DM's stream are deleted, and the delete is refused when
 * the room changed after it was judged idle.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { dmRoomId, ErrorCode, type RoomInfo, type SendOk } from '../../../protocol/index';
import { ConversationExpiry, expiryPolicy } from '../../../server/chat/expiry';
import type { RedisStores } from '../../../server/stores/redis/index';
import { loggedIn, request, sleep } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { useRedisSuite } from '../../helpers/redis-suite';

const { redis, relays } = useRedisSuite();
const WEEK = 7 * 24 * 3600 * 1000;

function sweeper(stores: RedisStores) {
  const clock = { now: Date.now() };
  const expiry = new ConversationExpiry({ stores, lobby: 'lobby', log: pino({ level: 'silent' }) }, expiryPolicy(WEEK), () => clock.now);
  return { clock, sweep: () => expiry.sweep() };
}

async function keys(stores: RedisStores, pattern: string): Promise<string[]> {
  return (await stores.connections.command.keys(pattern)).sort();
}

describe('conversation expiry (Redis)', () => {
  it('deletes an idle room and a DM log cluster-wide, keys included', async () => {
    const a = await redisRelay(redis().url);
    const b = await redisRelay(redis().url);
    relays.push(a, b);
    const ana = await loggedIn(a.url, 'ana');
    const bob = await loggedIn(b.url, 'bob');
    const bobId = (bob.login as unknown as { userId: string }).userId;
    const anaId = (ana.login as unknown as { userId: string }).userId;
    expect(await request(ana.socket, 'room:join', { room: 'standup', create: true })).toMatchObject({ ok: true });
    expect(await request<SendOk>(ana.socket, 'new message', { text: 'notes', room: 'standup', clientId: 'expiry-r-0001' })).toMatchObject({ ok: true });
    expect(await request(bob.socket, 'room:join', { room: 'standup' })).toMatchObject({ ok: true }); // B caches it
    for (const s of [ana.socket, bob.socket]) expect(await request(s, 'room:leave', { room: 'standup' })).toMatchObject({ ok: true });
    expect(await request<SendOk>(ana.socket, 'new message', { text: 'psst', to: bobId, clientId: 'expiry-d-0001' })).toMatchObject({ ok: true });
    const dm = dmRoomId(anaId, bobId);
    expect(await a.stores.dmConversations()).toEqual([dm]);

    const { clock, sweep } = sweeper(a.stores);
    expect(await sweep()).toEqual([]);
    // A stale look is refused: someone joined and left since (the presence version moved).
    const snap = await a.stores.presence.snapshot('standup');
    expect(await request(bob.socket, 'room:join', { room: 'standup' })).toMatchObject({ ok: true });
    expect(await request(bob.socket, 'room:leave', { room: 'standup' })).toMatchObject({ ok: true });
    expect(await a.stores.expire('standup', { lastSeq: (await a.stores.history.page('standup', { limit: 1 })).lastSeq, pv: snap.pv })).toBe(false);

    ana.socket.disconnect();
    bob.socket.disconnect();
    for (const [stores, id] of [[a.stores, anaId], [b.stores, bobId]] as const) {
      for (const end = Date.now() + 10_000; (await stores.presence.user(id)) !== undefined; await sleep(10)) if (Date.now() > end) throw new Error('still present');
    }
    expect(await sweep()).toEqual([]); // idle from now
    clock.now += WEEK;
    expect((await sweep()).sort()).toEqual([dm, 'standup'].sort());

    expect(await keys(a.stores, 'parley:h:*')).toEqual([]);
    expect(await keys(a.stores, 'parley:r:standup*')).toEqual([]);
    expect(await a.stores.dmConversations()).toEqual([]);
    // Instance B had the room cached: it is gone there too.
    const cy = await loggedIn(b.url, 'cy');
    const list = await request<{ rooms: RoomInfo[] }>(cy.socket, 'room:list');
    expect(list.ok && list.rooms.map((r) => r.room)).toEqual(['lobby']);
    expect(await request(cy.socket, 'room:join', { room: 'standup' })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_ROOM });
  });
});

/**
 * The IndexedDB history cache (fake-indexeddb in Node): its bounds per conversation and in total,
 * separation by server and identity, clearing, and that what it holds outlives the instance (a reload).
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/index';
import { cacheScope, type CacheLimits, type CachedConversation } from '../../../renderer/model/history-cache';
import { IdbHistoryCache } from '../../../renderer/model/idb-history-cache';

let dbCount = 0;
const opened: IdbHistoryCache[] = [];

/** A cache on a database of its own for this test; `db` shares one between instances (a reload). */
function cache(scope: string, limits: CacheLimits = { perConversation: 50, total: 500 }, db = `test-${dbCount}`): IdbHistoryCache {
  const c = new IdbHistoryCache(scope, { limits, dbName: db });
  opened.push(c);
  return c;
}

/** `count` messages of `room` with seqs from `first`, written at `ts`, `ts + 1`, … */
function messages(room: string, count: number, first = 1, ts = 1_000): ChatMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${room}-${first + i}`,
    seq: first + i,
    ts: ts + i,
    room,
    userId: 'u1',
    username: 'ana',
    message: `${room} message ${first + i}`,
  }));
}

function conversation(id: string, msgs: ChatMessage[]): CachedConversation {
  return { id, kind: 'room', syncedSeq: msgs.at(-1)?.seq ?? 0, hasMore: false, messages: msgs };
}

afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
  dbCount++;
});

describe('IdbHistoryCache', () => {
  it('keeps the newest messages of a conversation up to its bound, and says older ones exist', async () => {
    const c = cache('s1', { perConversation: 4, total: 100 });
    await c.save(conversation('lobby', messages('lobby', 10)));
    const [lobby] = await c.load();
    expect(lobby!.messages.map((m) => m.seq)).toEqual([7, 8, 9, 10]);
    expect(lobby!.hasMore).toBe(true);
    expect(lobby!.syncedSeq).toBe(10);
  });

  it('holds the total by dropping the least recently active conversations, across scopes', async () => {
    const limits = { perConversation: 5, total: 12 };
    const other = cache('other-server', limits);
    const mine = cache('my-server', limits);
    await other.save(conversation('old', messages('old', 5, 1, 1_000)));
    await mine.save(conversation('middle', messages('middle', 5, 1, 2_000)));
    expect((await other.load()).map((x) => x.id)).toEqual(['old']);
    // 15 messages > 12: the conversation whose newest message is oldest goes, whoever it belongs to.
    await mine.save(conversation('recent', messages('recent', 5, 1, 3_000)));
    expect(await other.load()).toEqual([]);
    expect((await mine.load()).map((x) => x.id).sort()).toEqual(['middle', 'recent']);
    // A conversation that becomes active again is kept over one that went quiet.
    await mine.save(conversation('middle', messages('middle', 5, 6, 4_000)));
    await mine.save(conversation('newest', messages('newest', 3, 1, 5_000)));
    expect((await mine.load()).map((x) => x.id).sort()).toEqual(['middle', 'newest']);
  });

  it('keeps each server and identity apart, and clears only its own', async () => {
    const key = 'k'.repeat(24);
    const scopes = [cacheScope('http://a.test:3000', key), cacheScope('http://b.test:3000', key), cacheScope('http://a.test:3000', 'z'.repeat(24))];
    expect(new Set(scopes).size).toBe(3);
    // The identity in a scope is the public user id, never the key itself.
    for (const s of scopes) expect(s).not.toContain(key);
    const [a, b, other] = scopes.map((s) => cache(s));
    await a!.save(conversation('lobby', messages('lobby', 3)));
    await b!.save(conversation('lobby', messages('lobby', 2, 10)));
    await other!.save(conversation('lobby', messages('lobby', 1, 20)));
    expect((await a!.load())[0]!.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect((await b!.load())[0]!.messages.map((m) => m.seq)).toEqual([10, 11]);
    expect((await other!.load())[0]!.messages.map((m) => m.seq)).toEqual([20]);

    await a!.clear();
    expect(await a!.load()).toEqual([]);
    expect(await b!.load()).toHaveLength(1);
    expect(await other!.load()).toHaveLength(1);
  });

  it('survives the instance (a reload) and forgets a removed conversation', async () => {
    const first = cache('s1');
    await first.save(conversation('lobby', messages('lobby', 3)));
    await first.save({ ...conversation('dm:a:b', messages('dm:a:b', 2)), kind: 'dm', peerId: 'b', peerName: 'bob' });
    await first.close();
    const again = cache('s1');
    const loaded = await again.load();
    expect(loaded.map((x) => x.id).sort()).toEqual(['dm:a:b', 'lobby']);
    expect(loaded.find((x) => x.kind === 'dm')).toMatchObject({ peerId: 'b', peerName: 'bob' });
    await again.remove('lobby');
    expect((await again.load()).map((x) => x.id)).toEqual(['dm:a:b']);
  });
});

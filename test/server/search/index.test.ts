/**
 * The search index against real in-memory history and a Redis-like store that hands out copies
 * (server/search/): what is found, newest first, as the conversation changes under it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage, HistoryPage } from '../../../protocol/index';
import { SearchIndex } from '../../../server/search/index';
import { PROBE_EVERY_MS } from '../../../server/search/sync';
import { MemoryHistoryStore } from '../../../server/stores/memory-history';
import { selectWindow } from '../../../server/stores/history-window';
import { applyDelete, applyEdit } from '../../../server/stores/changes';
import type { MessageDraft, PageQuery } from '../../../server/stores/types';

const draft = (room: string, message: string, extra: Partial<MessageDraft> = {}): MessageDraft => ({ room, userId: 'u-ana', username: 'ana', message, ...extra });

/** History as Redis keeps it: entries trimmed to `limit`, every page a fresh copy, changes rewrite the stored copy. */
class CopyingStore {
  private logs = new Map<string, { entries: ChatMessage[]; lastSeq: number }>();
  private next = 1;
  pages = 0;
  constructor(private readonly limit: number) {}

  add(room: string, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
    const log = this.logs.get(room) ?? { entries: [], lastSeq: 1000 * this.next++ };
    this.logs.set(room, log);
    later();
    const m: ChatMessage = { id: `id-${room}-${log.lastSeq + 1}`, seq: ++log.lastSeq, ts: Date.now(), room, userId: 'u-ana', username: 'ana', message: text, ...extra };
    log.entries.push(m);
    if (log.entries.length > this.limit) log.entries.shift();
    return structuredClone(m);
  }

  edit(target: ChatMessage, text: string): void {
    const entry = this.add(target.room, text, { change: 'edit', target: { id: target.id, seq: target.seq } });
    const stored = this.logs.get(target.room)!.entries.find((m) => m.seq === target.seq);
    if (stored) applyEdit(stored, entry);
  }

  remove(target: ChatMessage): void {
    this.add(target.room, '', { change: 'delete', target: { id: target.id, seq: target.seq } });
    const stored = this.logs.get(target.room)!.entries.find((m) => m.seq === target.seq);
    if (stored) applyDelete(stored);
  }

  /** Drops the oldest `n` entries, as the durable store's age limit does. */
  sweep(room: string, n: number): void {
    this.logs.get(room)!.entries.splice(0, n);
  }

  /** The log expired and was created again, with seqs above the old ones. */
  recreate(room: string): void {
    this.logs.set(room, { entries: [], lastSeq: 1_000_000 * this.next++ });
  }

  async page(room: string, query: PageQuery): Promise<HistoryPage> {
    this.pages++;
    const log = this.logs.get(room);
    const lastSeq = log?.lastSeq ?? 0;
    const entries = log?.entries ?? [];
    const oldestSeq = entries[0]?.seq ?? lastSeq + 1;
    const w = selectWindow(oldestSeq, lastSeq, query);
    const messages = entries.filter((m) => m.seq >= w.from && m.seq <= w.to).map((m) => structuredClone(m));
    return { room, messages, lastSeq, hasMore: w.hasMore, gap: w.gap };
  }
}

// Every message a millisecond after the one before, so "newest first" is one order across conversations.
beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});
const later = () => vi.setSystemTime(Date.now() + 1);

/** Appends like a sender would, a millisecond after the previous message. */
async function append(store: MemoryHistoryStore, d: MessageDraft): Promise<ChatMessage> {
  later();
  return (await store.append(d)).message;
}

const texts = async (index: SearchIndex, rooms: string[], query: string, limit = 20) => (await index.search(rooms, query, limit)).hits.map((h) => h.message.message);

describe('search index on in-memory history', () => {
  it('finds every word as a prefix in the given conversations only, newest first', async () => {
    const store = new MemoryHistoryStore(100);
    for (const [room, text] of [['a', 'deploy the relay'], ['b', 'Deployment done'], ['a', 'lunch?'], ['c', 'deploy secret'], ['b', 'relay deployed again']]) {
      await append(store, draft(room!, text!));
    }
    const index = new SearchIndex({ history: store, retention: 100 });
    expect(await texts(index, ['a', 'b'], 'deploy')).toEqual(['relay deployed again', 'Deployment done', 'deploy the relay']);
    expect(await texts(index, ['a', 'b'], 'DEPLOY relay')).toEqual(['relay deployed again', 'deploy the relay']);
    expect(await texts(index, ['a', 'b'], 'nothing')).toEqual([]);
    expect(await texts(index, ['a', 'b'], '!!!')).toEqual([]);
  });

  it('answers at most `limit` hits and says when there are more', async () => {
    const store = new MemoryHistoryStore(100);
    for (let i = 1; i <= 30; i++) await append(store, draft(i % 2 ? 'a' : 'b', `note ${i}`));
    const index = new SearchIndex({ history: store, retention: 100 });
    const first = await index.search(['a', 'b'], 'note', 10);
    expect(first.hits.map((h) => h.message.message)).toEqual(Array.from({ length: 10 }, (_, i) => `note ${30 - i}`));
    expect(first.more).toBe(true);
    const all = await index.search(['a', 'b'], 'note', 30);
    expect(all.hits).toHaveLength(30);
    expect(all.more).toBe(false);
    expect(all.hits[0]!.ranges).toEqual([[0, 4]]);
  });

  it('sees messages written after its first search, and edits and deletions as they come', async () => {
    const store = new MemoryHistoryStore(100);
    const index = new SearchIndex({ history: store, retention: 100 });
    const typo = await append(store, draft('a', 'teh plan for friday'));
    expect(await texts(index, ['a'], 'teh')).toEqual(['teh plan for friday']);
    await append(store, draft('a', 'another plan'));
    const edit = await append(store, draft('a', 'the plan for monday', { change: 'edit', target: { id: typo.id, seq: typo.seq } }));
    await store.applyChange(edit);
    // An edited message keeps its place in the conversation.
    expect(await texts(index, ['a'], 'plan')).toEqual(['another plan', 'the plan for monday']);
    expect(await texts(index, ['a'], 'teh')).toEqual([]);
    expect(await texts(index, ['a'], 'friday')).toEqual([]);
    const del = await append(store, draft('a', '', { change: 'delete', target: { id: typo.id, seq: typo.seq } }));
    await store.applyChange(del);
    expect(await texts(index, ['a'], 'plan')).toEqual(['another plan']);
    expect(await texts(index, ['a'], 'monday')).toEqual([]);
  });

  it('forgets what the store no longer keeps', async () => {
    const store = new MemoryHistoryStore(5);
    const index = new SearchIndex({ history: store, retention: 5 });
    for (let i = 1; i <= 5; i++) await append(store, draft('a', `item ${i}`));
    expect(await texts(index, ['a'], 'item')).toHaveLength(5);
    for (let i = 6; i <= 8; i++) await append(store, draft('a', `item ${i}`));
    expect(await texts(index, ['a'], 'item')).toEqual(['item 8', 'item 7', 'item 6', 'item 5', 'item 4']);
  });

  it('finds Japanese text by any part of a run', async () => {
    const store = new MemoryHistoryStore(10);
    await append(store, draft('a', '明日は東京都に行きます'));
    await append(store, draft('a', '京都は雨です'));
    const index = new SearchIndex({ history: store, retention: 10 });
    expect(await texts(index, ['a'], '京都')).toEqual(['京都は雨です', '明日は東京都に行きます']);
    expect(await texts(index, ['a'], '東京都')).toEqual(['明日は東京都に行きます']);
    expect(await texts(index, ['a'], '雨')).toEqual(['京都は雨です']);
    const [hit] = (await index.search(['a'], '行き', 5)).hits;
    expect(hit!.ranges).toEqual([[7, 9]]);
  });
});

describe('search index on a store that hands out copies (as Redis and the durable store do)', () => {
  it('applies edit and delete entries to its own copies', async () => {
    const store = new CopyingStore(100);
    const index = new SearchIndex({ history: store, retention: 100 });
    const m = store.add('a', 'old words');
    store.add('a', 'other words');
    expect(await texts(index, ['a'], 'words')).toEqual(['other words', 'old words']);
    store.edit(m, 'new text');
    const hits = (await index.search(['a'], 'new', 5)).hits;
    expect(hits.map((h) => h.message)).toEqual([expect.objectContaining({ id: m.id, message: 'new text', edited: expect.any(Number) })]);
    expect(await texts(index, ['a'], 'old')).toEqual([]);
    store.remove(m);
    expect(await texts(index, ['a'], 'new')).toEqual([]);
    expect(await texts(index, ['a'], 'words')).toEqual(['other words']);
  });

  it('a conversation read cold gets the latest text, whatever edit entries it holds', async () => {
    const store = new CopyingStore(100);
    const m = store.add('a', 'first');
    store.edit(m, 'second');
    store.edit(m, 'third');
    const index = new SearchIndex({ history: store, retention: 100 });
    expect(await texts(index, ['a'], 'first')).toEqual([]);
    expect(await texts(index, ['a'], 'second')).toEqual([]);
    expect(await texts(index, ['a'], 'third')).toEqual(['third']);
  });

  it('rebuilds a conversation whose oldest messages went by age, or whose log was re-created', async () => {
    const store = new CopyingStore(100);
    const index = new SearchIndex({ history: store, retention: 100 });
    for (let i = 1; i <= 6; i++) store.add('a', `entry ${i}`);
    expect(await texts(index, ['a'], 'entry')).toHaveLength(6);
    store.sweep('a', 2);
    // Checked every PROBE_EVERY_MS: until then the swept messages may still be found.
    vi.setSystemTime(Date.now() + PROBE_EVERY_MS);
    expect(await texts(index, ['a'], 'entry')).toEqual(['entry 6', 'entry 5', 'entry 4', 'entry 3']);
    store.recreate('a');
    store.add('a', 'entry anew');
    expect(await texts(index, ['a'], 'entry')).toEqual(['entry anew']);
  });

  it('reads a long window in pages, and follows it as it slides far past its first position', async () => {
    const store = new CopyingStore(1200);
    const index = new SearchIndex({ history: store, retention: 1200 });
    for (let i = 1; i <= 1200; i++) store.add('a', i % 100 === 0 ? `rare ${i}` : `common ${i}`);
    expect(await texts(index, ['a'], 'rare', 50)).toHaveLength(12);
    // Several times the window: the index drops the old slots and compacts on the way.
    for (let round = 0; round < 5; round++) {
      for (let i = 1; i <= 1000; i++) store.add('a', i % 250 === 0 ? `rare later ${round}-${i}` : `common ${i}`);
      await index.search(['a'], 'common', 1);
    }
    const rare = await texts(index, ['a'], 'rare', 50);
    expect(rare).toEqual(['rare later 4-1000', 'rare later 4-750', 'rare later 4-500', 'rare later 4-250', 'rare later 3-1000']);
    expect(index.stats().messages).toBe(1200);
  });

  it('shares one sync between searches made at the same time', async () => {
    const store = new CopyingStore(100);
    for (let i = 1; i <= 10; i++) store.add('a', `same ${i}`);
    const index = new SearchIndex({ history: store, retention: 100 });
    const results = await Promise.all(Array.from({ length: 5 }, () => index.search(['a'], 'same', 50)));
    for (const r of results) expect(r.hits).toHaveLength(10);
    // One read of the window, then at most one more sync queued behind it (read + probe).
    expect(store.pages).toBeLessThanOrEqual(3);
    expect(index.stats().messages).toBe(10);
  });

  it('keeps at most maxDocs messages indexed, forgetting the least recently searched conversation', async () => {
    const store = new CopyingStore(100);
    for (const room of ['a', 'b', 'c']) for (let i = 1; i <= 10; i++) store.add(room, `${room} text ${i}`);
    const index = new SearchIndex({ history: store, retention: 100, maxDocs: 20 });
    await index.search(['a'], 'text', 1);
    await index.search(['b'], 'text', 1);
    expect(index.stats()).toEqual({ conversations: 2, messages: 20 });
    await index.search(['c'], 'text', 1);
    expect(index.stats()).toEqual({ conversations: 2, messages: 20 });
    // "a" went; searched again, it is read again.
    expect(await texts(index, ['a'], 'text', 1)).toEqual(['a text 10']);
    expect(index.stats().conversations).toBe(2);
    // One search over more than the bound still answers (its own conversations are kept).
    expect((await index.search(['a', 'b', 'c'], 'text', 50)).hits).toHaveLength(30);
  });

  it('finds nothing, and reads nothing, on a relay that keeps no history', async () => {
    const store = new CopyingStore(0);
    store.add('a', 'gone at once');
    const index = new SearchIndex({ history: store, retention: 0 });
    expect(await texts(index, ['a'], 'gone')).toEqual([]);
    expect(store.pages).toBe(0);
  });

  it('never finds change entries or deleted messages, even by the words of an edit', async () => {
    const store = new CopyingStore(100);
    const index = new SearchIndex({ history: store, retention: 100 });
    const m = store.add('a', 'original');
    store.edit(m, 'changed once');
    store.remove(m);
    expect(await texts(index, ['a'], 'changed')).toEqual([]);
    expect(await texts(index, ['a'], 'original')).toEqual([]);
  });
});

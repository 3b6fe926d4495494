/** In-memory history: seq assignment, idempotent retries, trimming and paging. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryHistoryStore } from '../../../server/stores/memory-history';
import type { MessageDraft } from '../../../server/stores/types';
import { seqBase } from '../../../server/ids';

const T0 = 1_700_000_000_000;

function draft(message: string, extra: Partial<MessageDraft> = {}): MessageDraft {
  return { room: 'lobby', userId: 'user-ana', username: 'ana', message, ...extra };
}

/** Appends `n` messages "m1".."mn" and returns their seqs. */
async function fill(store: MemoryHistoryStore, n: number, room = 'lobby'): Promise<number[]> {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) out.push((await store.append(draft(`m${i}`, { room }))).message.seq);
  return out;
}

beforeEach(() => {
  // Seqs start from the clock: freeze it so they are predictable.
  vi.useFakeTimers({ now: T0, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('MemoryHistoryStore.append', () => {
  it('stores the message with server-assigned id, seq, ts, room and userId', async () => {
    const store = new MemoryHistoryStore(10);
    const { message, duplicate } = await store.append(draft('hello'));
    expect(duplicate).toBe(false);
    expect(message).toEqual({
      username: 'ana',
      message: 'hello',
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/), // ULID
      seq: seqBase(T0) + 1,
      ts: T0,
      room: 'lobby',
      userId: 'user-ana',
    });
    expect(message).not.toHaveProperty('clientId');
  });

  it('starts seqs just above the clock-based base, not at 1', async () => {
    const store = new MemoryHistoryStore(10);
    const [first] = await fill(store, 1);
    expect(first).toBe(T0 * 1000 + 1);
  });

  it('assigns contiguous, increasing seqs per room', async () => {
    const store = new MemoryHistoryStore(10);
    const seqs = await fill(store, 5);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
  });

  it('numbers each room independently', async () => {
    const store = new MemoryHistoryStore(10);
    const [a1] = await fill(store, 1, 'a');
    await fill(store, 3, 'b');
    const [a2] = await fill(store, 1, 'a');
    expect(a2).toBe(a1! + 1);
  });

  it('a room first written later starts from a later base', async () => {
    const store = new MemoryHistoryStore(10);
    const [a] = await fill(store, 1, 'a');
    vi.setSystemTime(T0 + 5);
    const [b] = await fill(store, 1, 'b');
    expect(b).toBe(seqBase(T0 + 5) + 1);
    expect(b).toBeGreaterThan(a!);
  });

  it('gives every message a distinct id, sortable in creation order', async () => {
    const store = new MemoryHistoryStore(10);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await store.append(draft(`m${i}`))).message.id);
    expect(new Set(ids).size).toBe(5);
    expect([...ids].sort()).toEqual(ids);
  });

  it('echoes clientId', async () => {
    const store = new MemoryHistoryStore(10);
    const { message } = await store.append(draft('hi', { clientId: 'client-0001' }));
    expect(message.clientId).toBe('client-0001');
  });
});

describe('MemoryHistoryStore idempotency', () => {
  it('a retry with the same (userId, clientId) returns the stored message and stores nothing', async () => {
    const store = new MemoryHistoryStore(10);
    const first = await store.append(draft('hi', { clientId: 'client-0001' }));
    const retry = await store.append(draft('hi', { clientId: 'client-0001' }));
    expect(retry.duplicate).toBe(true);
    expect(retry.message).toEqual(first.message);
    const page = await store.page('lobby', { limit: 10 });
    expect(page.messages).toHaveLength(1);
    expect(page.lastSeq).toBe(first.message.seq);
  });

  it('a retry returns the original even when the text differs', async () => {
    // The key identifies the message; a retry is by definition the same message.
    const store = new MemoryHistoryStore(10);
    await store.append(draft('original', { clientId: 'client-0001' }));
    const retry = await store.append(draft('changed', { clientId: 'client-0001' }));
    expect(retry).toMatchObject({ duplicate: true, message: { message: 'original' } });
  });

  it('the same clientId from another user is a different message', async () => {
    const store = new MemoryHistoryStore(10);
    const ana = await store.append(draft('hi', { clientId: 'client-0001' }));
    const bob = await store.append(draft('hi', { clientId: 'client-0001', userId: 'user-bob', username: 'bob' }));
    expect(bob.duplicate).toBe(false);
    expect(bob.message.seq).toBe(ana.message.seq + 1);
    expect(bob.message.userId).toBe('user-bob');
  });

  it('different clientIds of one user are different messages', async () => {
    const store = new MemoryHistoryStore(10);
    await store.append(draft('a', { clientId: 'client-0001' }));
    const b = await store.append(draft('b', { clientId: 'client-0002' }));
    expect(b.duplicate).toBe(false);
  });

  it('messages without clientId are never deduplicated', async () => {
    const store = new MemoryHistoryStore(10);
    await store.append(draft('same'));
    const again = await store.append(draft('same'));
    expect(again.duplicate).toBe(false);
    expect((await store.page('lobby', { limit: 10 })).messages).toHaveLength(2);
  });

  it('recognises a retry even after the original was trimmed from the history', async () => {
    const store = new MemoryHistoryStore(2);
    const first = await store.append(draft('hi', { clientId: 'client-0001' }));
    await fill(store, 5);
    const retry = await store.append(draft('hi', { clientId: 'client-0001' }));
    expect(retry).toEqual({ message: first.message, duplicate: true });
  });

  it('remembers as many idempotency keys as the history window holds (at least 100), not more', async () => {
    for (const [limit, window] of [[10, 100], [300, 300]] as const) {
      const store = new MemoryHistoryStore(limit);
      const first = await store.append(draft('first', { clientId: 'client-first' }));
      for (let i = 0; i < window - 1; i++) await store.append(draft(`m${i}`, { clientId: `client-${String(i).padStart(4, '0')}` }));
      expect((await store.append(draft('first', { clientId: 'client-first' }))).message.seq).toBe(first.message.seq);
      await store.append(draft('one more', { clientId: 'client-more' }));
      // Forgotten now: a retry this late is stored again (it has left any history window by then).
      expect((await store.append(draft('first', { clientId: 'client-first' }))).duplicate).toBe(false);
    }
  });
});

describe('MemoryHistoryStore trimming', () => {
  it('keeps only the newest `limit` messages', async () => {
    const store = new MemoryHistoryStore(3);
    const seqs = await fill(store, 7);
    const page = await store.page('lobby', { limit: 100 });
    expect(page.messages.map((m) => m.message)).toEqual(['m5', 'm6', 'm7']);
    expect(page.messages.map((m) => m.seq)).toEqual(seqs.slice(4));
    expect(page.lastSeq).toBe(seqs[6]);
    expect(page.hasMore).toBe(false); // nothing older is kept
  });

  it('limit 0 stores nothing but still advances seq', async () => {
    const store = new MemoryHistoryStore(0);
    const seqs = await fill(store, 3);
    expect(seqs[2]).toBe(seqs[0]! + 2);
    const page = await store.page('lobby', { limit: 100 });
    expect(page.messages).toEqual([]);
    expect(page.lastSeq).toBe(seqs[2]);
    expect(page.hasMore).toBe(false);
  });

  it('with limit 0 a catch-up from an older seq reports the gap', async () => {
    const store = new MemoryHistoryStore(0);
    const seqs = await fill(store, 3);
    const page = await store.page('lobby', { afterSeq: seqs[0]!, limit: 100 });
    expect(page).toMatchObject({ messages: [], gap: true });
  });
});

describe('MemoryHistoryStore.page', () => {
  it('returns an empty page with lastSeq 0 for an unknown room', async () => {
    const store = new MemoryHistoryStore(10);
    await fill(store, 2, 'other');
    expect(await store.page('nowhere', { limit: 10 })).toEqual({ room: 'nowhere', messages: [], lastSeq: 0, hasMore: false, gap: false });
  });

  it('returns the newest `limit` messages, oldest first', async () => {
    const store = new MemoryHistoryStore(10);
    const seqs = await fill(store, 6);
    const page = await store.page('lobby', { limit: 2 });
    expect(page.room).toBe('lobby');
    expect(page.messages.map((m) => m.message)).toEqual(['m5', 'm6']);
    expect(page.lastSeq).toBe(seqs[5]);
    expect(page).toMatchObject({ hasMore: true, gap: false });
  });

  it('afterSeq returns only newer messages', async () => {
    const store = new MemoryHistoryStore(10);
    const seqs = await fill(store, 6);
    const page = await store.page('lobby', { afterSeq: seqs[3]!, limit: 10 });
    expect(page.messages.map((m) => m.message)).toEqual(['m5', 'm6']);
    expect(page).toMatchObject({ hasMore: false, gap: false });
  });

  it('afterSeq = lastSeq returns nothing, without a gap', async () => {
    const store = new MemoryHistoryStore(10);
    const seqs = await fill(store, 3);
    const page = await store.page('lobby', { afterSeq: seqs[2]!, limit: 10 });
    expect(page).toMatchObject({ messages: [], gap: false, lastSeq: seqs[2] });
  });

  it('beforeSeq scrolls back', async () => {
    const store = new MemoryHistoryStore(10);
    const seqs = await fill(store, 6);
    const page = await store.page('lobby', { beforeSeq: seqs[4]!, limit: 2 });
    expect(page.messages.map((m) => m.message)).toEqual(['m3', 'm4']);
    expect(page.hasMore).toBe(true);
    const older = await store.page('lobby', { beforeSeq: page.messages[0]!.seq, limit: 2 });
    expect(older.messages.map((m) => m.message)).toEqual(['m1', 'm2']);
    expect(older.hasMore).toBe(false);
  });

  it('reports a gap when a catch-up cursor is older than what is kept', async () => {
    const store = new MemoryHistoryStore(3);
    const seqs = await fill(store, 6);
    const page = await store.page('lobby', { afterSeq: seqs[0]!, limit: 10 });
    expect(page.messages.map((m) => m.message)).toEqual(['m4', 'm5', 'm6']);
    expect(page.gap).toBe(true);
  });

  it('a cursor beyond lastSeq (history reset) gives the newest page with a gap', async () => {
    const store = new MemoryHistoryStore(10);
    const seqs = await fill(store, 4);
    const page = await store.page('lobby', { afterSeq: seqs[3]! + 1000, limit: 3 });
    expect(page.messages.map((m) => m.message)).toEqual(['m2', 'm3', 'm4']);
    expect(page).toMatchObject({ gap: true, hasMore: true, lastSeq: seqs[3] });
  });

  it('a client holding a seq from before a restart still receives the new relay’s messages', async () => {
    // Seqs come from the clock, so a later relay's seqs are above everything an earlier one assigned.
    const before = new MemoryHistoryStore(10);
    const [old] = await fill(before, 3);
    vi.setSystemTime(T0 + 60_000);
    const after = new MemoryHistoryStore(10);
    await fill(after, 2);
    const page = await after.page('lobby', { afterSeq: old! + 2, limit: 10 });
    expect(page.messages.map((m) => m.message)).toEqual(['m1', 'm2']);
  });

  it('returns messages of the requested room only', async () => {
    const store = new MemoryHistoryStore(10);
    await fill(store, 2, 'a');
    await fill(store, 3, 'b');
    const page = await store.page('a', { limit: 10 });
    expect(page.messages).toHaveLength(2);
    expect(page.messages.every((m) => m.room === 'a')).toBe(true);
  });
});

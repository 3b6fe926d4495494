/**
 * HistoryStore conformance: seq assignment and the page contract ("the newest `limit` messages
 * inside (afterSeq, beforeSeq), oldest first", with hasMore and gap), held by memory and Redis alike.
 */
import { describe, expect, it } from 'vitest';
import { dmRoomId } from '../../../../protocol/index';
import { seqBase } from '../../../../server/ids';
import type { HistoryStore } from '../../../../server/stores/types';
import { draft, LOBBY, useBackends } from './backends';

const backends = useBackends();

/** Appends "m1".."mn" to a room, one after the other, and returns their seqs. */
async function fill(history: HistoryStore, n: number, room = LOBBY): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 1; i <= n; i++) seqs.push((await history.append(draft(`m${i}`, { room }))).message.seq);
  return seqs;
}

const texts = (page: { messages: { message: string }[] }) => page.messages.map((m) => m.message);

describe.each(backends)('HistoryStore.append ($kind)', (backend) => {
  it('stores the draft with a server-assigned id, seq and ts, and pages return that stored copy', async () => {
    const { history } = await backend.stores();
    const before = Date.now();
    const plain = await history.append(draft('hello'));
    const keyed = await history.append(draft('again', { clientId: 'client-0001' }));
    expect(plain.duplicate).toBe(false);
    expect(plain.message).toEqual({
      username: 'ana',
      message: 'hello',
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/), // ULID
      seq: expect.any(Number),
      ts: expect.any(Number),
      room: LOBBY,
      userId: 'user-ana',
    });
    expect(plain.message).not.toHaveProperty('clientId');
    expect(keyed.message.clientId).toBe('client-0001');
    expect(plain.message.ts).toBeGreaterThanOrEqual(before);
    // What history hands back is exactly what the sender was acknowledged with (Redis: a JSON round trip).
    expect((await history.page(LOBBY, { limit: 10 })).messages).toEqual([plain.message, keyed.message]);
  });

  it('starts a conversation’s seqs from the clock-derived base, not from 1', async () => {
    const { history } = await backend.stores();
    const before = seqBase();
    const [first] = await fill(history, 1);
    expect(first).toBeGreaterThan(before);
    expect(first).toBeLessThanOrEqual(seqBase() + 1);
  });

  it('numbers each conversation on its own, by one, without reuse', async () => {
    const { history } = await backend.stores();
    const seqs: Record<string, number[]> = { a: [], b: [], [dmRoomId('ana-0123456789abcdef', 'bob-0123456789abcdef')]: [] };
    // Interleaved, so a shared counter would show as holes.
    for (let i = 0; i < 4; i++) {
      for (const room of Object.keys(seqs)) seqs[room]!.push((await history.append(draft(`${room}${i}`, { room }))).message.seq);
    }
    for (const [room, list] of Object.entries(seqs)) {
      for (let i = 1; i < list.length; i++) expect(list[i]).toBe(list[i - 1]! + 1);
      expect((await history.page(room, { limit: 10 })).lastSeq).toBe(list.at(-1));
    }
  });

  it('gives concurrent appends contiguous seqs in call order, and distinct, sortable ids', async () => {
    const { history } = await backend.stores();
    // Issued in one turn without awaiting: the Redis store must put them on the wire in this order.
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => history.append(draft(`c${i}`))));
    const seqs = results.map((r) => r.message.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
    const ids = results.map((r) => r.message.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(texts(await history.page(LOBBY, { limit: 100 }))).toEqual(results.map((r) => r.message.message));
  });

  it('never calls onDeferred while the store can write', async () => {
    const { history } = await backend.stores();
    const deferred: unknown[] = [];
    const { message } = await history.append(draft('now'), (m) => deferred.push(m));
    expect(deferred).toEqual([]);
    expect(message.seq).toBeGreaterThan(0); // 0 would be a provisional copy
  });
});

describe.each(backends)('HistoryStore.page ($kind)', (backend) => {
  it('answers a conversation nobody wrote to with an empty page and lastSeq 0', async () => {
    const { history } = await backend.stores();
    await fill(history, 2, 'other');
    expect(await history.page('nowhere', { limit: 10 })).toEqual({ room: 'nowhere', messages: [], lastSeq: 0, hasMore: false, gap: false });
    // Reading does not create it: its first message still starts from the clock.
    const before = seqBase();
    const [first] = await fill(history, 1, 'nowhere');
    expect(first).toBeGreaterThan(before);
  });

  it('returns the newest `limit` messages, oldest first, with hasMore while older ones are kept', async () => {
    const { history } = await backend.stores();
    const seqs = await fill(history, 6);
    const page = await history.page(LOBBY, { limit: 2 });
    expect(texts(page)).toEqual(['m5', 'm6']);
    expect(page).toMatchObject({ room: LOBBY, lastSeq: seqs[5], hasMore: true, gap: false });
    expect(await history.page(LOBBY, { limit: 6 })).toMatchObject({ hasMore: false });
  });

  it('afterSeq: messages after the cursor, the newest `limit` of them; the rest by beforeSeq', async () => {
    const { history } = await backend.stores();
    const s = await fill(history, 6);
    expect(await history.page(LOBBY, { afterSeq: s[3]!, limit: 10 })).toMatchObject({ hasMore: false, gap: false });
    expect(texts(await history.page(LOBBY, { afterSeq: s[3]!, limit: 10 }))).toEqual(['m5', 'm6']);
    // A catch-up longer than one page: newest first, then back down to the cursor.
    const newest = await history.page(LOBBY, { afterSeq: s[0]!, limit: 2 });
    expect(texts(newest)).toEqual(['m5', 'm6']);
    expect(newest).toMatchObject({ hasMore: true, gap: false });
    const middle = await history.page(LOBBY, { afterSeq: s[0]!, beforeSeq: newest.messages[0]!.seq, limit: 2 });
    expect(texts(middle)).toEqual(['m3', 'm4']);
    expect(middle.hasMore).toBe(true);
    const last = await history.page(LOBBY, { afterSeq: s[0]!, beforeSeq: middle.messages[0]!.seq, limit: 2 });
    expect(texts(last)).toEqual(['m2']);
    expect(last).toMatchObject({ hasMore: false, gap: false });
  });

  it('afterSeq = lastSeq: nothing new, no gap', async () => {
    const { history } = await backend.stores();
    const s = await fill(history, 3);
    expect(await history.page(LOBBY, { afterSeq: s[2]!, limit: 10 })).toEqual({ room: LOBBY, messages: [], lastSeq: s[2], hasMore: false, gap: false });
  });

  it('beforeSeq scrolls back, both bounds exclusive, until hasMore is false', async () => {
    const { history } = await backend.stores();
    const s = await fill(history, 6);
    const page = await history.page(LOBBY, { beforeSeq: s[4]!, limit: 2 });
    expect(texts(page)).toEqual(['m3', 'm4']);
    expect(page).toMatchObject({ hasMore: true, lastSeq: s[5] });
    const older = await history.page(LOBBY, { beforeSeq: page.messages[0]!.seq, limit: 2 });
    expect(texts(older)).toEqual(['m1', 'm2']);
    expect(older.hasMore).toBe(false);
    expect(texts(await history.page(LOBBY, { afterSeq: s[1]!, beforeSeq: s[4]!, limit: 10 }))).toEqual(['m3', 'm4']);
    expect(texts(await history.page(LOBBY, { afterSeq: s[2]!, beforeSeq: s[3]!, limit: 10 }))).toEqual([]);
  });

  it('a cursor beyond lastSeq (history was reset) gives the newest page and a gap', async () => {
    const { history } = await backend.stores();
    const s = await fill(history, 4);
    const page = await history.page(LOBBY, { afterSeq: s[3]! + 1000, limit: 3 });
    expect(texts(page)).toEqual(['m2', 'm3', 'm4']);
    expect(page).toMatchObject({ gap: true, hasMore: true, lastSeq: s[3] });
    // The same in a conversation the store has never seen.
    expect(await history.page('gone', { afterSeq: s[3]!, limit: 3 })).toMatchObject({ messages: [], lastSeq: 0, gap: true });
  });

  it('returns messages of the requested conversation only', async () => {
    const { history } = await backend.stores();
    await fill(history, 2, 'a');
    await fill(history, 3, 'b');
    const page = await history.page('a', { limit: 10 });
    expect(page.messages).toHaveLength(2);
    expect(page.messages.every((m) => m.room === 'a')).toBe(true);
  });
});

describe.each(backends)('HistoryStore trimming ($kind)', (backend) => {
  it('keeps the newest historyLimit messages; nothing older is "more"', async () => {
    const { history } = await backend.stores({ historyLimit: 3 });
    const s = await fill(history, 7);
    const page = await history.page(LOBBY, { limit: 100 });
    expect(texts(page)).toEqual(['m5', 'm6', 'm7']);
    expect(page.messages.map((m) => m.seq)).toEqual(s.slice(4));
    expect(page).toMatchObject({ lastSeq: s[6], hasMore: false, gap: false });
    expect(await history.page(LOBBY, { beforeSeq: s[4]!, limit: 10 })).toMatchObject({ messages: [], hasMore: false });
  });

  it('reports a gap only when the cursor is older than what is kept', async () => {
    const { history } = await backend.stores({ historyLimit: 3 });
    const s = await fill(history, 6);
    const missed = await history.page(LOBBY, { afterSeq: s[0]!, limit: 10 });
    expect(texts(missed)).toEqual(['m4', 'm5', 'm6']);
    expect(missed.gap).toBe(true);
    // The cursor just before the oldest kept message missed nothing.
    expect(await history.page(LOBBY, { afterSeq: s[2]!, limit: 10 })).toMatchObject({ gap: false, hasMore: false });
    // A page cut short by `limit` is not a gap: the rest is still there (hasMore).
    expect(await history.page(LOBBY, { afterSeq: s[2]!, limit: 1 })).toMatchObject({ gap: false, hasMore: true });
  });

  it('historyLimit 0 keeps nothing, still advances seq, and reports a catch-up as a gap', async () => {
    const { history } = await backend.stores({ historyLimit: 0 });
    const s = await fill(history, 3);
    expect(s[2]).toBe(s[0]! + 2);
    expect(await history.page(LOBBY, { limit: 100 })).toEqual({ room: LOBBY, messages: [], lastSeq: s[2], hasMore: false, gap: false });
    expect(await history.page(LOBBY, { afterSeq: s[0]!, limit: 100 })).toMatchObject({ messages: [], gap: true });
    expect(await history.page(LOBBY, { afterSeq: s[2]!, limit: 100 })).toMatchObject({ messages: [], gap: false });
  });
});

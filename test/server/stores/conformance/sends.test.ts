/**
 * Idempotent sends and the rate-limited submit, held by memory and Redis alike: "idempotent per
 * (userId, clientId)" (HistoryStore.append), and "one token from the user's message bucket, then
 * the append, or a refusal that stores nothing" (SubmitMessage). Where the backends legitimately
 * differ (how long a key is remembered, whether a retry is charged) each one's documented
 * behaviour is asserted by name.
 */
import { describe, expect, it } from 'vitest';
import type { RateRefusal } from '../../../../server/stores/types';
import { draft, LOBBY, useBackends } from './backends';

const backends = useBackends();

describe.each(backends)('idempotent append ($kind)', (backend) => {
  it('a retry with the same (userId, clientId) returns the stored copy, duplicate, and stores nothing', async () => {
    const { history } = await backend.stores();
    const first = await history.append(draft('original', { clientId: 'client-0001' }));
    // A retry is the same message by definition, whatever text it carries now.
    const retry = await history.append(draft('changed', { clientId: 'client-0001' }));
    expect(retry).toEqual({ message: first.message, duplicate: true });
    const page = await history.page(LOBBY, { limit: 10 });
    expect(page.messages).toEqual([first.message]);
    expect(page.lastSeq).toBe(first.message.seq);
  });

  it('retries racing the original (issued in one turn) still store once', async () => {
    const { history } = await backend.stores();
    const results = await Promise.all([1, 2, 3].map(() => history.append(draft('hi', { clientId: 'client-race' }))));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    for (const r of results) expect(r.message).toEqual(results[0]!.message);
    expect((await history.page(LOBBY, { limit: 10 })).messages).toHaveLength(1);
  });

  it('keys on the user: another user’s same clientId, or another clientId, is a new message', async () => {
    const { history } = await backend.stores();
    const ana = await history.append(draft('hi', { clientId: 'client-0001' }));
    const bob = await history.append(draft('hi', { clientId: 'client-0001', userId: 'user-bob', username: 'bob' }));
    const other = await history.append(draft('hi', { clientId: 'client-0002' }));
    expect([bob.duplicate, other.duplicate]).toEqual([false, false]);
    expect([bob.message.seq, other.message.seq]).toEqual([ana.message.seq + 1, ana.message.seq + 2]);
  });

  it('never deduplicates messages without a clientId', async () => {
    const { history } = await backend.stores();
    await history.append(draft('same'));
    expect((await history.append(draft('same'))).duplicate).toBe(false);
    expect((await history.page(LOBBY, { limit: 10 })).messages).toHaveLength(2);
  });

  it('recognises a retry after the original was trimmed from history', async () => {
    const { history } = await backend.stores({ historyLimit: 2 });
    const first = await history.append(draft('hi', { clientId: 'client-0001' }));
    for (let i = 0; i < 5; i++) await history.append(draft(`later ${i}`));
    expect(await history.append(draft('hi', { clientId: 'client-0001' }))).toEqual({ message: first.message, duplicate: true });
  });

  it('still recognises retries when the relay keeps no history', async () => {
    // Memory keeps at least 100 keys whatever the window; Redis keys do not depend on it.
    const { history } = await backend.stores({ historyLimit: 0 });
    const first = await history.append(draft('hi', { clientId: 'client-0001' }));
    expect(await history.append(draft('hi', { clientId: 'client-0001' }))).toEqual({ message: first.message, duplicate: true });
    expect((await history.page(LOBBY, { limit: 10 })).lastSeq).toBe(first.message.seq);
  });

  it('how long a key is remembered: memory, max(historyLimit, 100) keys per conversation; durable and Redis, 24 hours', async () => {
    // docs/reliability.md ("Idempotency records"): memory bounds its keys by the history window;
    // Redis keeps one key per message for 24 h whatever the window, and so does the durable store (a
    // record per message on disk), so an outbox resending after an app restart is still answered
    // with the stored copy.
    const { history } = await backend.stores({ historyLimit: 10 });
    const first = await history.append(draft('first', { clientId: 'client-first' }));
    for (let i = 0; i < 100; i++) await history.append(draft(`m${i}`, { clientId: `client-${String(i).padStart(4, '0')}` }));
    const late = await history.append(draft('first', { clientId: 'client-first' }));
    if (backend.kind === 'memory') {
      expect(late.duplicate).toBe(false);
      expect(late.message.seq).toBeGreaterThan(first.message.seq);
    } else {
      expect(late).toEqual({ message: first.message, duplicate: true });
    }
  });

  // The contract (HistoryStore.append, AppendResult, docs/protocol.md "Idempotent sends") is per
  // (userId, clientId) across conversations: Redis keeps one `d:<userId>/<clientId>` key, memory one
  // index over its per-conversation windows (it kept them per conversation before this test).
  it('is idempotent per (userId, clientId) across conversations', async () => {
    const { history } = await backend.stores();
    const first = await history.append(draft('hi', { room: 'a', clientId: 'client-0001' }));
    const again = await history.append(draft('hi', { room: 'b', clientId: 'client-0001' }));
    expect(again).toEqual({ message: first.message, duplicate: true });
    expect((await history.page('b', { limit: 10 })).lastSeq).toBe(0);
  });
});

describe.each(backends)('submit ($kind)', (backend) => {
  const tight = { capacity: 2, perSecond: 0.001 }; // no refill within a test

  it('appends under the append contract while the sender has tokens', async () => {
    const stores = await backend.stores();
    const r = await stores.submit('user-ana', draft('hi', { clientId: 'client-0001' }));
    expect(r.message).toMatchObject({ message: 'hi', clientId: 'client-0001' });
    expect(await stores.submit('user-ana', draft('hi', { clientId: 'client-0001' }))).toEqual({ message: r.message, duplicate: true });
    expect((await stores.history.page(LOBBY, { limit: 10 })).messages).toEqual([r.message]);
  });

  it('refuses once the sender’s bucket is empty, storing nothing, with a positive retryAfterMs', async () => {
    const stores = await backend.stores({ userMessages: tight });
    const ok = [await stores.submit('user-ana', draft('one')), await stores.submit('user-ana', draft('two'))];
    expect(ok.every((r) => r.message !== undefined)).toBe(true);
    const refused = (await stores.submit('user-ana', draft('three', { clientId: 'client-0003' }))) as RateRefusal;
    expect(refused.message).toBeUndefined();
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    const page = await stores.history.page(LOBBY, { limit: 10 });
    expect(page.messages.map((m) => m.message)).toEqual(['one', 'two']);
    // Nothing was stored, so nothing was remembered either: the key is still free.
    expect((await stores.history.append(draft('three', { clientId: 'client-0003' }))).duplicate).toBe(false);
  });

  it('charges each limit key on its own', async () => {
    const stores = await backend.stores({ userMessages: tight });
    await stores.submit('user-ana', draft('one'));
    await stores.submit('user-ana', draft('two'));
    expect((await stores.submit('user-ana', draft('three'))).message).toBeUndefined();
    const bob = await stores.submit('user-bob', draft('hi', { userId: 'user-bob', username: 'bob' }));
    expect(bob.message?.message).toBe('hi');
  });

  it('a retry of a stored message: Redis answers it free of charge, memory and durable charge it like any message', async () => {
    // Redis: the SUBMIT script looks the key up before taking a token (history-lua.ts: "a duplicate
    // is answered without charging the bucket"). Memory: submitLocally takes the token first, as the
    // SubmitMessage doc reads ("one token ..., then the append"), so with an empty bucket the retry
    // is refused and the client retries after retryAfterMs, then gets the duplicate.
    const stores = await backend.stores({ userMessages: { capacity: 1, perSecond: 0.001 } });
    const first = await stores.submit('user-ana', draft('hi', { clientId: 'client-0001' }));
    expect(first.message).toBeDefined();
    const retry = await stores.submit('user-ana', draft('hi', { clientId: 'client-0001' }));
    if (backend.kind === 'redis') expect(retry).toEqual({ message: first.message, duplicate: true });
    else expect(retry).toEqual({ retryAfterMs: expect.any(Number) });
    // Either way the bucket is empty for a new message, and the retry stored nothing.
    expect((await stores.submit('user-ana', draft('new'))).message).toBeUndefined();
    expect((await stores.history.page(LOBBY, { limit: 10 })).messages).toEqual([first.message]);
  });
});

/**
 * HistoryPersistence on its own, over an in-memory HistoryCache that counts calls: restoring fills
 * timelines up to the cached cursor without writing anything back, a burst of changes becomes one
 * write per conversation, a left room leaves the cache, and clear stops the writing.
 */
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/index';
import { ClientState } from '../../../renderer/model/client-state';
import { ConversationList } from '../../../renderer/model/conversation-list';
import type { CachedConversation, HistoryCache } from '../../../renderer/model/history-cache';
import { HistoryPersistence } from '../../../renderer/model/history-persistence';
import { MemoryStore } from '../../../renderer/model/storage';

class CountingCache implements HistoryCache {
  readonly limits = { perConversation: 5, total: 100 };
  readonly entries = new Map<string, CachedConversation>();
  readonly calls: string[] = [];
  async load(): Promise<CachedConversation[]> {
    this.calls.push('load');
    return [...this.entries.values()];
  }
  async save(c: CachedConversation): Promise<void> {
    this.calls.push(`save ${c.id}`);
    this.entries.set(c.id, structuredClone(c));
  }
  async remove(id: string): Promise<void> {
    this.calls.push(`remove ${id}`);
    this.entries.delete(id);
  }
  async clear(): Promise<void> {
    this.calls.push('clear');
    this.entries.clear();
  }
}

const msg = (room: string, seq: number): ChatMessage => ({ id: `${room}-${seq}`, seq, ts: 1000 + seq, room, userId: 'u1', username: 'ana', message: `m${seq}` });

function setup(cache: HistoryCache) {
  const state = new ClientState();
  const convs = new ConversationList(state, new MemoryStore(), 'test');
  return { state, convs, persistence: new HistoryPersistence(cache, state, convs) };
}

async function until(pred: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('HistoryPersistence', () => {
  it('restores timelines up to the cached cursor and writes nothing back for them', async () => {
    const cache = new CountingCache();
    cache.entries.set('lobby', { id: 'lobby', kind: 'room', syncedSeq: 12, hasMore: true, messages: [msg('lobby', 10), msg('lobby', 11), msg('lobby', 12)] });
    const { state, convs, persistence } = setup(cache);
    expect(await persistence.restore()).toBe(1);
    const lobby = convs.get('lobby')!;
    expect(lobby.loaded).toBe(true);
    expect(lobby.timeline.syncedSeq).toBe(12);
    expect(lobby.timeline.hasMore).toBe(true);
    expect(lobby.timeline.messageCount).toBe(3);
    state.bump();
    await persistence.flush();
    expect(cache.calls).toEqual(['load']);
  });

  it('leaves out a cached room the user has left meanwhile, and drops it from the cache', async () => {
    const cache = new CountingCache();
    cache.entries.set('gone', { id: 'gone', kind: 'room', syncedSeq: 1, hasMore: false, messages: [msg('gone', 1)] });
    const { convs, persistence } = setup(cache);
    expect(await persistence.restore()).toBe(0);
    expect(convs.has('gone')).toBe(false);
    await persistence.flush();
    expect(cache.calls).toEqual(['load', 'remove gone']);
  });

  it('turns a burst of changes into one write per conversation, newest messages only', async () => {
    const cache = new CountingCache();
    const { state, convs, persistence } = setup(cache);
    await persistence.restore();
    // One synchronous burst: no timer can fire in between, however fast or slow the machine.
    for (let seq = 1; seq <= 30; seq++) {
      convs.ensure('lobby').timeline.add(msg('lobby', seq));
      convs.ensure('side').timeline.add(msg('side', seq));
      state.bump();
    }
    await until(() => cache.calls.length >= 3, 'the write');
    await persistence.flush();
    expect(cache.calls.sort()).toEqual(['load', 'save lobby', 'save side']);
    expect(cache.entries.get('lobby')!.messages.map((m) => m.seq)).toEqual([26, 27, 28, 29, 30]);
    expect(cache.entries.get('lobby')).toMatchObject({ syncedSeq: 30, hasMore: true });
  });

  it('removes a left room from the cache, and writes nothing once cleared', async () => {
    const cache = new CountingCache();
    const { state, convs, persistence } = setup(cache);
    await persistence.restore();
    convs.ensure('side').timeline.add(msg('side', 1));
    state.bump();
    await persistence.flush();
    convs.remove('side');
    state.bump();
    await persistence.flush();
    expect(cache.calls).toEqual(['load', 'save side', 'remove side']);

    convs.ensure('lobby').timeline.add(msg('lobby', 1));
    state.bump();
    await persistence.clear();
    await persistence.flush();
    expect(cache.calls.slice(3)).toEqual(['clear']);
    expect(cache.entries.size).toBe(0);
  });
});

/**
 * Reopening the conversation last open, per server and identity, against real relays: two servers
 * sharing one storage each get their own back; a DM the history cache held shows before connecting
 * and stays; one the relay does not put the user back in falls back to the lobby.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { dmRoomId } from '../../../protocol/index';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { MemoryStore, type KeyValueStore } from '../../../renderer/model/storage';
import { until, useCaches, useRelaysAndClients } from './support';

const fixtures = useRelaysAndClients();
const cacheOf = useCaches(fixtures, 'last-conv-test');

const relayOn = () => fixtures.relay();

function client(url: string, nickname: string, key: string, storage: KeyValueStore, withCache = false): ChatClient {
  const cache = withCache ? cacheOf(url, key) : undefined;
  return fixtures.client({ url, nickname, key, storage, ...(cache ? { cache } : {}) });
}

/** Online, and the first login handled to its end: its last step runs in the microtasks after `status` turns online. */
async function loggedIn(c: ChatClient): Promise<void> {
  await until(() => c.status.value === 'online', 3000, 'online');
  await new Promise((r) => setImmediate(r));
}

describe('the conversation last open', () => {
  it('is reopened per server: two servers, one storage, each gets its own back after login', async () => {
    const [a, b] = [await relayOn(), await relayOn()];
    const storage = new MemoryStore();
    const key = newUserKey();
    const onA = client(a.url, 'ana', key, storage);
    const onB = client(b.url, 'ana', key, storage);
    await onA.start();
    await onB.start();
    await onA.joinRoom('design', true);
    await onB.joinRoom('ops', true);
    await onB.joinRoom('random', true);
    onB.setActive('ops');
    onA.close();
    onB.close();

    // The app starts again: each server opens where the user left it, once logged in.
    const againA = client(a.url, 'ana', key, storage);
    const againB = client(b.url, 'ana', key, storage);
    expect(againA.active.value).toBe('lobby');
    await againA.start();
    await againB.start();
    await until(() => againA.active.value === 'design' && againB.active.value === 'ops', 3000, 'both reopened');
    expect(againA.conversation('design')?.presence.size).toBe(1);

    // Back to the lobby on A (leaving the room there): the next visit to A starts in the lobby.
    await againA.leaveRoom('design');
    againA.close();
    const third = client(a.url, 'ana', key, storage);
    await third.start();
    await loggedIn(third);
    expect(third.active.value).toBe('lobby');
  });

  it('shows a cached DM before connecting and keeps it after login; without that history, the lobby', async () => {
    const relay = await relayOn();
    const storage = new MemoryStore();
    const key = newUserKey();
    const ana = client(relay.url, 'ana', key, storage, true);
    const bob = client(relay.url, 'bob', newUserKey(), new MemoryStore());
    await ana.start();
    await bob.start();
    await until(() => ana.conversation('lobby')!.presence.size === 2, 3000, 'bob is in the lobby');
    ana.openDm({ id: bob.me.value!.userId, username: 'bob' });
    const dm = dmRoomId(ana.me.value!.userId, bob.me.value!.userId);
    ana.send('hi bob');
    await until(() => ana.conversation(dm)!.timeline.syncedSeq > 0, 3000, 'the DM is stored');
    await ana.flushCache();
    ana.close();

    const again = client(relay.url, 'ana', key, storage, true);
    await again.restore();
    expect(again.active.value).toBe(dm);
    expect(again.conversation(dm)?.title).toBe('bob');
    await again.start();
    await loggedIn(again);
    expect(again.active.value).toBe(dm);
    again.close();

    // The same storage without the history cache: the relay is not asked about that DM at login, so
    // the user is not back in it, and the lobby opens.
    const bare = client(relay.url, 'ana', key, storage);
    await bare.start();
    await loggedIn(bare);
    expect(bare.active.value).toBe('lobby');
  });
});

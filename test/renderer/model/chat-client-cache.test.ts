/**
 * The chat model with its history cache (fake-indexeddb) against a real relay: cached history shows
 * before any connection, the login asks only for what came after the cached cursor, an unreachable
 * relay resumes from the cache when asked to, and sign-out clears the cache.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Relay } from '../../../server/index';
import { ChatClient, ConnectFailure } from '../../../renderer/model/chat-client';
import type { HistoryCache } from '../../../renderer/model/history-cache';
import { newUserKey } from '../../../renderer/model/ids';
import { texts, until, useCaches, useRelaysAndClients } from './support';

const fixtures = useRelaysAndClients();
const cacheOf = useCaches(fixtures, 'client-test');

// `from`: the same relay restarted, with the message store it had.
const relayOn = (port = 0, from?: Relay) => fixtures.relay({ port, ...(from ? { stores: from.stores } : {}) });

function client(url: string, nickname: string, key = newUserKey(), cache?: HistoryCache): ChatClient {
  return fixtures.client({ url, nickname, key, ...(cache ? { cache } : {}) });
}

/** The `since` cursors of every login the relay receives. */
function recordLogins(relay: Relay): Record<string, number>[] {
  const seen: Record<string, number>[] = [];
  // onAny: it sees packets before the relay's middleware, which handles them and passes none on.
  relay.io.on('connection', (socket) =>
    socket.onAny((event: string, req: { since?: Record<string, number> }) => {
      if (event === 'add user') seen.push(req.since ?? {});
    }),
  );
  return seen;
}

describe('ChatClient with a history cache', () => {
  it('shows cached history before connecting and logs in with the cached cursor', async () => {
    const relay = await relayOn();
    const key = newUserKey();
    const ana = client(relay.url, 'ana', key, cacheOf(relay.url, key));
    const bob = client(relay.url, 'bob');
    await ana.start();
    await bob.start();
    for (const t of ['one', 'two', 'three']) bob.send(t);
    await until(() => texts(ana).includes('three'), 3000, 'ana receives');
    const cursor = ana.conversation('lobby')!.timeline.syncedSeq;
    await ana.flushCache();
    ana.close();
    bob.send('while ana was away');
    await until(() => texts(bob).includes('while ana was away'), 3000, 'stored');

    const logins = recordLogins(relay);
    const again = client(relay.url, 'ana', key, cacheOf(relay.url, key));
    expect(await again.restore()).toBe(true);
    // Shown from the cache alone: nothing was sent to the relay yet.
    expect(texts(again)).toEqual(['one', 'two', 'three']);
    expect(again.status.value).toBe('connecting');
    expect(logins).toEqual([]);
    expect(again.me.value?.userId).toBe(ana.me.value?.userId);

    expect(await again.start()).toBe('online');
    expect(logins).toEqual([{ lobby: cursor }]);
    await until(() => texts(again).includes('while ana was away'), 3000, 'catch-up');
    expect(texts(again)).toEqual(['one', 'two', 'three', 'while ana was away']);
  });

  it('keeps identities and servers apart', async () => {
    const relay = await relayOn();
    const key = newUserKey();
    const ana = client(relay.url, 'ana', key, cacheOf(relay.url, key));
    await ana.start();
    ana.send('mine only');
    await until(() => texts(ana).includes('mine only'), 3000, 'stored');
    await ana.flushCache();
    const otherKey = newUserKey();
    expect(await client(relay.url, 'cy', otherKey, cacheOf(relay.url, otherKey)).restore()).toBe(false);
    expect(await client('http://127.0.0.1:9', 'ana', key, cacheOf('http://127.0.0.1:9', key)).restore()).toBe(false);
    expect(await client(relay.url, 'ana', key, cacheOf(relay.url, key)).restore()).toBe(true);
  });

  it('resumes from the cache when the relay is down, and catches up once it is back', async () => {
    const first = await relayOn();
    const port = first.port!;
    const key = newUserKey();
    const ana = client(first.url, 'ana', key, cacheOf(first.url, key));
    const bob = client(first.url, 'bob');
    await ana.start();
    await bob.start();
    await until(() => ana.conversation('lobby')!.presence.size === 2, 3000, 'presence');
    ana.openDm(ana.conversation('lobby')!.presence.list().find((u) => u.username === 'bob')!);
    const dmId = ana.active.value;
    ana.send('just between us');
    ana.setActive('lobby');
    ana.send('hello everyone');
    await until(() => texts(ana).includes('hello everyone') && texts(ana, dmId).includes('just between us'), 3000, 'acks');
    await ana.flushCache();
    ana.close();
    bob.close();
    await first.close();

    // Without `resume` an unreachable relay stays a failure, cache or not; without a cache too.
    await expect(client(first.url, 'ana', key, cacheOf(first.url, key)).start()).rejects.toMatchObject({ code: 'UNREACHABLE' });
    const stranger = newUserKey();
    const err = await client(first.url, 'cy', stranger, cacheOf(first.url, stranger)).start({ resume: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectFailure);

    const offline = client(first.url, 'ana', key, cacheOf(first.url, key));
    expect(await offline.start({ resume: true })).toBe('cached');
    expect(offline.status.value).toBe('reconnecting');
    expect(texts(offline)).toEqual(['hello everyone']);
    expect(offline.conversation(dmId)!.title).toBe('bob');
    expect(texts(offline, dmId)).toEqual(['just between us']);

    const second = await relayOn(port, first);
    const cy = client(second.url, 'cy');
    await cy.start();
    cy.send('after the outage');
    await until(() => texts(cy).includes('after the outage'), 3000, 'stored');
    offline.retryNow();
    await until(() => offline.status.value === 'online', 10_000, 'back online');
    await until(() => texts(offline).includes('after the outage'), 3000, 'catch-up');
    expect(texts(offline)).toEqual(['hello everyone', 'after the outage']);
    expect(texts(offline, dmId)).toEqual(['just between us']);
  });

  it('clears the cache on sign-out', async () => {
    const relay = await relayOn();
    const key = newUserKey();
    const ana = client(relay.url, 'ana', key, cacheOf(relay.url, key));
    await ana.start();
    ana.send('to be forgotten');
    await until(() => texts(ana).includes('to be forgotten'), 3000, 'stored');
    await ana.flushCache();
    expect(await cacheOf(relay.url, key).load()).toHaveLength(1);
    await ana.signOut();
    expect(ana.status.value).toBe('closed');
    expect(await cacheOf(relay.url, key).load()).toEqual([]);
  });
});

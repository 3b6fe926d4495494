/**
 * What the ChatClient tests against a real relay share: relays and clients that are closed after each
 * test (clients first, then whatever else a test registered, then the relays), and a polling wait.
 */
import { afterEach } from 'vitest';
import { createRelay, type Relay, type RelayOptions } from '../../../server/index';
import { ChatClient, type ChatClientOptions } from '../../../renderer/model/chat-client';
import { cacheScope } from '../../../renderer/model/history-cache';
import { IdbHistoryCache } from '../../../renderer/model/idb-history-cache';
import { newUserKey } from '../../../renderer/model/ids';

type ClientOptions = Omit<ChatClientOptions, 'key'> & { key?: string };

export function useRelaysAndClients() {
  const relays: Relay[] = [];
  const clients: ChatClient[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const fn of cleanups) await fn();
    await Promise.all(relays.splice(0).map((r) => r.close()));
  });
  return {
    /** A relay on a free loopback port (or `options.port`), fast presence and shutdown for tests. */
    async relay(options: RelayOptions = {}): Promise<Relay> {
      const r = await createRelay({ port: 0, host: '127.0.0.1', shutdownGraceMs: 10, presenceFlushMs: 10, ...options });
      relays.push(r);
      return r;
    },
    /** A client with a new key unless given one, and a short ack timeout. */
    client(options: ClientOptions): ChatClient {
      const c = new ChatClient({ ackTimeoutMs: 2000, ...options, key: options.key ?? newUserKey() });
      clients.push(c);
      return c;
    },
    /** Runs after each test, once the clients are closed and before the relays are. */
    afterClients(fn: () => Promise<void> | void): void {
      cleanups.push(fn);
    },
  };
}

/** A raw request on a client's own connection, answer untyped: for sending what the UI never would. */
export function rawRequest(client: ChatClient): (event: string, payload: unknown) => Promise<{ ok: boolean; code?: string; read?: number; cursors?: { userId: string; read: number }[] }> {
  const relay = (client as unknown as { relay: { request: (event: string, payload: unknown) => Promise<never> } }).relay;
  return (event, payload) => relay.request(event, payload);
}

/** Waits until `pred` holds, polling every 10 ms; fails after `ms`. */
export async function until(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export { held, texts } from '../../helpers/timeline';

/**
 * History caches for these tests (import 'fake-indexeddb/auto' first): each call is a new instance
 * over this test's database, as after a reload; every test gets a database of its own, and the
 * caches are closed after it.
 */
export function useCaches(fixtures: ReturnType<typeof useRelaysAndClients>, name: string): (url: string, key: string) => IdbHistoryCache {
  const open: IdbHistoryCache[] = [];
  let db = 0;
  fixtures.afterClients(async () => {
    for (const c of open.splice(0)) await c.close();
    db++;
  });
  return (url, key) => {
    const cache = new IdbHistoryCache(cacheScope(url, key), { dbName: `${name}-${db}` });
    open.push(cache);
    return cache;
  };
}

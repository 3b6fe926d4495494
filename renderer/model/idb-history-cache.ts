/**
 * The history cache in IndexedDB, through `idb`: a thin promise wrapper (about 1 KB) over the
 * standard API, and all this cache needs (two object stores, one
 * key range). Dexie would do too, at some 25 KB more bundle for query features we do not use.
 *
 * One database for the device: a record per conversation keyed by [scope, conversation id], with its
 * messages in a second store so the per-conversation records stay small enough to read all of them
 * when the total bound is checked. Uses the environment's `indexedDB` (the browser's; in Node tests,
 * fake-indexeddb's), so this file needs no DOM of its own.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ChatMessage } from '../../protocol/index';
import { DEFAULT_CACHE_LIMITS, type CacheLimits, type CachedConversation, type HistoryCache } from './history-cache';

const DB_VERSION = 1;
export const DEFAULT_DB_NAME = 'parley-history';

/** A cached conversation without its messages (they have a record of their own), plus what the bounds need. */
type ConversationRecord = Omit<CachedConversation, 'messages'> & {
  scope: string;
  /** The newest cached message's time: which conversations go first when the total is exceeded. */
  activeAt: number;
  /** Messages in the matching `messages` record, for the total without reading them. */
  count: number;
};

interface MessagesRecord {
  scope: string;
  id: string;
  messages: ChatMessage[];
}

interface CacheSchema extends DBSchema {
  conversations: { key: [string, string]; value: ConversationRecord };
  messages: { key: [string, string]; value: MessagesRecord };
}

type Db = IDBPDatabase<CacheSchema>;

export interface IdbHistoryCacheOptions {
  limits?: CacheLimits;
  /** Another database name (tests keep theirs apart). */
  dbName?: string;
}

export class IdbHistoryCache implements HistoryCache {
  readonly limits: CacheLimits;
  private readonly dbName: string;
  private db: Promise<Db> | undefined;

  constructor(
    /** Which server and identity this cache is for (see cacheScope). */
    private readonly scope: string,
    options: IdbHistoryCacheOptions = {},
  ) {
    this.limits = options.limits ?? DEFAULT_CACHE_LIMITS;
    this.dbName = options.dbName ?? DEFAULT_DB_NAME;
  }

  async load(): Promise<CachedConversation[]> {
    return this.run('load', [], async (db) => {
      const tx = db.transaction(['conversations', 'messages'], 'readonly');
      const [records, pages] = await Promise.all([
        tx.objectStore('conversations').getAll(this.range()),
        tx.objectStore('messages').getAll(this.range()),
      ]);
      const byId = new Map(pages.map((p) => [p.id, p.messages]));
      return records.map((r) => {
        const conv: CachedConversation = { id: r.id, kind: r.kind, syncedSeq: r.syncedSeq, hasMore: r.hasMore, messages: byId.get(r.id) ?? [] };
        if (r.peerId !== undefined) conv.peerId = r.peerId;
        if (r.peerName !== undefined) conv.peerName = r.peerName;
        return conv;
      });
    });
  }

  async save(conv: CachedConversation): Promise<void> {
    const messages = conv.messages.slice(-this.limits.perConversation);
    const record: ConversationRecord = {
      scope: this.scope,
      id: conv.id,
      kind: conv.kind,
      syncedSeq: conv.syncedSeq,
      hasMore: conv.hasMore || messages.length < conv.messages.length,
      activeAt: messages.at(-1)?.ts ?? 0,
      count: messages.length,
    };
    if (conv.peerId !== undefined) record.peerId = conv.peerId;
    if (conv.peerName !== undefined) record.peerName = conv.peerName;
    await this.run('save', undefined, async (db) => {
      // One transaction: the record, its messages and the evictions land together or not at all.
      const tx = db.transaction(['conversations', 'messages'], 'readwrite');
      const records = tx.objectStore('conversations');
      const pages = tx.objectStore('messages');
      await Promise.all([records.put(record), pages.put({ scope: this.scope, id: conv.id, messages })]);
      const all = await records.getAll();
      let total = all.reduce((sum, r) => sum + r.count, 0);
      // Least recently active first, over every server and identity: the bound is the device's.
      all.sort((a, b) => a.activeAt - b.activeAt || a.id.localeCompare(b.id));
      for (const r of all) {
        if (total <= this.limits.total) break;
        total -= r.count;
        await Promise.all([records.delete([r.scope, r.id]), pages.delete([r.scope, r.id])]);
      }
      await tx.done;
    });
  }

  async remove(id: string): Promise<void> {
    await this.run('remove', undefined, async (db) => {
      const tx = db.transaction(['conversations', 'messages'], 'readwrite');
      await Promise.all([tx.objectStore('conversations').delete([this.scope, id]), tx.objectStore('messages').delete([this.scope, id]), tx.done]);
    });
  }

  async clear(): Promise<void> {
    await this.run('clear', undefined, async (db) => {
      const tx = db.transaction(['conversations', 'messages'], 'readwrite');
      await Promise.all([tx.objectStore('conversations').delete(this.range()), tx.objectStore('messages').delete(this.range()), tx.done]);
    });
  }

  /** Closes the connection until the next operation (the session ended, or another tab wants to upgrade the database). */
  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    if (db) (await db.catch(() => undefined))?.close();
  }

  /** Every key of this scope: [scope] sorts before [scope, id], and an array after any string id. */
  private range(): IDBKeyRange {
    return IDBKeyRange.bound([this.scope], [this.scope, []]);
  }

  /** Runs one operation; a store that fails (private mode, quota, a blocked upgrade) yields `fallback`. */
  private async run<T>(what: string, fallback: T, op: (db: Db) => Promise<T>): Promise<T> {
    try {
      return await op(await this.open());
    } catch (err) {
      console.warn(`[parley] history cache: ${what} failed`, err);
      return fallback;
    }
  }

  private open(): Promise<Db> {
    this.db ??= openDB<CacheSchema>(this.dbName, DB_VERSION, {
      upgrade(db) {
        db.createObjectStore('conversations', { keyPath: ['scope', 'id'] });
        db.createObjectStore('messages', { keyPath: ['scope', 'id'] });
      },
      // A newer version of the app in another tab wants to upgrade: let it; this one reopens later.
      blocking: () => void this.close(),
      terminated: () => (this.db = undefined),
    }).catch((err: unknown) => {
      this.db = undefined;
      throw err;
    });
    return this.db;
  }
}

/**
 * The three ChatStores backends as `describe.each` cases, so one suite states each store contract
 * once and holds every implementation to it. Memory stores are built fresh per call; durable stores
 * open a LevelDB in a fresh temporary folder per call; Redis stores run on one real redis-server per
 * test file, each call with its own key prefix so tests never see each other's keys (and the Redis
 * store's caches start as empty as a fresh memory store).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, expect } from 'vitest';
import type { PresenceChange } from '../../../../protocol/index';
import { nicknameKey } from '../../../../server/nickname-key';
import { openDatabase } from '../../../../server/stores/durable/database';
import { GroupCommit } from '../../../../server/stores/durable/group-commit';
import { createDurableStores } from '../../../../server/stores/durable/index';
import { DurableRoomStore } from '../../../../server/stores/durable/rooms';
import { createMemoryStores } from '../../../../server/stores/memory';
import { MemoryRoomStore } from '../../../../server/stores/memory-rooms';
import { defineCommands } from '../../../../server/stores/redis/commands';
import { createRedisStores } from '../../../../server/stores/redis/index';
import { RedisRoomStore } from '../../../../server/stores/redis/rooms';
import type { BucketSpec } from '../../../../server/stores/token-bucket';
import type { ChatStores, ConnectResult, MessageDraft, PresenceStore, RoomStore, SessionInfo } from '../../../../server/stores/types';
import { useRedisConnections } from '../../../helpers/redis-suite';

export const LOBBY = 'lobby';

export interface StoreOptions {
  historyLimit?: number;
  userMessages?: BucketSpec;
}

export interface Backend {
  readonly kind: 'memory' | 'durable' | 'redis';
  /** A fresh, empty ChatStores, closed after the test. */
  stores(opts?: StoreOptions): Promise<ChatStores>;
  /** A fresh room store with a small room limit (the ChatStores one is fixed at MAX_ROOMS). */
  rooms(maxRooms: number): Promise<RoomStore>;
  /**
   * Closes `stores` (made by `stores()`) and opens the backend again on the same data: the same
   * DATA_DIR, or a new instance with the same Redis key prefix. Absent for memory, which keeps nothing.
   */
  reopen?(stores: ChatStores): Promise<ChatStores>;
}

// Tests that are not about rate limits must never meet one.
const UNLIMITED: BucketSpec = { capacity: 1_000_000, perSecond: 1_000_000 };
const silent = pino({ level: 'silent' });

/** Call once at the top of a test file: registers the redis-server hooks and returns both backends. */
export function useBackends(): Backend[] {
  const suite = useRedisConnections();
  const open: { close(): Promise<void> }[] = [];
  const folders: string[] = [];
  let made = 0;
  const prefix = (): string => `conformance${++made}:`;
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-conformance-'));
    folders.push(dir);
    return dir;
  };
  // How to open each store made here again on the same data (for `reopen`).
  const reopeners = new WeakMap<ChatStores, () => Promise<ChatStores>>();
  const reopen = async (stores: ChatStores): Promise<ChatStores> => {
    const again = reopeners.get(stores);
    if (!again) throw new Error('reopen: not a store this backend made');
    open.splice(open.indexOf(stores), 1);
    await stores.close();
    return again();
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const memory: Backend = {
    kind: 'memory',
    async stores(opts = {}) {
      const stores = createMemoryStores({ historyLimit: opts.historyLimit ?? 200, lobby: LOBBY, userMessages: opts.userMessages ?? UNLIMITED });
      open.push(stores);
      return stores;
    },
    rooms: async (maxRooms) => new MemoryRoomStore(LOBBY, maxRooms),
  };
  const openDurable = async (opts: StoreOptions, dataDir: string): Promise<ChatStores> => {
    const stores = await createDurableStores({ dataDir, historyLimit: opts.historyLimit ?? 200, lobby: LOBBY, userMessages: opts.userMessages ?? UNLIMITED });
    open.push(stores);
    reopeners.set(stores, () => openDurable(opts, dataDir));
    return stores;
  };
  const durable: Backend = {
    kind: 'durable',
    stores: async (opts = {}) => openDurable(opts, folder()),
    reopen,
    async rooms(maxRooms) {
      const db = await openDatabase(folder());
      open.push(db);
      return DurableRoomStore.load(db, new GroupCommit(db), LOBBY, maxRooms);
    },
  };
  const openRedis = async (opts: StoreOptions, p: string): Promise<ChatStores> => {
    const stores = createRedisStores({
      url: suite.redis.url,
      instanceId: `${p}instance`,
      historyLimit: opts.historyLimit ?? 200,
      lobby: LOBBY,
      userMessages: opts.userMessages ?? UNLIMITED,
      log: silent,
      prefix: p,
    });
    open.push(stores);
    reopeners.set(stores, () => openRedis(opts, p));
    // Commands fail fast before the connection is up (no offline queue): wait for it.
    expect(await stores.connections.waitReady(5000)).toBe('up');
    return stores;
  };
  const redis: Backend = {
    kind: 'redis',
    stores: async (opts = {}) => openRedis(opts, prefix()),
    reopen,
    rooms: async (maxRooms) => new RedisRoomStore(suite.conns, defineCommands(suite.conns.command), prefix(), LOBBY, maxRooms),
  };
  return [memory, durable, redis];
}

export function draft(message: string, extra: Partial<MessageDraft> = {}): MessageDraft {
  return { room: LOBBY, userId: 'user-ana', username: 'ana', message, ...extra };
}

export function session(sid: string, userId: string, username: string, classic = false): SessionInfo {
  return { sid, userId, username, nickKey: nicknameKey(username), classic };
}

/** Connects and fails the test if the store refused. */
export async function connect(store: PresenceStore, s: SessionInfo): Promise<Extract<ConnectResult, { ok: true }> & { lobbyChange?: PresenceChange }> {
  const result = await store.connect(s, LOBBY);
  if (!result.ok) throw new Error(`connect ${s.sid} refused: ${result.reason}`);
  return result;
}

/**
 * Resolves once the wall clock has moved past the current millisecond. Seqs and presence versions
 * of a re-created conversation start from the clock (microseconds), so "above the old ones" holds
 * once time has passed; this waits for that condition instead of sleeping a guessed duration.
 */
export async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  while (Date.now() <= now) await new Promise((resolve) => setImmediate(resolve));
}

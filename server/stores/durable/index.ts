/**
 * The durable backend: history, rooms, DM logs, idempotency records and receipt cursors in an
 * embedded LevelDB under DATA_DIR; presence and rate limits in memory, as they describe this
 * process's connections. For the standalone relay without Redis and for the desktop host (one
 * database per hosted session).
 */
import { MAX_ROOMS } from '../../../protocol/index';
import { localStores } from '../local';
import type { BucketSpec } from '../token-bucket';
import type { ChatStores } from '../types';
import { openDatabase } from './database';
import { GroupCommit } from './group-commit';
import { DurableHistoryStore } from './history';
import { DurableReceiptStore } from './receipts';
import { DurableRoomStore } from './rooms';

export { DatabaseOpenError } from './database';

export interface DurableStoreOptions {
  dataDir: string;
  historyLimit: number;
  /** Messages older than this are deleted (HISTORY_MAX_AGE); undefined keeps them until the limit pushes them out. */
  historyMaxAgeMs?: number;
  lobby: string;
  userMessages: BucketSpec;
  maxRooms?: number;
  /** How often retention runs; default a tenth of the max age, between 1 and 10 minutes. */
  sweepEveryMs?: number;
}

export async function createDurableStores(opts: DurableStoreOptions): Promise<ChatStores> {
  const db = await openDatabase(opts.dataDir);
  const commit = new GroupCommit(db);
  try {
    const history = await DurableHistoryStore.load(db, commit, opts.historyLimit);
    const rooms = await DurableRoomStore.load(db, commit, opts.lobby, opts.maxRooms ?? MAX_ROOMS);
    const receipts = await DurableReceiptStore.load(db, commit);
    const maxAge = opts.historyMaxAgeMs;
    let sweeping: Promise<unknown> = Promise.resolve();
    const sweepEvery = opts.sweepEveryMs ?? Math.min(10 * 60_000, Math.max(60_000, (maxAge ?? 10 * 60_000) / 10));
    const sweeper = setInterval(() => {
      sweeping = history.sweep(maxAge === undefined ? undefined : Date.now() - maxAge).catch(() => {});
    }, sweepEvery);
    sweeper.unref();
    return {
      kind: 'durable',
      ...localStores(opts, history, rooms, receipts),
      describe: () => ({ backend: 'durable', commits: { ...commit.stats } }),
      close: async () => {
        clearInterval(sweeper);
        await sweeping;
        await history.fingerprintsRead();
        await commit.drain();
        commit.stop();
        if (db.status === 'open') await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

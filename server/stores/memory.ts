/** The in-memory backend: everything lives in this process (embedded relay, single instance). */
import { MemoryHistoryStore } from './memory-history';
import { MemoryReceiptStore } from './memory-receipts';
import { MemoryRoomStore } from './memory-rooms';
import { localStores } from './local';
import type { BucketSpec } from './token-bucket';
import type { ChatStores } from './types';

export function createMemoryStores(opts: { historyLimit: number; lobby: string; userMessages: BucketSpec }): ChatStores {
  return {
    kind: 'memory',
    ...localStores(opts, new MemoryHistoryStore(opts.historyLimit), new MemoryRoomStore(opts.lobby), new MemoryReceiptStore()),
    describe: () => ({ backend: 'memory' }),
    close: async () => {},
  };
}

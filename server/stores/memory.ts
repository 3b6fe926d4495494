/** The in-memory backend: everything lives in this process (embedded relay, single instance). */
import { MemoryHistoryStore } from './memory-history';
import { MemoryPresenceStore } from './memory-presence';
import { MemoryRoomStore } from './memory-rooms';
import { MemoryRateLimiter, type BucketSpec } from './token-bucket';
import type { ChatStores } from './types';

export function createMemoryStores(opts: { historyLimit: number; lobby: string; userMessages: BucketSpec }): ChatStores {
  return {
    kind: 'memory',
    presence: new MemoryPresenceStore(),
    history: new MemoryHistoryStore(opts.historyLimit),
    rooms: new MemoryRoomStore(opts.lobby),
    limiter: new MemoryRateLimiter(opts.userMessages),
    health: () => 'ok',
    describe: () => ({ backend: 'memory' }),
    close: async () => {},
  };
}

/** The in-memory backend: everything lives in this process (embedded relay, single instance). */
import { MemoryHistoryStore } from './memory-history';
import { MemoryPresenceStore } from './memory-presence';
import { MemoryRoomStore } from './memory-rooms';
import { submitLocally } from './submit';
import { MemoryRateLimiter, type BucketSpec } from './token-bucket';
import type { ChatStores } from './types';

export function createMemoryStores(opts: { historyLimit: number; lobby: string; userMessages: BucketSpec }): ChatStores {
  const history = new MemoryHistoryStore(opts.historyLimit);
  return {
    kind: 'memory',
    presence: new MemoryPresenceStore(),
    history,
    rooms: new MemoryRoomStore(opts.lobby),
    submit: submitLocally(new MemoryRateLimiter(opts.userMessages), history),
    health: () => 'ok',
    describe: () => ({ backend: 'memory' }),
    close: async () => {},
  };
}

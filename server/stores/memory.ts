/** The in-memory backend: everything lives in this process (embedded relay, single instance). */
import { MemoryHistoryStore } from './memory-history';
import { MemoryPresenceStore } from './memory-presence';
import { MemoryRoomStore } from './memory-rooms';
import { submitLocally } from './submit';
import { MemoryRateLimiter, type BucketSpec } from './token-bucket';
import { isDmRoom } from '../../protocol/index';
import type { ChatStores } from './types';
import { localExpiry } from './local-expiry';

export function createMemoryStores(opts: { historyLimit: number; lobby: string; userMessages: BucketSpec }): ChatStores {
  const history = new MemoryHistoryStore(opts.historyLimit);
  const presence = new MemoryPresenceStore();
  const rooms = new MemoryRoomStore(opts.lobby);
  return {
    kind: 'memory',
    presence,
    history,
    rooms,
    dmConversations: async () => history.conversations().filter(isDmRoom),
    expire: localExpiry(opts.lobby, history, presence, rooms),
    submit: submitLocally(new MemoryRateLimiter(opts.userMessages), history),
    health: () => 'ok',
    describe: () => ({ backend: 'memory' }),
    close: async () => {},
  };
}

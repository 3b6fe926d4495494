/** The in-memory backend: everything lives in this process (embedded relay, single instance). */
import { MemoryHistoryStore } from './memory-history';
import { MemoryPresenceStore } from './memory-presence';
import { MemoryRoomStore } from './memory-rooms';
import { submitLocally } from './submit';
import { MemoryRateLimiter, type BucketSpec } from './token-bucket';
import { isDmRoom } from '../../protocol/index';
import type { ChatStores } from './types';

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
    // Synchronous from check to delete: nothing can join or write in between.
    expire: async (conversation, expect) => {
      if (isDmRoom(conversation)) return history.drop(conversation, expect.lastSeq);
      if (conversation === opts.lobby || history.lastSeq(conversation) !== expect.lastSeq) return false;
      if (!presence.dropRoom(conversation, expect.pv ?? 0)) return false;
      history.drop(conversation, expect.lastSeq);
      rooms.remove(conversation);
      return true;
    },
    submit: submitLocally(new MemoryRateLimiter(opts.userMessages), history),
    health: () => 'ok',
    describe: () => ({ backend: 'memory' }),
    close: async () => {},
  };
}

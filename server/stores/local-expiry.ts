/**
 * ChatStores.expire for the stores kept in this process (memory, durable): presence is in memory, so
 * every check runs before the first await and nothing can join or write in between.
 */
import { isDmRoom } from '../../protocol/index';
import type { MemoryPresenceStore } from './memory-presence';
import type { ChatStores } from './types';

interface LocalHistory {
  lastSeq(room: string): number;
  drop(room: string, lastSeq: number): boolean | Promise<boolean>;
}

interface LocalRooms {
  remove(room: string): void | Promise<void>;
}

export function localExpiry(lobby: string, history: LocalHistory, presence: MemoryPresenceStore, rooms: LocalRooms): ChatStores['expire'] {
  return async (conversation, expect) => {
    if (isDmRoom(conversation)) return history.drop(conversation, expect.lastSeq);
    if (conversation === lobby || history.lastSeq(conversation) !== expect.lastSeq) return false;
    if (!presence.dropRoom(conversation, expect.pv ?? 0)) return false;
    // Both started before either is awaited: their checks and in-memory changes happen now.
    const removing = rooms.remove(conversation);
    const dropping = history.drop(conversation, expect.lastSeq);
    await removing;
    await dropping;
    return true;
  };
}

/**
 * What the stores kept in this process (memory, durable) share: presence and rate limits in memory,
 * the message a draft becomes, and expiry, whose checks all run before the first await since
 * presence is in memory, so nothing can join, write or move a cursor in between.
 */
import { isDmRoom, type ChatMessage } from '../../protocol/index';
import { newMessageId } from '../ids';
import { copyLinkFields } from './link-fields';
import { MemoryPresenceStore } from './memory-presence';
import { submitLocally } from './submit';
import { MemoryRateLimiter, type BucketSpec } from './token-bucket';
import type { ChatStores, HistoryStore, MessageDraft, ReceiptStore, RoomStore } from './types';

interface LocalHistory extends HistoryStore {
  lastSeq(room: string): number;
  drop(room: string, lastSeq: number): boolean | Promise<boolean>;
  /** Every conversation with a log. */
  conversations(): string[];
}

interface LocalRooms extends RoomStore {
  remove(room: string): void | Promise<void>;
}

/** The stored form of a new message: id and time assigned now, `seq` by the store. */
export function storedMessage(draft: MessageDraft, seq: number): ChatMessage {
  const message: ChatMessage = {
    username: draft.username,
    message: draft.message,
    id: newMessageId(),
    seq,
    ts: Date.now(),
    room: draft.room,
    userId: draft.userId,
  };
  if (draft.clientId !== undefined) message.clientId = draft.clientId;
  if (draft.attachments !== undefined) message.attachments = draft.attachments;
  copyLinkFields(draft, message);
  if (draft.change !== undefined) {
    message.change = draft.change;
    message.target = draft.target!;
  }
  return message;
}

/** The ChatStores members an in-process backend builds the same way around its history and rooms. */
export function localStores(opts: { lobby: string; userMessages: BucketSpec }, history: LocalHistory, rooms: LocalRooms, receipts: ReceiptStore) {
  const presence = new MemoryPresenceStore();
  return {
    presence,
    history,
    rooms,
    receipts,
    dmConversations: async () => history.conversations().filter(isDmRoom),
    expire: localExpiry(opts.lobby, history, presence, rooms, receipts),
    submit: submitLocally(new MemoryRateLimiter(opts.userMessages), history),
    health: () => 'ok' as const,
  } satisfies Partial<ChatStores>;
}

function localExpiry(lobby: string, history: LocalHistory, presence: MemoryPresenceStore, rooms: LocalRooms, receipts: ReceiptStore): ChatStores['expire'] {
  return async (conversation, expect) => {
    // history.drop checks the same; asked first so the cursors go only with the log.
    if (history.lastSeq(conversation) !== expect.lastSeq) return false;
    const dm = isDmRoom(conversation);
    if (!dm && (conversation === lobby || !presence.dropRoom(conversation, expect.pv ?? 0))) return false;
    // All started before any is awaited: their checks and in-memory changes happen now, so a cursor
    // moved after this call belongs to the conversation's next life (its seqs start higher).
    // (Promise.all, not one await after another: a failure of one must not leave the others' unhandled.)
    const [, dropped] = await Promise.all([dm ? undefined : rooms.remove(conversation), history.drop(conversation, expect.lastSeq), receipts.drop(conversation)]);
    return dropped;
  };
}


/**
 * What every store does alike with a link's messages (protocol/link.ts): keep their link fields,
 * and key their idempotency record by room and origin rather than by the link that brought them.
 */
import type { ChatMessage } from '../../protocol/index';
import type { MessageDraft } from './types';

/** A link's fields (protocol/link.ts), from the draft to what is stored; every store uses this. */
export function copyLinkFields(draft: MessageDraft, message: Omit<ChatMessage, 'seq'>): void {
  if (draft.via === undefined) return;
  message.via = draft.via;
  message.origin = draft.origin!;
  message.hops = draft.hops!;
}

/** Whose idempotency key a link's message is stored under: its room's, whichever link brought it. */
export function linkDedupeOwner(room: string): string {
  return `link@${room}`;
}

/** The owner of a draft's idempotency key: its author, or for a link's message its room (MessageDraft.dedupeOwner). */
export function dedupeOwner(draft: MessageDraft): string {
  return draft.dedupeOwner ?? draft.userId;
}

/** The same for a stored message (a change rewrites the record its key names). */
export function storedDedupeOwner(m: ChatMessage): string {
  return m.via === undefined ? m.userId : linkDedupeOwner(m.room);
}

/**
 * What a change entry does to stored messages (protocol/edits.ts), written once for every store.
 * Each function changes the message object it is given, so a store that shares one object between
 * its history and its idempotency records (memory) updates both at once.
 */
import type { ChatMessage } from '../../protocol/index';

/** Whether `entry` is an edit of the message with id `targetId`. */
export function isEditOf(entry: ChatMessage, targetId: string): boolean {
  return entry.change === 'edit' && entry.target?.id === targetId;
}

/**
 * Gives `target` the text of the edit `entry`. Returns false, changing nothing, when the target was
 * deleted meanwhile, or a later edit (higher seq) already applied: edits racing from two devices
 * end with the one the conversation ordered last.
 */
export function applyEdit(target: ChatMessage, entry: ChatMessage): boolean {
  if (target.deleted) return false;
  if (target.edited !== undefined && (target.editSeq ?? 0) > entry.seq) return false;
  target.message = entry.message;
  target.edited = entry.ts;
  target.editSeq = entry.seq;
  return true;
}

/** Blanks `target` as deleted: its words and files are gone, the placeholder stays in its place. */
export function applyDelete(target: ChatMessage): void {
  target.message = '';
  target.deleted = true;
  // The stored files themselves stay until file retention is built (docs/files.md).
  delete target.attachments;
  delete target.edited;
  delete target.editSeq;
}

/** Blanks an edit entry's text (its target was deleted). */
export function blank(entry: ChatMessage): void {
  entry.message = '';
}

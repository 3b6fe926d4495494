/**
 * The durable store's key layout. LevelDB orders keys bytewise, so each kind of record has a prefix
 * and a conversation's messages sort by seq when the seq is written at a fixed width:
 *
 *   h!<conversation>!<seq, 16 digits>  one message
 *   d!<userId>/<clientId>              idempotency record: the message that key named, and when
 *   r!<room>                           a public room exists
 *   c!<conversation>!<userId>          one user's receipt cursors there: { read, delivered }
 *
 * Conversation ids never contain '!' (room slugs are a–z 0–9 _ -, DM ids are `dm:<id>:<id>` of
 * base64url user ids), so `h!lobby!` cannot be a prefix of another room's keys, and a cursor key
 * splits at its second '!'.
 */
const SEQ_WIDTH = 16; // Number.MAX_SAFE_INTEGER has 16 digits

export const MESSAGE = 'h!';
export const DEDUPE = 'd!';
export const ROOM = 'r!';
export const CURSOR = 'c!';

export const roomKey = (room: string) => `${ROOM}${room}`;
export const dedupeKey = (userId: string, clientId: string) => `${DEDUPE}${userId}/${clientId}`;
export const cursorKey = (conversation: string, userId: string) => `${CURSOR}${conversation}!${userId}`;
export const messageKey = (conversation: string, seq: number) => `${MESSAGE}${conversation}!${String(seq).padStart(SEQ_WIDTH, '0')}`;

/** Bounds of every key under a prefix, for iterators and range deletes. */
export function prefixRange(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: `${prefix}\uffff` };
}

/** Bounds of one conversation's messages with seq in [from, to]. */
export function messageRange(conversation: string, from: number, to: number): { gte: string; lte: string } {
  return { gte: messageKey(conversation, from), lte: messageKey(conversation, to) };
}

/** The seq of a message key. */
export function seqOf(key: string): number {
  return Number(key.slice(key.lastIndexOf('!') + 1));
}

/** The conversation a key under `prefix` belongs to. */
export function conversationOf(key: string, prefix: string): string {
  return key.slice(prefix.length);
}

/** The conversation and user of a cursor key. */
export function cursorOf(key: string): { conversation: string; userId: string } {
  const bang = key.indexOf('!', CURSOR.length);
  return { conversation: key.slice(CURSOR.length, bang), userId: key.slice(bang + 1) };
}

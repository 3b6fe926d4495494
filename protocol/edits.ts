/**
 * Editing and deleting messages, and searching history (issue 23).
 *
 * - **Changes are entries.** `message:edit` and `message:delete` append an entry with its own `seq`
 *   to the conversation, exactly like a message: `change` says what it is and `target` which message
 *   it changes. So a client that was away catches up on edits and deletions by `seq` with the rest,
 *   on every store and across instances, and the relay's delivery guarantees hold for them unchanged.
 *   An edit entry carries the new text; a delete entry carries none.
 * - **The target is rewritten in place.** After an edit the stored message holds the latest text and
 *   `edited` (time of the last edit); after a deletion it holds `deleted: true`, its text is '' and
 *   the text of every earlier edit entry of it is blanked too, so the words are gone from the store.
 * - **Who and when.** Only the author (the same user id) may change a message, and only within the
 *   relay's edit window (`EDIT_WINDOW_S`, counted from the message's `ts`). A deleted message cannot
 *   be edited or deleted again.
 * - **Classic clients** are sent no change entries: they keep showing the text as first sent.
 *
 * - **Search** (`search`) looks through the retained history of the conversations the user is in (or
 *   one of them), newest first; deleted messages and change entries are never hits. An edited
 *   message is found by its latest text.
 */
import type { ChatMessage } from './events';

/** What a change entry does to its target. */
export type ChangeKind = 'edit' | 'delete';

/** A message named by its conversation position and id (both are checked). */
export interface MessageRef {
  id: string;
  seq: number;
}

/** `message:edit`: replace the text of one of your messages. */
export interface EditRequest {
  room: string;
  id: string;
  seq: number;
  text: string;
  /** Idempotency key, as for `new message`: a retry is applied once. */
  clientId?: string;
}

/** `message:delete`: withdraw one of your messages. */
export interface DeleteRequest {
  room: string;
  id: string;
  seq: number;
  clientId?: string;
}

/** The answer to an edit or delete: the change entry as stored. */
export interface ChangeOk {
  /** The change entry's own id and seq. */
  id: string;
  seq: number;
  ts: number;
  room: string;
  duplicate: boolean;
}

/** Longest search query, in UTF-16 code units. */
export const SEARCH_QUERY_MAX = 200;
/** Most hits one search returns. */
export const SEARCH_RESULTS_MAX = 50;

/** `search`: words to find (every word must occur, as a word prefix, case- and accent-insensitively). */
export interface SearchRequest {
  query: string;
  /** Only this conversation (a room or DM id); default every conversation the user is in. */
  room?: string;
  /** Default 20, at most SEARCH_RESULTS_MAX. */
  limit?: number;
}

export interface SearchHit {
  message: ChatMessage;
  /** [start, end) UTF-16 ranges of `message.message` that matched, for highlighting. */
  ranges: Array<[number, number]>;
}

export interface SearchResults {
  query: string;
  /** Newest first. */
  hits: SearchHit[];
  /** More hits exist than were returned. */
  more: boolean;
}

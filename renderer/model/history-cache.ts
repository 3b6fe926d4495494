/**
 * The contract of the local history cache: each conversation's newest messages and its catch-up
 * cursor, kept on this device for one server and one identity, so that the app opens with its
 * conversations shown (even with the relay down) and catches up from where it left off.
 *
 * Asynchronous on purpose: the browser's store (IndexedDB) is, and the chat never waits on it
 * except once, at start, before the first login (the cursors it holds go into that login).
 */
import type { ChatMessage } from '../../protocol/index';
import type { ConversationKind } from './conversation';
import { userIdFromKey } from '../../protocol/identity';

/** One conversation as cached: enough to show it and to resume catching up. */
export interface CachedConversation {
  /** Room name or DM conversation id. */
  id: string;
  kind: ConversationKind;
  /** For DMs: the other user's id and name as last seen. */
  peerId?: string;
  peerName?: string;
  /** The timeline's catch-up cursor when saved (see Timeline.syncedSeq). */
  syncedSeq: number;
  /** Older messages exist on the relay than the oldest cached (scroll-back fetches them). */
  hasMore: boolean;
  /** Stored messages only (seq > 0), oldest first; at most `limits.perConversation`. */
  messages: ChatMessage[];
}

export interface CacheLimits {
  /** Newest messages kept per conversation. */
  perConversation: number;
  /** Messages kept in all, across conversations, servers and identities on this device. */
  total: number;
}

/**
 * 200 per conversation covers a screenful and then some; 5,000 in all (a few MB) is ~25 busy
 * conversations, and keeps a device that visits many servers from growing the cache without end.
 */
export const DEFAULT_CACHE_LIMITS: CacheLimits = { perConversation: 200, total: 5000 };

/** The cache of one server and identity. Implementations never throw at callers for a store that fails: the cache is an aid, not the truth. */
export interface HistoryCache {
  readonly limits: CacheLimits;
  /** Every cached conversation of this server and identity. */
  load(): Promise<CachedConversation[]>;
  /** Replaces the conversation's entry (trimmed to the newest `perConversation` messages), then evicts the least recently active conversations while over `total`. */
  save(conversation: CachedConversation): Promise<void>;
  /** Forgets one conversation (a room the user left). */
  remove(id: string): Promise<void>;
  /** Forgets everything of this server and identity (sign-out). */
  clear(): Promise<void>;
  /** Lets go of the store until the next call (the session ended). */
  close?(): Promise<void>;
}

/**
 * What a cache is keyed by: the server and the identity. The identity is the public user id the
 * relay derives from the secret key, never the key itself, which must not sit in a database name or
 * key where any script of the origin, or anyone reading the profile folder, could lift it.
 */
export function cacheScope(serverUrl: string, key: string): string {
  return `${serverUrl.replace(/\/+$/, '')} ${userIdFromKey(key)}`;
}

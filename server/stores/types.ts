/**
 * The seams between chat logic and state. Each has an in-memory implementation (embedded relay, a
 * single standalone instance) and a Redis one (scaled-out cloud); the chat handlers never know which.
 */
import type { BucketSpec } from './token-bucket';
import type { QuotaLedger, QuotaLimits } from '../files/quota';
import type { ServerOptions } from 'socket.io';
import type { Attachment, ChangeKind, ChatMessage, HistoryPage, MessageRef, PresenceChange, PresenceSnapshot, UserSummary } from '../../protocol/index';

export interface MessageDraft {
  room: string;
  userId: string;
  username: string;
  message: string;
  clientId?: string;
  /** A change entry (protocol/edits.ts): what it does and to which message. */
  change?: ChangeKind;
  target?: MessageRef;
  /** Files sent with the message, already checked (server/files). */
  attachments?: Attachment[];
  /** A message that came over a link (protocol/link.ts): the link's nickname, the origin id, the hops. */
  via?: string;
  origin?: string;
  hops?: string[];
  /**
   * Whose idempotency key `clientId` is, when not the author's: a link's message is one per origin
   * and room whichever link brings it (`link@<room>`), so two links cannot store it twice.
   */
  dedupeOwner?: string;
}

export interface AppendResult {
  message: ChatMessage;
  /** The same (userId, clientId) was stored before: `message` is that earlier one. */
  duplicate: boolean;
}

export interface PageQuery {
  afterSeq?: number;
  beforeSeq?: number;
  limit: number;
}

export interface HistoryStore {
  /**
   * Assigns id, ts and the room's next seq, stores, and trims to the history limit; idempotent per
   * (userId, clientId). When the store cannot write right now but will later (Redis down), it calls
   * `onDeferred` with a provisional copy (seq 0) and resolves once the message is really stored.
   */
  append(draft: MessageDraft, onDeferred?: (provisional: ChatMessage) => void): Promise<AppendResult>;
  /** The newest `limit` messages inside (afterSeq, beforeSeq), oldest first. */
  page(room: string, query: PageQuery): Promise<HistoryPage>;
  /** What the idempotency key (userId, clientId) names, if it is still remembered (a retry's first attempt). */
  stored(userId: string, clientId: string): Promise<ChatMessage | undefined>;
  /** The stored entry at `seq` as it is now (edited, deleted), or undefined when not retained. */
  get(room: string, seq: number): Promise<ChatMessage | undefined>;
  /**
   * Applies a stored change entry to its target (protocol/edits.ts), serially with other changes:
   * an edit sets the target's text and `edited` unless it was deleted meanwhile (then the edit
   * entry's own text is blanked); a delete blanks the target, every edit entry of it and the
   * idempotency records holding their text. Resolves with the target as stored after the change,
   * or undefined when it is no longer retained.
   */
  applyChange(entry: ChatMessage): Promise<ChatMessage | undefined>;
}

export interface SessionInfo {
  sid: string;
  userId: string;
  username: string;
  nickKey: string;
  classic: boolean;
}

export type ConnectResult =
  | { ok: true; user: UserSummary; firstSession: boolean; numUsers: number }
  | { ok: false; reason: 'nickname-taken' };

export interface RoomPresenceChange {
  room: string;
  change: PresenceChange;
}

export interface DisconnectResult {
  /** Set when this was the user's last session: the user is gone. */
  user?: UserSummary;
  /** Rooms the user (not just this socket) left, with the presence change of each. */
  changes: RoomPresenceChange[];
}

export interface JoinResult {
  /** Present when the user was not in the room before (another session of theirs may have been). */
  change?: PresenceChange;
}

export interface PresenceStore {
  /** Adds a logged-in session and puts it in the lobby. Refused when another user holds the nickname key. */
  connect(session: SessionInfo, lobby: string): Promise<ConnectResult & { lobbyChange?: PresenceChange }>;
  disconnect(sid: string): Promise<DisconnectResult>;
  join(sid: string, room: string): Promise<JoinResult>;
  leave(sid: string, room: string): Promise<JoinResult>;
  snapshot(room: string): Promise<PresenceSnapshot>;
  count(room: string): Promise<number>;
  /** The user when present anywhere, for DM routing. */
  user(userId: string): Promise<UserSummary | undefined>;
}

export interface RoomStore {
  exists(room: string): Promise<boolean>;
  /** Creates the room if missing; throws ParleyError(ROOM_LIMIT) when the relay holds too many. */
  create(room: string): Promise<{ created: boolean }>;
  list(): Promise<string[]>;
}

/** Which position a cursor records: read by the user, or delivered to one of their devices (DMs). */
export type CursorKind = 'read' | 'delivered';
/** One user's positions in one conversation; 0 = none yet. */
export interface CursorPair { read: number; delivered: number }
export interface UserCursors extends CursorPair { userId: string }
/**
 * Read and delivery positions (issue 22): one seq per user per conversation per kind, that only moves
 * forward. Every device of a user shares them.
 */
export interface ReceiptStore {
  /**
   * Moves `userId`'s `kind` cursor in `conversation` up to `seq`; a seq at or below the current one
   * changes nothing. Resolves once stored (durable: committed to disk; Redis: written) with the
   * cursor after the call and whether it moved. A read cursor also raises the delivered cursor to at
   * least the same seq (reading implies delivery), in the same atomic step.
   */
  advance(conversation: string, userId: string, kind: CursorKind, seq: number): Promise<{ cursor: CursorPair; moved: boolean }>;
  /** Every user's cursors in a conversation (any order). */
  cursors(conversation: string): Promise<UserCursors[]>;
  /** This user's cursors in the given conversations; conversations without any are left out. */
  mine(userId: string, conversations: readonly string[]): Promise<Map<string, CursorPair>>;
  /** Forgets a conversation's cursors (it expired or was dropped). */
  drop(conversation: string): Promise<void>;
}

export type RateResult = { ok: true } | { ok: false; retryAfterMs: number };

/** Charges one room creation to a user and an address (both tokens or neither is the store's choice). */
export type RoomCreationLimiter = (userKey: string, addressKey: string) => Promise<RateResult>;

/** Token buckets keyed by user (or address). */
export interface RateLimiter {
  take(key: string, cost?: number): RateResult;
}

/** A message refused by the sender's rate limit: nothing was stored. */
export interface RateRefusal {
  message?: undefined;
  retryAfterMs: number;
}

export type SubmitResult = AppendResult | RateRefusal;

/**
 * A user's new message: one token from the user's message bucket, then the append (HistoryStore's
 * contract), or a refusal that stores nothing. One step, so a backend can do it in one round trip
 * and take a connection's next message before this one's reply is back.
 */
export type SubmitMessage = (limitKey: string, draft: MessageDraft, onDeferred?: (provisional: ChatMessage) => void) => Promise<SubmitResult>;

/** ok; degraded: shared backend unreachable, serving locally; misconfigured: it refuses us (auth, TLS): not ready. */
export type BackendHealth = 'ok' | 'degraded' | 'misconfigured';

/** What a backend may tell the relay outside of requests. */
/** What a conversation looked like when it was judged idle (see ChatStores.expire). */
export interface ExpectIdle {
  lastSeq: number;
  /** Presence version; public rooms only. */
  pv?: number;
}

/** A user the backend renamed (their nickname had been claimed elsewhere first). */
export interface Renamed {
  id: string;
  username: string;
  previous: string;
}

export interface StoreHooks {
  /** Presence changed by the backend itself (dead instances purged, resync after an outage). */
  presenceChanged(changes: RoomPresenceChange[], gone: UserSummary[], arrived: UserSummary[]): Promise<void>;
  /** Backend health changed. */
  healthChanged(health: BackendHealth): void;
  /** Users of this instance whose nickname was claimed elsewhere first (Redis resync after an outage). */
  renamed?(users: Renamed[]): void;
}

export interface ChatStores {
  readonly kind: 'memory' | 'durable' | 'redis';
  presence: PresenceStore;
  history: HistoryStore;
  rooms: RoomStore;
  receipts: ReceiptStore;
  /** New messages, rate-limited per user: in Redis mode the limit holds across the cluster. */
  submit: SubmitMessage;
  /** 'degraded' while a shared backend is unreachable; the relay still serves local clients. */
  health(): BackendHealth;
  /** Extra details for /healthz (never secrets). */
  describe(): Record<string, unknown>;
  /** Socket.IO adapter for cross-instance broadcasts (Redis mode). */
  adapter?: ServerOptions['adapter'];
  /**
   * Resolves once the adapter's subscriptions are active (bounded wait: a down backend must not
   * block start-up). Until then, broadcasts from other instances would be silently missed.
   */
  adapterReady?(timeoutMs: number): Promise<boolean>;
  /** Called once by the relay after start-up. */
  attach?(hooks: StoreHooks): void;
  /**
   * Room creation allowances shared by every instance (Redis mode); without it each relay charges
   * its own buckets. Keys: `user:<id>` and `addr:<ip>`.
   */
  roomCreation?(byUser: BucketSpec, byAddress: BucketSpec): RoomCreationLimiter;
  /** Upload quotas counted for the whole deployment (Redis mode); without it each relay counts its own. */
  fileQuota?(limits: QuotaLimits): QuotaLedger;
  /** Every DM conversation with a log (for expiry). */
  dmConversations(): Promise<string[]>;
  /**
   * The deployment's relay id (protocol/link.ts), shared by every instance (Redis mode: the first
   * instance's proposal wins); undefined when it cannot be read now.
   */
  sharedRelayId?(proposal: string): Promise<string | undefined>;
  /**
   * Deletes an expired conversation: a public room (from the room set, with its presence version,
   * history and receipt cursors) or a DM log (with its cursors). Atomic and conditional: nothing
   * happens, and false is returned, if the room has members or its `pv` or `lastSeq` changed since
   * the caller looked.
   */
  expire(conversation: string, expect: ExpectIdle): Promise<boolean>;
  /** First step of shutdown, while the relay can still broadcast: remove this instance's traces. */
  drain?(): Promise<void>;
  close(): Promise<void>;
}

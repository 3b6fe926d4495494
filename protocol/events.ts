/**
 * Every payload type, and three of the four Socket.IO event maps (the fourth, ClientToServerEvents,
 * is derived from the request contract in ./requests). The relay is
 * `Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>` and a client is
 * `Socket<ServerToClientEvents, ClientToServerEvents>`.
 *
 * Compatibility: the first six events of each direction are socket.io's classic chat example and keep
 * its names and payload shapes; Parley only adds fields and optional trailing acknowledgement callbacks.
 * Parley-only events are named `domain:verb`.
 */
import type { ErrorBody } from './errors';
import type { ChangeKind, MessageRef } from './edits';
import type { ReadState, ReceiptsNotice } from './receipts';
import type { Attachment } from './files';
import type { LinkedSend } from './link';

/** A present user as others see them. `id` is stable for the same client key; nicknames may change. */
export interface UserSummary {
  id: string;
  username: string;
  /** Connected with the classic client: receives only lobby traffic and cannot get DMs. */
  classic?: boolean;
}

/** A stored chat message, as broadcast and as kept in history. */
export interface ChatMessage {
  /** Classic field: the author's nickname at the time of sending. */
  username: string;
  /** Classic field: the text, exactly as sent (rendered as text, never HTML). */
  message: string;
  /** Server-assigned ULID: unique and sortable by creation time. */
  id: string;
  /**
   * Position in the room, strictly increasing without reuse. 0 marks a provisional copy sent to
   * clients on the same instance while the store is unreachable; the stored copy (same `id`, real
   * `seq`) follows once it is written.
   */
  seq: number;
  /** Server time of acceptance, ms since epoch. */
  ts: number;
  /** Room name, or a DM conversation id (`dm:<userA>:<userB>`). */
  room: string;
  /** The author's user id: always the server's record of the socket, never a client-provided field. */
  userId: string;
  /** The sender's idempotency key, echoed so a client can match its pending message. */
  clientId?: string;
  /** Set on a change entry (protocol/edits.ts): this entry edits or deletes `target`. */
  change?: ChangeKind;
  /** The message a change entry changes. */
  target?: MessageRef;
  /** On a message: when it was last edited (ms since epoch). */
  edited?: number;
  /** On a message: the seq of the edit entry that gave it its text (orders racing edits). */
  editSeq?: number;
  /** On a message: it was deleted; `message` is '' and its attachments are gone. */
  deleted?: true;
  /** Files sent with the message (protocol/files.ts); `message` may then be ''. */
  attachments?: Attachment[];
  /**
   * It came over a link (protocol/link.ts): the nickname of the link that brought it. `username`
   * is then the author's nickname on the relay where it was written, not a user of this relay.
   */
  via?: string;
  /** With `via`: the message's id on the relay where it was first written. */
  origin?: string;
  /** With `via`: the relays it has been on before this one (protocol/link.ts). */
  hops?: string[];
}

/** Successful or failed acknowledgement. */
export type AckResult<T extends object> = ({ ok: true } & T) | ({ ok: false } & ErrorBody);
export type Ack<T extends object> = (result: AckResult<T>) => void;

/** Parley's richer `add user` payload. The classic client sends just the nickname string. */
export interface LoginRequest {
  username: string;
  /** Public rooms to (re)join besides the lobby, e.g. after a reconnect. */
  rooms?: string[];
  /** Catch-up: the last `seq` this client saw per room or DM id; it receives only what came after. */
  since?: Record<string, number>;
}

/** Messages of one room returned at login, on join, or by `history:fetch`. */
export interface HistoryPage {
  room: string;
  messages: ChatMessage[];
  /** The room's newest `seq` when the page was read. */
  lastSeq: number;
  /** True when older messages than the first returned exist but were not returned. */
  hasMore: boolean;
  /** True when the client asked for messages after a `seq` the relay no longer keeps: it missed some. */
  gap: boolean;
  /** The relay could not read history right now (its store is unreachable); ask again later. */
  unavailable?: boolean;
}

/** One room's presence, in full. `pv` orders it against later `presence` deltas. */
export interface PresenceSnapshot {
  room: string;
  numUsers: number;
  users: UserSummary[];
  pv: number;
}

export interface PresenceChange {
  pv: number;
  op: 'join' | 'leave';
  user: UserSummary;
}

/** Coalesced presence changes of one room (sent at most every few tens of ms, not once per join). */
export interface PresenceDelta {
  room: string;
  numUsers: number;
  changes: PresenceChange[];
}

export interface RoomState {
  presence: PresenceSnapshot;
  history: HistoryPage;
}

export interface LoginOk {
  userId: string;
  username: string;
  numUsers: number;
  protocol: number;
  /** The lobby first, then every other room joined. */
  rooms: RoomState[];
  /** Catch-up pages of DM conversations named in `since`. */
  dms: HistoryPage[];
  /** This user's read position and unread count in every room joined and every DM conversation with a log. */
  reads: ReadState[];
  /** How long after sending a message its author may edit or delete it, in ms (protocol/edits.ts). */
  editWindowMs?: number;
  /** This relay's public id (protocol/link.ts): what links put in a message's hops. */
  relay?: string;
}

/** Parley's `new message` payload. The classic client sends just the text. */
export interface SendRequest {
  text: string;
  /** Room name or DM conversation id; default the lobby. */
  room?: string;
  /** DM recipient's user id; alternative to naming the DM conversation in `room`. */
  to?: string;
  /** Idempotency key: a retry with the same key is stored and delivered once. */
  clientId?: string;
  /** Ids of uploads this user finished for this conversation, at most ATTACHMENTS_MAX (protocol/files.ts). */
  attachments?: string[];
  /** Sent by a link (protocol/link.ts): a message copied from another relay, rooms only. */
  link?: LinkedSend;
}

export interface SendOk {
  id: string;
  seq: number;
  ts: number;
  room: string;
  /** True when this was a retry of a message already stored; nothing was sent again. */
  duplicate: boolean;
  /** The message's files as the relay recorded them (sanitised names, sniffed types). */
  attachments?: Attachment[];
}

export interface TypingRequest {
  room?: string;
}

export interface TypingNotice {
  username: string;
  userId?: string;
  room?: string;
}

export interface UserNotice {
  username: string;
  numUsers: number;
  userId?: string;
  room?: string;
}

export interface RoomJoinRequest {
  room: string;
  /** Create the room if it does not exist yet (otherwise joining an unknown room fails). */
  create?: boolean;
  /** Only messages after this seq, for a client that already has older ones. */
  since?: number;
}

export interface RoomRef {
  room: string;
}

export interface RoomInfo {
  room: string;
  numUsers: number;
}

export interface HistoryRequest {
  room: string;
  /** Messages with seq > afterSeq (catch-up), oldest first. */
  afterSeq?: number;
  /** Messages with seq < beforeSeq (scroll back), oldest first. */
  beforeSeq?: number;
  limit?: number;
}

export interface ShutdownNotice {
  reason: string;
  /** Suggested wait before reconnecting. */
  reconnectAfterMs: number;
}

export interface ServerStatus {
  status: 'ok' | 'degraded';
}

export interface ErrorNotice extends ErrorBody {
  /** The event that failed, when the client passed no acknowledgement callback. */
  event?: string;
}

/**
 * The relay changed your nickname. Today only for one reason: while this relay was cut off from the
 * cluster's shared store, you claimed a name another user already held elsewhere; the claim that
 * reached the store first keeps it, and you get the first free of "name-2", "name-3", …
 */
export interface NicknameChange {
  userId: string;
  username: string;
  previous: string;
  reason: 'conflict';
}

export interface ServerToClientEvents {
  /** Classic: your login succeeded; the lobby's user count. */
  login: (info: { numUsers: number }) => void;
  /** A message from someone else (your own arrive as acknowledgements). */
  'new message': (message: ChatMessage) => void;
  /** Classic: someone joined the lobby (sent to classic clients; Parley clients get `presence`). */
  'user joined': (notice: UserNotice) => void;
  /** Classic: someone left the lobby. */
  'user left': (notice: UserNotice) => void;
  typing: (notice: TypingNotice) => void;
  'stop typing': (notice: TypingNotice) => void;
  /** Coalesced joins/leaves of one room, for Parley clients. */
  presence: (delta: PresenceDelta) => void;
  /** A public room was created (so room lists stay live). */
  'room:created': (info: RoomInfo) => void;
  /** A request without an ack callback failed. */
  'parley:error': (error: ErrorNotice) => void;
  /** The relay is going away; reconnect after the suggested delay. */
  'server:shutdown': (notice: ShutdownNotice) => void;
  /** The relay's backend health changed: 'degraded' means messages are delivered locally and stored later. */
  'server:status': (status: ServerStatus) => void;
  /** Sent to the renamed user's own Parley sockets; everyone else sees the new name in `presence`. */
  'nickname:changed': (change: NicknameChange) => void;
  /** Read and delivered cursors that moved in a conversation, coalesced (protocol/receipts.ts). */
  receipts: (notice: ReceiptsNotice) => void;
}

/** Between relay instances (through the Redis adapter). */
export interface InterServerEvents {
  /** An instance stopped heartbeating: drop its sessions from presence. */
  'presence:purge': (instanceId: string) => void;
}

/** What the relay remembers about each socket. */
export interface SocketData {
  /** 'parley' when the handshake carried Parley auth, else 'classic'. */
  kind: 'parley' | 'classic';
  /** Secret-derived stable user id (see server/identity.ts). Set at connection time. */
  userId: string;
  /** Set once `add user` succeeded. */
  username?: string;
  /** Remote address, honouring X-Forwarded-For only when the relay is told to trust a proxy. */
  ip: string;
}

/** What a Parley client sends in the Socket.IO handshake (`auth`). Classic clients send nothing. */
export interface HandshakeAuth {
  client: 'parley';
  protocol: number;
  /** High-entropy secret kept by the client; the same key means the same user id. */
  key: string;
  /** Required by LAN-hosted relays served over plain HTTP. */
  joinCode?: string;
  /** Over TLS the code is proved, never sent: the ticket and tag of protocol/pairing.ts. */
  joinTicket?: string;
  joinTag?: string;
}

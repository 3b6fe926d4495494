/** What every chat handler can reach. Built once per relay in relay.ts. */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../protocol/index';
import type { Logger } from '../logger';
import type { ChatStores } from '../stores/types';
import type { BucketSpec } from '../stores/token-bucket';
import type { RoomCreationLimiter } from '../stores/types';
import type { PresenceBroadcaster } from './presence-broadcaster';
import type { ReceiptFanout } from './receipt-fanout';
import type { Redelivery } from './redelivery';
import type { AddressLimitSpec } from './address-limits';
import type { FileService } from '../files/index';

export type ParleyServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type RawSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
/**
 * A relay socket. Client events are routed centrally (guard.ts) and never reach `socket.on`
 * listeners, so this type offers `on`/`once` for Socket.IO's own socket events only: a listener for
 * a client event does not compile (add it to protocol/requests.ts and a route instead).
 */
export type ParleySocket = Omit<RawSocket, 'on' | 'once'> & {
  on(event: 'disconnect' | 'disconnecting', listener: (reason: string) => void): ParleySocket;
  once(event: 'disconnect' | 'disconnecting', listener: (reason: string) => void): ParleySocket;
};

export interface RateLimits {
  /** Every event a socket sends (local to the socket). */
  socketEvents: BucketSpec;
  /** Messages per user (cluster-wide in Redis mode). */
  userMessages: BucketSpec;
  /** Rooms a user may create (per instance), so one client cannot fill MAX_ROOMS for everyone. */
  roomsByUser: BucketSpec;
  /** Rooms the users of one address may create together (per instance). */
  roomsByAddress: BucketSpec;
  /** Rejections within `floodWindowMs` after which the connection is closed. */
  floodStrikes: number;
  floodWindowMs: number;
}

export interface ChatContext {
  io: ParleyServer;
  stores: ChatStores;
  log: Logger;
  presence: PresenceBroadcaster;
  lobby: string;
  historyLimit: number;
  /** How long a message stays editable by its author (edits.ts). */
  editWindowMs: number;
  /** This relay's public id (protocol/link.ts): in the login ack, and refused in a link message's hops. */
  relayId: string;
  /** Who may send link messages (RelayOptions.linkSenders). */
  linkSenders: ReadonlySet<string> | 'any';
  limits: RateLimits;
  /** True once shutdown started: new logins are refused. */
  isClosing(): boolean;
  /** Disconnect cleanups still running; shutdown waits for them. */
  pendingLogouts: Set<Promise<void>>;
  /** Coalesced `receipts` to conversation members (receipt-fanout.ts). */
  receipts: ReceiptFanout;
  /** Which duplicate retries are delivered again (redelivery.ts). */
  redelivery: Redelivery;
  /** Per-address limits, for the login deadlines (address-limits.ts). */
  addressLimits: AddressLimitSpec;
  /** Room creation allowances, keyed `user:<id>` and `addr:<ip>` (cluster-wide in Redis mode). */
  roomCreation: RoomCreationLimiter;
  /** File uploads and downloads (server/files): tokens, signed URLs, a message's attachments. */
  files: FileService;
  /** Makes this turn's flush wait for a store reply whose handlers queue packets (fast-broadcast.ts 5). */
  flushAfter<T>(reply: Promise<T>): Promise<T>;
}

export { CLASSIC_SOCKETS, userRoom } from '../socket-rooms';

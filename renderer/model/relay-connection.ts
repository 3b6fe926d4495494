/**
 * The socket to one relay: the handshake, typed requests, and reconnection.
 *
 * Reconnection is done here rather than by socket.io-client, so the UI can show exactly when the
 * next attempt happens ("reconnecting in 3 s") and offer "retry now".
 */
import { io, type Socket } from 'socket.io-client';
import {
  DEFAULT_ROOM,
  ErrorCode,
  PROTOCOL_VERSION,
  type AckedEvent,
  type Answer,
  type ClientToServerEvents,
  type Refusal,
  type RequestArgs,
  type ServerToClientEvents,
  type TypingRequest,
} from '../../protocol/index';
import { reconnectDelay } from './backoff';
import type { ClientState } from './client-state';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectionOptions {
  url: string;
  /** The user's secret key (see protocol HandshakeAuth). */
  key: string;
  joinCode?: string;
  /** Transports, websocket first: Parley skips the classic long-polling start. */
  transports?: ('websocket' | 'polling')[];
  ackTimeoutMs?: number;
  connectTimeoutMs?: number;
}

const ACK_TIMEOUT_MS = 10_000;
/**
 * How long a connection that may have died in a sleep gets to answer before it is replaced. Short:
 * the probe is tiny, and a needless reconnect costs one login with `since` cursors, while waiting
 * keeps the user looking at a stale conversation.
 */
const PROBE_TIMEOUT_MS = 3000;

/** What `resume` found: the connection answered, a reconnect is under way, or there was nothing to do (closed, or still making the first connection). */
export type ResumeOutcome = 'alive' | 'reconnecting' | 'idle';

export class RelayConnection {
  readonly socket: ClientSocket;
  /** Logged in at least once: from then on a lost connection is retried rather than reported. */
  established = false;
  private closed = false;
  private networkUp = true;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private probe: Promise<ResumeOutcome> | undefined;

  constructor(
    private readonly opts: ConnectionOptions,
    private readonly state: ClientState,
  ) {
    this.socket = io(opts.url, {
      autoConnect: false,
      reconnection: false,
      transports: opts.transports ?? ['websocket', 'polling'],
      timeout: opts.connectTimeoutMs ?? 8000,
      auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: opts.key, ...(opts.joinCode ? { joinCode: opts.joinCode } : {}) },
    });
    this.socket.on('connect_error', () => {
      if (this.established && !this.closed) this.scheduleReconnect();
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get ackTimeoutMs(): number {
    return this.opts.ackTimeoutMs ?? ACK_TIMEOUT_MS;
  }

  connect(): void {
    this.socket.connect();
  }

  /**
   * Sends a request and waits for its answer. Never rejects: no connection or no answer in time is
   * an UNAVAILABLE refusal, like a relay that cannot reach its store, so callers handle one shape.
   */
  async request<E extends AckedEvent>(event: E, ...args: RequestArgs<E>): Promise<Answer<E>> {
    if (!this.socket.connected) return unavailable<E>('Not connected.');
    try {
      // Socket.IO's emitWithAck cannot follow a generic event through the event map, so it is
      // widened here, once; this method's own signature is the contract (protocol/requests.ts).
      const emit = this.socket.timeout(this.ackTimeoutMs) as unknown as {
        emitWithAck(e: E, ...a: RequestArgs<E>): Promise<Answer<E>>;
      };
      return await emit.emitWithAck(event, ...args);
    } catch {
      return unavailable<E>('The relay did not answer.');
    }
  }

  /** Fire-and-forget typing notices (no ack in the contract). */
  notify(event: 'typing' | 'stop typing', request: TypingRequest): void {
    if (this.socket.connected) this.socket.emit(event, request);
  }

  /** Logged in: the next loss starts the back-off from the beginning. */
  loggedIn(): void {
    this.established = true;
    this.attempt = 0;
    this.state.retryAt.value = null;
  }

  /** The relay is going away: wait as suggested before the first attempt. */
  waitBeforeReconnect(ms: number): void {
    this.attempt = Math.max(this.attempt, 1);
    this.state.retryAt.value = Date.now() + ms;
  }

  scheduleReconnect(): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    const suggested = this.state.retryAt.value;
    const delay = suggested !== null && suggested > Date.now() ? suggested - Date.now() : reconnectDelay(this.attempt);
    this.attempt++;
    this.state.retryAt.value = Date.now() + delay;
    this.state.status.value = this.networkUp ? 'reconnecting' : 'offline';
    this.retryTimer = setTimeout(() => {
      this.state.retryAt.value = null;
      if (!this.closed && !this.socket.connected) this.socket.connect();
    }, delay);
  }

  /** Skip the wait and reconnect now (the banner's "Retry now"). */
  retryNow(): void {
    if (this.closed || this.socket.connected) return;
    clearTimeout(this.retryTimer);
    this.state.retryAt.value = null;
    this.state.status.value = this.networkUp ? 'reconnecting' : 'offline';
    this.socket.connect();
  }

  /**
   * After a sleep (or a network change) a socket can look connected while its peer is long gone: the
   * relay dropped it during the sleep and its goodbye never arrived, and Socket.IO only notices when
   * the next heartbeat is missed, up to pingInterval + pingTimeout later. So a connected socket is
   * asked something now, and dropped and replaced at once if it does not answer in time; a
   * disconnected one retries now instead of waiting out the back-off. Calls while a check runs share
   * it (a wake brings 'resume', 'online' and visibility events together).
   */
  resume(): Promise<ResumeOutcome> {
    if (this.closed || !this.established) return Promise.resolve('idle');
    if (!this.socket.connected) {
      this.retryNow();
      return Promise.resolve('reconnecting');
    }
    this.probe ??= this.verify().finally(() => (this.probe = undefined));
    return this.probe;
  }

  private async verify(): Promise<ResumeOutcome> {
    const checked = this.socket.id;
    let answered = true;
    try {
      // The cheapest request there is: a page of lobby history before seq 1, empty by construction
      // (seqs start at 1). Any answer counts, a refusal too: it came back over this connection.
      await this.socket.timeout(PROBE_TIMEOUT_MS).emitWithAck('history:fetch', { room: DEFAULT_ROOM, beforeSeq: 1, limit: 1 });
    } catch {
      answered = false;
    }
    if (this.closed) return 'idle';
    if (answered) return 'alive';
    // Only the connection that was checked is dropped: one made meanwhile is fresh.
    if (this.socket.connected && this.socket.id === checked) this.socket.disconnect();
    this.retryNow();
    return 'reconnecting';
  }

  /** The browser's network state (navigator.onLine and its events). */
  setNetworkOnline(up: boolean): void {
    this.networkUp = up;
    if (!up && !this.socket.connected && this.established) this.state.status.value = 'offline';
    if (up && this.established && !this.socket.connected) this.retryNow();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket.disconnect();
    this.state.status.value = 'closed';
  }
}

function unavailable<E extends AckedEvent>(message: string): Answer<E> {
  // UNAVAILABLE is one of the codes every event declares (COMMON_ERRORS).
  return { ok: false, code: ErrorCode.UNAVAILABLE, message } as Refusal<E>;
}

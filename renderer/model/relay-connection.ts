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
  type LanPairResult,
  type TypingRequest,
} from '../../protocol/index';
import type { PostJson } from '../../protocol/pairing';
import { reconnectDelay } from './backoff';
import { pairingFailure } from './connect-failure';
import type { ClientState } from './client-state';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Proves `code` to the https relay at `url` against `fingerprint`; the handshake auth on success. */
export type PairFunction = (url: string, code: string, fingerprint: string) => Promise<LanPairResult>;

export interface ConnectionOptions {
  url: string;
  /** The user's secret key (see protocol HandshakeAuth). */
  key: string;
  joinCode?: string;
  /**
   * The host certificate's SHA-256, for an https:// relay with a join code: the code is then proved
   * against it (protocol/pairing.ts) at every connection, never sent.
   */
  fingerprint?: string;
  /**
   * How the code is proved (desktop: by the main process, which checks the certificate on its own
   * connection first); by default the page does it with fetch (the web client).
   */
  pair?: PairFunction;
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
  /** How the last pairing went (https relays with a join code only). */
  pairing: LanPairResult | undefined;


  constructor(
    private readonly opts: ConnectionOptions,
    private readonly state: ClientState,
  ) {
    this.socket = io(opts.url, {
      autoConnect: false,
      reconnection: false,
      transports: opts.transports ?? ['websocket', 'polling'],
      timeout: opts.connectTimeoutMs ?? 8000,
      auth: this.auth(),
    });
    this.socket.on('connect_error', () => {
      if (this.established && !this.closed) this.scheduleReconnect();
    });
  }

  /** The handshake auth without proof: over plain http the code itself, over TLS never (it is proved in open()). */
  private auth(): Record<string, unknown> {
    const base = { client: 'parley', protocol: PROTOCOL_VERSION, key: this.opts.key };
    const { joinCode, url } = this.opts;
    return joinCode && !url.startsWith('https:') ? { ...base, joinCode } : base;
  }

  /** An https relay with a join code and a certificate to prove it against: every connection is paired first. */
  private get pairs(): boolean {
    return !!(this.opts.joinCode && this.opts.fingerprint && this.opts.url.startsWith('https:'));
  }

  /**
   * Connects, pairing first when the relay wants the code proved: each ticket is single-use, so every
   * (re)connection gets a fresh one, and a pairing that fails means no connection is attempted at all
   * (the certificate was not proved; nothing should talk to it).
   */
  private async open(): Promise<void> {
    if (this.pairs) {
      const pair = this.opts.pair ?? pairInPage;
      const outcome: LanPairResult = await pair(this.opts.url, this.opts.joinCode!, this.opts.fingerprint!).catch(() => ({ ok: false, reason: 'UNREACHABLE' }) as const);
      if (this.closed) return;
      this.pairing = outcome;
      if (!outcome.ok) {
        // Told like Socket.IO's own connect_error, to the same listeners (the first connection's
        // caller, the reconnect below): a host out of reach as a plain error, a refused proof typed.
        const err = outcome.reason === 'UNREACHABLE' ? new Error(`Cannot reach ${this.opts.url}.`) : pairingFailure(outcome, this.opts.url);
        for (const listener of this.socket.listeners('connect_error')) (listener as (e: Error) => void).call(this.socket, err);
        return;
      }
      this.socket.auth = { ...this.auth(), ...outcome.auth };
    }
    if (!this.closed && !this.socket.connected) this.socket.connect();
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
    void this.open();
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
      if (!this.closed && !this.socket.connected) void this.open();
    }, delay);
  }

  /** Skip the wait and reconnect now (the banner's "Retry now"). */
  retryNow(): void {
    if (this.closed || this.socket.connected) return;
    clearTimeout(this.retryTimer);
    this.state.retryAt.value = null;
    this.state.status.value = this.networkUp ? 'reconnecting' : 'offline';
    void this.open();
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

/** protocol/pairing.ts's POST, as a page makes it (no cookies: the exchange needs none). */
const postJson: PostJson = async (url, body) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit' });
  let parsed: unknown = null;
  try {
    parsed = await res.json();
  } catch {
    /* not JSON: the status says enough */
  }
  return { status: res.status, body: parsed };
};

/**
 * The web client's pairing: the page itself (it cannot see the certificate its browser accepted; the
 * person compares the fingerprint, see renderer/ui/connect-screen.tsx). The curve arithmetic loads on
 * first use: it is for LAN hosts over TLS only.
 */
const pairInPage: PairFunction = async (url, code, fingerprint) => {
  const { pairWithHost } = await import('../../protocol/pairing');
  const outcome = await pairWithHost(url, code, fingerprint, postJson);
  if (outcome.ok) return outcome;
  return outcome.reason === 'WRONG_CODE_OR_HOST' ? { ok: false, reason: 'WRONG_CODE_OR_HOST' } : { ok: false, reason: 'REFUSED', ...(outcome.status !== undefined ? { status: outcome.status } : {}) };
};

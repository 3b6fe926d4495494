/**
 * One side of a link: a Parley client logged in on one relay, in the linked rooms, reconnecting by
 * itself. It is an ordinary client on purpose: the relay checks and rate-limits what a link sends
 * like anyone's messages, and a link works the same with an embedded, a standalone or a
 * Redis-backed relay.
 */
import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import {
  HISTORY_PAGE_MAX,
  PROTOCOL_VERSION,
  type AckResult,
  type ChatMessage,
  type ClientToServerEvents,
  type HistoryPage,
  type LoginOk,
  type SendOk,
  type SendRequest,
  type ServerToClientEvents,
} from '../../protocol/index';
import type { Logger } from '../logger';

export interface EndpointOptions {
  /** For logs: 'local' or 'remote'. */
  side: string;
  url: string;
  /** The link's identity key (the same on both sides: one user). */
  key: string;
  /** The link's nickname on this relay (what `via` shows there). */
  nickname: string;
  joinCode?: string;
  /** PEM certificates to trust for https (a relay with a self-signed certificate). */
  ca?: string;
  rooms: string[];
  log: Logger;
  /** How long a request may go unanswered before the connection is treated as broken. */
  ackTimeoutMs?: number;
}

export type EndpointState = { up: true; relayId: string; userId: string } | { up: false; since: number; reason: string };

const DEFAULT_ACK_TIMEOUT_MS = 15_000;

/** Emits 'up', 'down' and 'message' (a live message in one of the rooms). */
export class LinkEndpoint extends EventEmitter<{ up: []; down: []; message: [ChatMessage] }> {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  state: EndpointState = { up: false, since: Date.now(), reason: 'connecting' };
  private readonly timeoutMs: number;
  private closed = false;

  constructor(private readonly opts: EndpointOptions) {
    super();
    this.timeoutMs = opts.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.socket = io(opts.url, {
      auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: opts.key, ...(opts.joinCode ? { joinCode: opts.joinCode } : {}) },
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      forceNew: true,
      ...(opts.ca ? { ca: opts.ca } : {}),
    });
    this.socket.on('connect', () => void this.login());
    this.socket.on('disconnect', (reason) => {
      this.down(`disconnected (${reason})`);
      // The relay closed the connection itself (shutting down, a restart): Socket.IO leaves that one
      // to the client, and a link always comes back.
      if (reason === 'io server disconnect') this.retry(1_000);
    });
    this.socket.on('connect_error', (err: Error & { data?: { retryAfterMs?: number } }) => {
      this.down(`cannot connect (${err.message})`);
      // Refused by the relay itself (a lockout, too many connections, its handshake rate limit):
      // Socket.IO gives up on those, a link tries again.
      if (!this.socket.active) this.retry(Math.max(1_000, err.data?.retryAfterMs ?? 5_000));
    });
    this.socket.on('new message', (m) => {
      if (this.state.up && typeof m === 'object' && m !== null && this.opts.rooms.includes(m.room)) this.emit('message', m);
    });
  }

  get relayId(): string | undefined {
    return this.state.up ? this.state.relayId : undefined;
  }

  get userId(): string | undefined {
    return this.state.up ? this.state.userId : undefined;
  }

  /** The room's messages after `afterSeq`, oldest first (every page of them the relay still keeps). */
  async readAfter(room: string, afterSeq: number): Promise<ChatMessage[]> {
    const pages: ChatMessage[][] = [];
    let before: number | undefined;
    for (;;) {
      const page = await this.request<HistoryPage>('history:fetch', { room, afterSeq, ...(before === undefined ? {} : { beforeSeq: before }), limit: HISTORY_PAGE_MAX });
      if (page.messages.length > 0) pages.unshift(page.messages);
      if (!page.hasMore || page.messages.length === 0) break;
      before = page.messages[0]!.seq;
    }
    return pages.flat();
  }

  send(req: SendRequest): Promise<AckResult<SendOk>> {
    return this.raw<SendOk>('new message', req);
  }

  close(): void {
    this.closed = true;
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private async login(): Promise<void> {
    try {
      const ok = await this.request<LoginOk>('add user', { username: this.opts.nickname });
      for (const room of this.opts.rooms) {
        if (room === ok.rooms[0]?.history.room) continue;
        await this.request('room:join', { room, create: true });
      }
      if (!ok.relay) throw new Error('this relay does not give its id (too old to link to)');
      this.state = { up: true, relayId: ok.relay, userId: ok.userId };
      this.opts.log.info({ side: this.opts.side, url: this.opts.url, relay: ok.relay }, 'link side up');
      this.emit('up');
    } catch (err) {
      this.opts.log.warn({ side: this.opts.side, url: this.opts.url, err: (err as Error).message }, 'link could not log in; retrying');
      this.down(`login refused (${(err as Error).message})`);
      // A fresh connection later: a refused login (nickname taken by a stale session) may pass then.
      this.socket.disconnect();
      this.retry(5_000);
    }
  }

  private retry(afterMs: number): void {
    if (this.closed) return;
    setTimeout(() => {
      if (!this.closed && !this.socket.connected) this.socket.connect();
    }, afterMs).unref();
  }

  private down(reason: string): void {
    const wasUp = this.state.up;
    if (!wasUp && this.state.reason === reason) return;
    this.state = { up: false, since: wasUp ? Date.now() : this.state.since, reason };
    if (wasUp) {
      this.opts.log.warn({ side: this.opts.side, url: this.opts.url, reason }, 'link side down');
      this.emit('down');
    }
  }

  /** An event's ack, or a thrown Error for a refusal or a timeout. */
  private async request<T extends object>(event: string, payload: unknown): Promise<T> {
    const res = await this.raw<T>(event, payload);
    if (!res.ok) throw Object.assign(new Error(`${res.code}: ${res.message}`), { code: res.code });
    return res as T;
  }

  private async raw<T extends object>(event: string, payload: unknown): Promise<AckResult<T>> {
    // Events and payloads are the registry's (protocol/requests.ts); this one door takes them by name.
    const timed = this.socket.timeout(this.timeoutMs) as unknown as { emitWithAck(event: string, payload: unknown): Promise<AckResult<T>> };
    return timed.emitWithAck(event, payload);
  }
}

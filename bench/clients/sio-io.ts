/**
 * Clients on the real socket.io-client, for the storms: a Parley client (websocket, handshake auth,
 * login ack with presence, then deltas) and the classic browser client (no auth; default transports,
 * i.e. HTTP long-polling first and then the upgrade, or websocket only for the fair comparison).
 * Both log in again on every (re)connect, and wait between attempts, as their real counterparts do.
 */
import { randomBytes } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { DEFAULT_ROOM, PROTOCOL_VERSION, type AckResult, type ChatMessage, type LoginOk, type PresenceDelta, type SendOk } from '../../protocol/index';
import { RECONNECT } from '../../renderer/model/backoff';
import { PresenceView } from './presence-view';
import type { BenchClient, ClientSink, ClientSpec } from './types';

/** How long a client waits for an ack before it counts the request as failed. */
const ACK_TIMEOUT_MS = 30_000;

type Mode = 'parley' | 'classic' | 'classic-ws';

export class SioIoClient implements BenchClient {
  private socket: Socket | undefined;
  private readonly presence = new PresenceView(DEFAULT_ROOM);
  private readonly key = randomBytes(18).toString('base64url');

  constructor(
    private readonly spec: ClientSpec,
    private readonly mode: Mode,
    private readonly sink: ClientSink,
  ) {}

  start(): Promise<void> {
    const parley = this.mode === 'parley';
    const socket = connect(this.spec.url, {
      forceNew: true,
      reconnection: this.spec.reconnect,
      // Each client reconnects as its real counterpart does: the classic page with socket.io's
      // defaults (1 s ± 50 %, doubling to 5 s), Parley's with its own policy (0.5 s ± 20 %,
      // doubling to 8 s), here through socket.io-client's equivalent options.
      ...(parley ? { reconnectionDelay: RECONNECT.baseMs, reconnectionDelayMax: RECONNECT.maxMs, randomizationFactor: RECONNECT.jitter } : {}),
      // A storm of 1,000 clients on two cores can take longer than the default 20 s connect timeout.
      timeout: 60_000,
      ...(this.mode === 'classic' ? {} : { transports: ['websocket'] }),
      ...(parley ? { auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: this.key } } : {}),
    });
    this.socket = socket;
    const local = this.spec.local;
    socket.on('new message', (m: ChatMessage) => this.sink.text(local, m.message));
    socket.on('disconnect', () => {
      this.presence.reset();
      this.sink.count(local, -1);
    });
    if (parley) {
      socket.on('presence', (delta: PresenceDelta) => {
        this.presence.apply(delta);
        if (this.presence.count >= 0) this.sink.count(local, this.presence.count);
      });
    } else {
      const count = ({ numUsers }: { numUsers: number }): void => this.sink.count(local, numUsers);
      socket.on('login', count);
      socket.on('user joined', count);
      socket.on('user left', count);
    }

    return new Promise((resolve, reject) => {
      let first = true;
      socket.on('connect_error', (err) => {
        if (first && !this.spec.reconnect) reject(err);
      });
      socket.on('connect', () => {
        const login = parley ? this.parleyLogin(socket) : this.classicLogin(socket);
        login.then(
          () => {
            if (first) resolve();
            first = false;
          },
          (err: unknown) => {
            if (first) reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
    });
  }

  private async parleyLogin(socket: Socket): Promise<void> {
    this.presence.reset();
    const res = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('add user', { username: this.spec.username })) as AckResult<LoginOk>;
    if (!res.ok) throw new Error(`login refused: ${res.code}`);
    const lobby = res.rooms[0];
    if (!lobby) throw new Error('login without lobby state');
    this.presence.snapshot(lobby.presence);
    this.sink.count(this.spec.local, this.presence.count);
  }

  private classicLogin(socket: Socket): Promise<void> {
    return new Promise((resolve) => {
      socket.once('login', () => resolve());
      socket.emit('add user', this.spec.username);
    });
  }

  send(text: string, done: (accepted: boolean) => void): void {
    const socket = this.socket;
    if (!socket?.connected) return done(false);
    if (this.mode !== 'parley') {
      socket.emit('new message', text);
      return done(true);
    }
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('new message', { text })
      .then((res: AckResult<SendOk>) => done(res.ok), () => done(false));
  }

  close(): void {
    this.socket?.disconnect();
  }
}

/**
 * Per-recipient costs of Socket.IO's delivery path that the relay's traffic does not need. A lobby
 * message to N clients is N × (adapter lookup + engine.io packet + one socket write): the write
 * dominates, so everything else per recipient, and every extra write, shows up directly in delivery
 * latency once a relay is busy.
 *
 * 1. Socket.IO's adapter walks a broadcast's rooms through a fresh Set of every recipient id, which
 *    only matters when a socket could be reached through two of the rooms. A broadcast to a single
 *    room (the lobby, a chat room) walks that room directly; DMs (two user rooms) take the stock path.
 * 2. Socket.IO pre-encodes a broadcast's WebSocket frame once, as [header, payload], and ws then
 *    writes the pair with cork/write/write/uncork: a writev, with its buffering, per recipient. Joined
 *    once per broadcast, each recipient gets one plain write of the same bytes.
 * 3. See batchTransportWrites: a client's backlog leaves in one system call.
 * 4. And deferredFlush: what one turn of the event loop queues for a client is its backlog.
 * 5. And TurnFlusher.after: that turn's flush waits for the store replies its messages are due to get.
 *
 * 1 and 2 are applied to the namespace's adapter object (in-memory, or the Redis adapter, which uses
 * the same code for its local delivery), 3 to each WebSocket transport, 4 to each engine.io socket.
 * Each falls back to the stock code for anything it does not recognise, so a Socket.IO upgrade that
 * changes these internals degrades to the stock behaviour rather than breaking
 * (test/server/fast-broadcast.test.ts pins them). The relay logs at start which ones took, and
 * `fastPath: false` (FAST_PATH=off) leaves Socket.IO's delivery path entirely stock.
 */
type SocketId = string;

interface BroadcastOptions {
  rooms: Set<string>;
  except?: Set<string>;
}

interface PacketOptions {
  wsPreEncodedFrame?: unknown;
}

/** The parts of socket.io-adapter's `Adapter` used here (it is not a direct dependency). */
interface AdapterInternals {
  rooms: Map<string, Set<SocketId>>;
  nsp: { sockets: Map<SocketId, unknown> };
  apply(opts: BroadcastOptions, callback: (socket: unknown) => void): void;
  computeExceptSids?(exceptRooms?: Set<string>): Set<SocketId>;
  _encode?(packet: unknown, packetOpts: PacketOptions): unknown;
}

const NONE: ReadonlySet<SocketId> = new Set();

/** Which of 1 and 2 the adapter took (both fall back to stock behaviour when its internals differ). */
export interface BroadcastTuning {
  singleRoomWalk: boolean;
  joinedFrames: boolean;
}

export function tuneBroadcasts(adapter: object): BroadcastTuning {
  const a = adapter as AdapterInternals;
  const applied: BroadcastTuning = { singleRoomWalk: false, joinedFrames: false };
  if (!(a.rooms instanceof Map) || typeof a.apply !== 'function') return applied;

  const apply = a.apply;
  const exceptSids = a.computeExceptSids;
  if (typeof exceptSids === 'function') {
    a.apply = function (this: AdapterInternals, opts, callback) {
      if (!(opts.rooms instanceof Set) || opts.rooms.size !== 1) return apply.call(this, opts, callback);
      const [room] = opts.rooms;
      const members = this.rooms.get(room!);
      if (!members) return;
      const except = opts.except && opts.except.size > 0 ? exceptSids.call(this, opts.except) : NONE;
      for (const id of members) {
        if (except.has(id)) continue;
        const socket = this.nsp.sockets.get(id);
        if (socket) callback(socket);
      }
    };
    applied.singleRoomWalk = true;
  }

  const encode = a._encode;
  if (typeof encode === 'function') {
    a._encode = function (this: AdapterInternals, packet, packetOpts) {
      const encoded = encode.call(this, packet, packetOpts);
      const frame = packetOpts.wsPreEncodedFrame;
      if (Array.isArray(frame) && frame.length === 2 && Buffer.isBuffer(frame[0]) && Buffer.isBuffer(frame[1])) {
        packetOpts.wsPreEncodedFrame = [Buffer.concat(frame as Buffer[])];
      }
      return encoded;
    };
    applied.joinedFrames = true;
  }
  return applied;
}

/** The parts of an engine.io socket and its WebSocket transport used below. */
interface EngineSocket {
  transport: Transport;
  once(event: 'upgrade', listener: (transport: Transport) => void): unknown;
  flush(): void;
  closeTransport(discard?: boolean): void;
}

interface Transport {
  name: string;
  send(packets: unknown[]): void;
  /** ws's WebSocket, whose `_socket` is the TCP socket. */
  socket?: { _socket?: { cork(): void; uncork(): void } };
}

/**
 * Installs 3 (below) on every WebSocket transport and 4 (further below, with the relay's own
 * TurnFlusher) on every engine.io socket.
 *
 * 3. A client that fell behind by more than one packet (a burst of messages, a relay busy for a few
 *    ms) gets its backlog from engine.io as one `send(packets)`, and ws writes every frame with its
 *    own system call. Corked around that call, the backlog leaves in one writev: the relay catches up
 *    with fewer system calls exactly when it is behind. One packet (the usual case) is sent as before.
 *    The wrapper is one shared function set on each WebSocket transport: no closure per connection.
 */
export function batchTransportWrites(engine: { on(event: 'connection', listener: (socket: EngineSocket) => void): unknown }, flusher: TurnFlusher): void {
  engine.on('connection', (socket) => {
    const proto = Object.getPrototypeOf(socket) as EngineSocket;
    if (socket.flush === proto.flush && socket.closeTransport === proto.closeTransport) {
      socket.flush = flusher.deferredFlush;
      socket.closeTransport = flusher.flushThenClose;
    }
    batch(socket.transport);
    // Long-polling clients upgrade to a WebSocket later.
    if (socket.transport.name !== 'websocket') socket.once('upgrade', batch);
  });
}

function batch(transport: Transport): void {
  if (transport.name !== 'websocket' || transport.send === batchedSend) return;
  // Only engine.io's own method is wrapped: anything else already replaced it, leave it alone.
  if (transport.send !== (Object.getPrototypeOf(transport) as Transport).send) return;
  transport.send = batchedSend;
}

function batchedSend(this: Transport, packets: unknown[]): void {
  const send = (Object.getPrototypeOf(this) as Transport).send;
  const tcp = packets.length > 1 ? this.socket?._socket : undefined;
  if (!tcp || typeof tcp.cork !== 'function') return send.call(this, packets);
  tcp.cork();
  try {
    send.call(this, packets);
  } finally {
    tcp.uncork();
  }
}

/**
 * 4. engine.io writes a socket's packets the moment each is queued. Everything queued for a socket
 *    during one turn of the event loop (the broadcasts of every message read in that turn, their
 *    acks) is written together instead, once the turn's I/O callbacks are done (setImmediate): the
 *    backlog then leaves in one writev (3.). An idle relay adds no measurable delay (the check phase
 *    follows the poll phase of the same turn); a busy one makes one system call per socket per turn
 *    instead of one per message. Order is unchanged: packets stay in engine.io's own write buffer.
 *
 * 5. A message in Redis mode is broadcast when Redis answers its script, in a later turn than the
 *    one that read it; flushed at the end of the reading turn, the turn's other packets would leave
 *    now and that broadcast in writes of its own one turn later: at saturation about half the
 *    packets per write, so more CPU per delivery, and more latency. So the end-of-turn flush waits
 *    for the replies that are due (after), once per flush and at most HOLD_MAX_MS. Replies still
 *    missing then are late (Redis slow, or down and the message queued): no later flush waits for
 *    them, so a store that stops answering delays a flush by HOLD_MAX_MS at most. With the
 *    in-memory store the replies are in before the turn ends: nothing waits.
 *
 * One TurnFlusher per relay: two relays in one process (tests, the desktop harness) never hold
 * each other's flushes.
 */
// Well above a round trip to a Redis in the same region or on the same host, so a hold normally
// ends with the replies; and a bound on what a stalled Redis adds to a flush. Only 2 ms and 6 ms were
// measured (the redis scenario at saturation, 5 rounds each): 1.23× memory mode's CPU per delivery
// with 2 ms, where the timer ended more holds, and 1.13× with 6 ms. 5 ms was chosen between them,
// nearer the better figure; it has not been measured on its own.
const HOLD_MAX_MS = 5;

export class TurnFlusher {
  private dirty = new Set<EngineSocket>();
  private scheduled = false;
  private repliesDue = 0;
  /** Bumped when a hold expires: replies counted before that no longer count. */
  private generation = 0;
  private holding = false;
  private holdTimer: NodeJS.Timeout | undefined;

  /** Set as each engine.io socket's `flush`: one function per relay, no closure per connection. */
  readonly deferredFlush: (this: EngineSocket) => void;
  /** A socket closed by the relay (shutdown, kick) still gets what was queued for it first. */
  readonly flushThenClose: (this: EngineSocket, discard?: boolean) => void;

  constructor() {
    // engine.io calls these with the socket as `this`; they reach the flusher through the closure.
    const mark = (socket: EngineSocket): void => {
      this.dirty.add(socket);
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flushDirty());
    };
    const unmark = (socket: EngineSocket): boolean => this.dirty.delete(socket);
    this.deferredFlush = function (this: EngineSocket) {
      mark(this);
    };
    this.flushThenClose = function (this: EngineSocket, discard?: boolean) {
      const proto = Object.getPrototypeOf(this) as EngineSocket;
      if (unmark(this)) proto.flush.call(this);
      proto.closeTransport.call(this, discard);
    };
  }

  /** Makes the pending end-of-turn flush wait for `reply` (whose handlers queue packets). Returns it. */
  after<T>(reply: Promise<T>): Promise<T> {
    const counted = this.generation;
    this.repliesDue++;
    const arrived = (): void => {
      if (counted !== this.generation) return;
      this.repliesDue--;
      // The reply's own handlers run before the check phase, so this flush carries what they queue.
      if (this.repliesDue === 0 && this.holdTimer !== undefined) {
        clearTimeout(this.holdTimer);
        this.holdTimer = undefined;
        setImmediate(() => this.flushDirty());
      }
    };
    reply.then(arrived, arrived);
    return reply;
  }

  private holdExpired(): void {
    this.holdTimer = undefined;
    this.generation++;
    this.repliesDue = 0;
    this.flushDirty();
  }

  private flushDirty(): void {
    if (!this.holding && this.repliesDue > 0) {
      this.holding = true;
      this.holdTimer = setTimeout(() => this.holdExpired(), HOLD_MAX_MS);
      return;
    }
    this.holding = false;
    this.scheduled = false;
    // A fresh set first: a flush that queues more (a synchronous drain) is handled next turn.
    const batch = this.dirty;
    this.dirty = new Set();
    for (const socket of batch) {
      const proto = Object.getPrototypeOf(socket) as EngineSocket;
      try {
        proto.flush.call(socket);
      } catch {
        // Thrown here, an error would be uncaught and end the relay; a socket that cannot be written
        // to is broken, so it is closed and the others still get their packets.
        try {
          proto.closeTransport.call(socket, true);
        } catch {
          // Already gone.
        }
      }
    }
  }
}

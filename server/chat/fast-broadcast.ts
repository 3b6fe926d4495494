/**
 * Two per-recipient costs of Socket.IO's broadcast path that the relay's traffic does not need. A
 * lobby message to N clients is N × (adapter lookup + engine.io packet + one socket write): the
 * write dominates, so everything else per recipient shows up directly in delivery latency once a
 * relay is busy.
 *
 * 1. Socket.IO's adapter walks a broadcast's rooms through a fresh Set of every recipient id, which
 *    only matters when a socket could be reached through two of the rooms. Every relay broadcast
 *    to a single room (a chat room, a DM party's user room, the lobby) walks that room directly.
 * 2. Socket.IO pre-encodes a broadcast's WebSocket frame once, as [header, payload], and ws then
 *    writes the pair with cork/write/write/uncork: a writev, with its buffering, per recipient. Joined
 *    once per broadcast, each recipient gets one plain write of the same bytes.
 *
 * Both are applied to the namespace's adapter object (in-memory, or the Redis adapter, which uses
 * the same code for its local delivery), and each falls back to Socket.IO's own code for anything
 * it does not recognise, so a Socket.IO upgrade that changes these internals degrades to the stock
 * behaviour rather than breaking.
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

export function tuneBroadcasts(adapter: object): void {
  const a = adapter as AdapterInternals;
  if (!(a.rooms instanceof Map) || typeof a.apply !== 'function') return;

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
  }
}

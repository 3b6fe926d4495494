/**
 * What this instance has delivered to its own clients, so that a gap in its Redis subscription can
 * be filled from history without anyone getting a message twice.
 *
 * Pub/sub keeps nothing: a message another instance publishes while this one is cut off from Redis
 * (its own outage, or the other instance flushing its write-behind queue a moment before this one
 * has resubscribed) never arrives here. History has it, so `GapFill` reads it back; this ledger
 * says where to start (each conversation's newest seq seen here when the cut began) and which
 * messages must not go out again (ids already delivered, by either path). Classic clients cannot
 * drop a second copy, so the check is exact, not best effort.
 *
 * It sees every stored message this instance delivers through the adapter's parser (a public
 * option of @socket.io/redis-adapter): `encode` for a broadcast it publishes, `decode` for one it
 * receives. A received copy of a message already delivered here is dropped before delivery.
 */
import * as msgpack from 'notepack.io';
import type { ChatMessage } from '../../../protocol/index';
import { RecencyMap } from '../../recency-map';

/** Ids remembered: well above what one gap's replay and the live copies racing it can involve. */
const IDS_MAX = 16_384;
/** Conversations remembered; beyond this the least recently active one is forgotten (its clients catch up by seq). */
const CONVERSATIONS_MAX = 10_000;

export interface ConversationMark {
  /** Newest stored seq delivered here. */
  seq: number;
  /** The Socket.IO rooms its messages go to (the room, or the two parties' user rooms). */
  rooms: readonly string[];
}

/** 'own': issued here, its send path delivers it; 'delivered': went out to this instance's clients. */
type IdState = 'own' | 'delivered';

export class DeliveryLedger {
  private readonly ids: RecencyMap<string, IdState>;
  private readonly convs: RecencyMap<string, ConversationMark>;

  constructor(idsMax = IDS_MAX, convsMax = CONVERSATIONS_MAX) {
    this.ids = new RecencyMap(idsMax);
    this.convs = new RecencyMap(convsMax);
  }

  /** True when the message with this id was delivered here or issued here (its send path delivers it). */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  /**
   * A message this instance is storing: its own send path delivers it, so a gap fill must not
   * (the fill can read it back a moment before that delivery). A copy received from another
   * instance still goes out: that is a retry's re-delivery (see chat/redelivery.ts).
   */
  own(id: string): void {
    if (!this.ids.has(id)) this.remember(id, 'own');
  }

  /**
   * Notes a stored message delivered here to `rooms`. Returns false when it had been delivered
   * here already (the caller then does not deliver it again).
   */
  record(msg: Pick<ChatMessage, 'id' | 'seq' | 'room'>, rooms: readonly string[]): boolean {
    const fresh = this.ids.get(msg.id) !== 'delivered';
    if (fresh) this.remember(msg.id, 'delivered');
    const mark = this.convs.get(msg.room);
    this.convs.set(msg.room, { seq: Math.max(mark?.seq ?? 0, msg.seq), rooms: mark && mark.rooms.length >= rooms.length ? mark.rooms : rooms });
    return fresh;
  }

  /** A copy of every conversation's mark: where a gap that starts now begins. */
  snapshot(): Map<string, ConversationMark> {
    const copy = new Map<string, ConversationMark>();
    for (const room of this.convs.keys()) copy.set(room, this.convs.get(room)!);
    return copy;
  }

  private remember(id: string, state: IdState): void {
    this.ids.set(id, state);
  }
}

/** The adapter's wire format ([uid, packet, opts]); `null` as the packet makes it drop a message. */
type Envelope = [uid: unknown, packet: { type?: number; data?: unknown[] } | null, opts: { rooms?: unknown[] }];

/** The stored chat message a broadcast envelope carries, if it carries one. */
function storedMessage(args: unknown): { msg: ChatMessage; rooms: string[] } | undefined {
  if (!Array.isArray(args) || args.length !== 3) return undefined;
  const [, packet, opts] = args as Envelope;
  const data = packet?.data;
  if (!Array.isArray(data) || data[0] !== 'new message') return undefined;
  const msg = data[1] as ChatMessage | undefined;
  if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'string' || typeof msg.room !== 'string' || !(msg.seq > 0)) return undefined;
  const rooms = Array.isArray(opts?.rooms) ? opts.rooms.filter((r): r is string => typeof r === 'string') : [];
  return { msg, rooms };
}

/** The adapter's msgpack parser, with the ledger watching stored messages go out and come in. */
export function ledgerParser(ledger: DeliveryLedger): { encode(args: unknown): Buffer; decode(buf: Buffer): unknown } {
  return {
    encode(args) {
      const found = storedMessage(args);
      if (found) ledger.record(found.msg, found.rooms);
      return msgpack.encode(args);
    },
    decode(buf) {
      const args = msgpack.decode(buf) as unknown;
      const found = storedMessage(args);
      if (found && !ledger.record(found.msg, found.rooms)) (args as Envelope)[1] = null;
      return args;
    },
  };
}

/**
 * Fills the hole a Redis cut leaves in this instance's live delivery (see delivery-ledger.ts).
 *
 * When the connections are up again and the adapter's subscriptions are in effect, every
 * conversation with clients here is read back from history from the seq this instance had
 * delivered when the cut began, and what is missing is delivered to the local clients only. A
 * message that arrives both ways (written just before the read, published just after) goes out
 * once: whichever path comes first records its id, and the other skips it.
 *
 * A conversation with no message seen here before the cut (a quiet room, or a DM of a local user
 * that this instance had not carried yet, found in the DM index) has no seq to start from: its
 * messages stamped from shortly before the cut on are read instead.
 */
import type { ChatMessage } from '../../../protocol/index';
import { dmParties, isRoomName } from '../../../protocol/index';
import { userRoom } from '../../socket-rooms';
import type { Logger } from '../../logger';
import type { RedisConnections, RedisState } from './connection';
import type { DeliveryLedger, ConversationMark } from './delivery-ledger';
import { CLASSIC_SOCKETS } from '../../socket-rooms';
import type { RedisHistoryStore } from './history';

/** How far before the cut a conversation without a mark is read: covers clock skew between instances. */
const UNMARKED_LOOKBACK_MS = 30_000;

/** The parts of the namespace's adapter used here (its rooms and its namespace, public in socket.io-adapter). */
export interface LocalRooms {
  rooms: Map<string, Set<string>>;
  nsp: {
    sockets: Map<string, unknown>;
    local: { to(rooms: string[]): Emitter & { except(room: string): Emitter } };
  };
}

interface Emitter {
  emit(event: 'new message', msg: ChatMessage): unknown;
}

export class GapFill {
  private adapter: LocalRooms | undefined;
  /** Set while a cut is not yet filled: where it began, per conversation and in time. */
  private cut: { at: number; marks: Map<string, ConversationMark> } | undefined;
  private running: Promise<void> | undefined;
  /** Counts the link's drops: a fill that saw another one begin must not close the cut. */
  private drops = 0;

  constructor(
    private readonly conns: RedisConnections,
    private readonly history: RedisHistoryStore,
    private readonly ledger: DeliveryLedger,
    private readonly historyLimit: number,
    private readonly log: Logger,
    /** Every DM conversation with a log (the Redis DM index). */
    private readonly dmConversations: () => Promise<string[]>,
  ) {
    if (conns.state !== 'up') this.cut = { at: Date.now(), marks: ledger.snapshot() };
    conns.on('state', (next: RedisState) => {
      if (next !== 'up') {
        this.drops++;
        this.cut ??= { at: Date.now(), marks: ledger.snapshot() };
      } else void this.fill();
    });
  }

  /** The '/' namespace's adapter, once Socket.IO has made it. */
  bind(adapter: LocalRooms): void {
    this.adapter = adapter;
  }

  /** Resolves when the fill in progress (if any) is over. For tests and shutdown. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private fill(): Promise<void> {
    // One at a time. A fill that another drop overtook leaves `cut` set: it runs again once the link
    // is back (at once if it already is), from the same starting points.
    if (this.running) return this.running;
    const drops = this.drops;
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.cut && this.drops !== drops && this.conns.state === 'up') void this.fill();
    });
    return this.running;
  }

  private async run(): Promise<void> {
    const adapter = this.adapter;
    const cut = this.cut;
    const drops = this.drops;
    if (!cut) return;
    // Before Socket.IO made the adapter there were no clients here to miss anything.
    if (!adapter) return void (this.cut = undefined);
    try {
      // Commands on one connection are answered in order: once this PING is, the (P)SUBSCRIBEs that
      // ioredis re-sent before it are in effect, and anything published from now on arrives live.
      await this.conns.sub.ping();
      const targets = this.conversations(adapter, cut.marks, await this.dmConversations());
      let delivered = 0;
      await Promise.all(
        [...targets].map(async ([conv, mark]) => {
          const page = await this.history.page(conv, mark.seq > 0 ? { afterSeq: mark.seq, limit: this.historyLimit } : { limit: this.historyLimit });
          const since = cut.at - UNMARKED_LOOKBACK_MS;
          for (const msg of page.messages) {
            if (!(mark.seq > 0) && msg.ts < since) continue;
            if (this.ledger.has(msg.id) || !this.ledger.record(msg, mark.rooms)) continue;
            // Classic clients are sent no change entries, nor a message deleted meanwhile (an empty line),
            // nor one with files here (its text alone could be empty; chat/files.ts writes their line on the live path).
            const to = adapter.nsp.local.to([...mark.rooms]);
            (msg.change || msg.deleted || msg.attachments || msg.via ? to.except(CLASSIC_SOCKETS) : to).emit('new message', msg);
            delivered++;
          }
        }),
      );
      if (this.cut === cut && this.drops === drops && this.conns.state === 'up') this.cut = undefined;
      if (delivered > 0) this.log.info({ delivered, conversations: targets.size }, 'delivered messages missed while cut off from Redis');
    } catch (err) {
      // Down again (the next 'up' retries with the same starting points) or a store error.
      this.log.warn({ err }, 'could not fill the gap left by a Redis cut; will retry when it is back');
    }
  }

  /** Conversations with clients on this instance: the marked ones, then rooms and DMs without a mark. */
  private conversations(adapter: LocalRooms, marks: Map<string, ConversationMark>, dms: string[]): Map<string, ConversationMark> {
    const out = new Map<string, ConversationMark>();
    const local = (room: string) => (adapter.rooms.get(room)?.size ?? 0) > 0;
    for (const [conv, mark] of marks) if (mark.rooms.some(local)) out.set(conv, mark);
    for (const room of adapter.rooms.keys()) {
      if (out.has(room) || !isRoomName(room) || adapter.nsp.sockets.has(room)) continue;
      out.set(room, { seq: 0, rooms: [room] });
    }
    for (const dm of dms) {
      const parties = dmParties(dm);
      if (out.has(dm) || !parties) continue;
      const rooms = parties.map(userRoom);
      if (rooms.some(local)) out.set(dm, { seq: 0, rooms });
    }
    return out;
  }
}

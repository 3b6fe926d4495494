/**
 * Read receipts on the client (protocol/receipts.ts). The relay keeps one read and one delivered
 * cursor per user per conversation; this keeps the copies the UI needs and moves the user's own:
 *
 * - **Own cursors**, shared by every device of the user: set from the login ack, moved by this
 *   device's `read` (when a conversation is on screen and the window attended) and by `receipts`
 *   naming the user (another device read). Unread counts follow them, so reading on one device
 *   clears the badge on the others.
 * - **Delivered**: a DM message from the other party is reported delivered as soon as it arrives.
 * - **Others' cursors**, per conversation: "Delivered"/"Read" on own DM messages and "Seen by" in
 *   rooms. Loaded with `receipts:list` when a conversation opens, kept current by `receipts`.
 *
 * One `read` per conversation is in flight at a time, and a read position is sent at most once per
 * readInterval(): a newer position waits and goes next, so a busy room read as it scrolls by costs
 * a request every second or few, not one per message (bench/README.md, "Read receipts").
 */
import { isDmRoom, type ReadState, type ReceiptCursor, type ReceiptKind, type ReceiptsNotice } from '../../protocol/index';
import type { ClientState } from './client-state';
import type { Conversation } from './conversation';
import type { ConversationList } from './conversation-list';
import type { RelayConnection } from './relay-connection';
import type { UnreadCounter } from './unread';

interface Positions {
  read: number;
  delivered: number;
}

export type DeliveryMark = 'sent' | 'delivered' | 'read';

/** The least time between two read positions sent for one conversation of a few people. */
export const READ_EVERY_MS = 1000;
/** Per member beyond that: every member of a busy room reads, so the relay's load grows with size. */
const READ_MS_PER_MEMBER = 4;

/**
 * How often a read position may be sent in a conversation of `members`: once a second for a DM or a
 * team room, then slower as rooms grow (a room of 1,000 every 4 s), so that a big room where
 * everyone reads costs the relay a bounded share on top of delivering its messages. "Seen by" and
 * other devices' badges lag by at most that much; the first read after a pause goes at once.
 */
export function readInterval(members: number): number {
  return Math.max(READ_EVERY_MS, members * READ_MS_PER_MEMBER);
}

export class ReadSync {
  private readonly own = new Map<string, Positions>();
  private readonly others = new Map<string, Map<string, Positions>>();
  /** Per conversation and kind: the seq being sent, and the next one waiting for it. */
  private readonly sending = new Map<string, { inFlight: boolean; next: number; lastAt: number; timer?: ReturnType<typeof setTimeout> }>();
  /** The read position when each conversation was opened: where the "new messages" divider goes. */
  private readonly markers = new Map<string, number>();
  /**
   * "Send read receipts" off: reads go to the relay as private (the user's devices still agree), and,
   * as in Signal, others' reads are not shown either: marks stop at Delivered, rooms show no "Seen by".
   */
  private privateReads = false;

  setPrivate(on: boolean): void {
    this.privateReads = on;
    this.state.bump();
  }

  constructor(
    private readonly state: ClientState,
    private readonly convs: ConversationList,
    private readonly relay: RelayConnection,
    private readonly unread: UnreadCounter,
  ) {}

  /**
   * The login ack's read states: cursors and unread counts as the relay counts them. Then positions
   * read while offline, or refused, go (resend): the relay did not know of them yet.
   */
  applyLogin(reads: readonly ReadState[]): void {
    for (const r of reads) {
      const conv = this.convs.ensure(r.room);
      this.raise(this.own, r.room, r.readSeq, r.readSeq);
      this.unread.set(conv.id, r.unread, r.unreadMore === true);
    }
    this.resend();
  }

  /** The user has seen `conv` up to its newest message (it is on screen and the window attended). */
  markRead(conv: Conversation): void {
    const newest = conv.timeline.syncedSeq;
    this.unread.clear(conv.id);
    if (newest > (this.own.get(conv.id)?.read ?? 0)) this.send(conv.id, 'read', newest);
  }

  /** A message from someone else arrived: a DM reports it delivered at once. */
  received(conv: Conversation, seq: number): void {
    if (!isDmRoom(conv.id) || seq <= 0) return;
    if (seq > (this.own.get(conv.id)?.delivered ?? 0)) this.send(conv.id, 'delivered', seq);
  }

  /** Cursors that moved on the relay. */
  onReceipts(notice: ReceiptsNotice): void {
    const me = this.state.me.value?.userId;
    for (const c of notice.cursors) {
      if (c.userId === me) {
        this.raise(this.own, notice.room, c.read, c.delivered);
        this.recount(notice.room);
      } else this.raiseOther(notice.room, c);
    }
    this.state.bump();
  }

  /** Loads every member's cursors of a conversation (once opened; `receipts` keeps them current). */
  async loadCursors(room: string): Promise<void> {
    const res = await this.relay.request('receipts:list', { room });
    if (!res.ok) return;
    const me = this.state.me.value?.userId;
    for (const c of res.cursors) if (c.userId !== me) this.raiseOther(room, c);
    this.state.bump();
  }

  /** Where the "new messages" divider goes in a conversation just opened: after this seq. */
  openedAt(room: string): void {
    this.markers.set(room, this.own.get(room)?.read ?? 0);
  }

  /** The user's read position in a conversation, as the relay last confirmed it. */
  readPosition(room: string): number {
    return this.own.get(room)?.read ?? 0;
  }

  marker(room: string): number | undefined {
    return this.markers.get(room);
  }

  /** An own message's mark in a DM: read or delivered by the other party, or only stored. */
  deliveryOf(room: string, seq: number): DeliveryMark {
    let mark: DeliveryMark = 'sent';
    for (const p of this.others.get(room)?.values() ?? []) {
      if (p.read >= seq && !this.privateReads) return 'read';
      if (p.delivered >= seq) mark = 'delivered';
    }
    return mark;
  }

  /** Who (besides the user and the author) has read a room message. */
  seenBy(room: string, seq: number, author: string): string[] {
    const ids: string[] = [];
    if (this.privateReads) return ids;
    for (const [userId, p] of this.others.get(room) ?? []) if (userId !== author && p.read >= seq) ids.push(userId);
    return ids;
  }

  /** Sends the positions read while offline, or whose `read` failed; their acks recount. */
  private resend(): void {
    for (const [key, slot] of [...this.sending]) {
      if (slot.inFlight || slot.timer !== undefined) continue;
      const space = key.indexOf(' ');
      const kind = key.slice(0, space) as ReceiptKind;
      const room = key.slice(space + 1);
      const own = this.own.get(room);
      if (slot.next > (kind === 'read' ? (own?.read ?? 0) : (own?.delivered ?? 0))) {
        slot.lastAt = 0;
        this.send(room, kind, slot.next);
      }
    }
  }

  /** Stops the timers of positions waiting to be sent (the client closed). */
  close(): void {
    for (const slot of this.sending.values()) clearTimeout(slot.timer);
    this.sending.clear();
  }

  forget(room: string): void {
    this.own.delete(room);
    this.others.delete(room);
    this.markers.delete(room);
  }

  private send(room: string, kind: ReceiptKind, seq: number): void {
    const key = `${kind} ${room}`;
    const slot = this.sending.get(key) ?? { inFlight: false, next: 0, lastAt: 0 };
    this.sending.set(key, slot);
    slot.next = Math.max(slot.next, seq);
    if (slot.inFlight || slot.timer !== undefined || this.state.status.value !== 'online') return;
    const wait = slot.lastAt + this.interval(room) - Date.now();
    if (wait > 0) {
      slot.timer = setTimeout(() => {
        slot.timer = undefined;
        this.send(room, kind, slot.next);
      }, wait);
      return;
    }
    slot.lastAt = Date.now();
    slot.inFlight = true;
    const target = slot.next;
    void this.relay
      .request('read', { room, seq: target, kind, ...(kind === 'read' && this.privateReads ? { private: true } : {}) })
      .then((res) => {
        if (res.ok) {
          this.raise(this.own, room, res.read, res.delivered);
          this.recount(room);
        }
      })
      .catch(() => {})
      .finally(() => {
        slot.inFlight = false;
        const own = this.own.get(room);
        const done = kind === 'read' ? (own?.read ?? 0) : (own?.delivered ?? 0);
        if (slot.next > done && slot.next > target) this.send(room, kind, slot.next);
        // Kept while not confirmed (offline, or the relay could not store it): resend() retries it after the next login.
        else if (done >= slot.next && Date.now() - slot.lastAt >= this.interval(room)) this.sending.delete(key);
        this.state.bump();
      });
  }

  private interval(room: string): number {
    return readInterval(this.convs.get(room)?.presence.size ?? 0);
  }

  /** After the own read cursor moved: what is left unread is what came after it from others. */
  private recount(room: string): void {
    const conv = this.convs.get(room);
    const read = this.own.get(room)?.read ?? 0;
    if (!conv) return;
    const me = this.state.me.value?.userId;
    let n = 0;
    for (const e of conv.timeline.entries()) if (e.kind === 'message' && e.msg.seq > read && e.msg.userId !== me) n++;
    if (n < this.unread.get(room)) this.unread.set(room, n, false);
  }

  private raise(map: Map<string, Positions>, room: string, read: number, delivered: number): void {
    const p = map.get(room) ?? { read: 0, delivered: 0 };
    p.read = Math.max(p.read, read);
    p.delivered = Math.max(p.delivered, delivered, p.read);
    map.set(room, p);
  }

  private raiseOther(room: string, c: ReceiptCursor): void {
    let byUser = this.others.get(room);
    if (!byUser) this.others.set(room, (byUser = new Map()));
    this.raise(byUser, c.userId, c.read, c.delivered);
  }
}

/**
 * Coalesced `receipts` (protocol/receipts.ts), sent only to whom they concern: the authors of the
 * messages a cursor passed over (their "Delivered", "Read" and "Seen by"), and the reader's own
 * devices (their unread counts). The latest cursor of each user is kept per conversation and
 * recipient and sent at most once per RECEIPTS_COALESCE_MS.
 *
 * Why not tell the whole room: in a room of N where everyone reads every message, N cursors would
 * reach N members, N² per message. This way one message's N readers make N cursors to its author
 * and one to each reader's own devices: O(N). (Measured: bench/README.md, "Read receipts".)
 *
 * Parley sockets only: classic pages share the lobby's Socket.IO room but never asked for receipts.
 */
import type { ReceiptCursor } from '../../protocol/index';
import { CLASSIC_SOCKETS, userRoom, type ParleyServer } from './context';

/** How long cursors gather before they are sent; also the most often a recipient hears of one conversation. */
export const RECEIPTS_COALESCE_MS = 100;

interface Pending {
  room: string;
  recipient: string;
  cursors: Map<string, ReceiptCursor>;
  /** Sockets whose own `read` ack already told them: left out when they are the only source. */
  sources: Set<string>;
}

export class ReceiptFanout {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  /** Notices and cursors sent, for the bench and /healthz. */
  readonly stats = { notices: 0, cursors: 0 };

  constructor(
    private readonly io: ParleyServer,
    private readonly flushMs = RECEIPTS_COALESCE_MS,
  ) {}

  /**
   * Tells each of `recipients` (user ids) of `cursor` in conversation `room`. `source` is the socket
   * that moved it: its ack said so already, so a notice to its own user with nothing else in it
   * leaves that socket out.
   */
  queue(room: string, cursor: ReceiptCursor, recipients: Iterable<string>, source?: string): void {
    for (const recipient of recipients) {
      const key = `${room}\u0000${recipient}`;
      let entry = this.pending.get(key);
      if (!entry) {
        entry = { room, recipient, cursors: new Map(), sources: new Set() };
        this.pending.set(key, entry);
      }
      if (source !== undefined && recipient === cursor.userId) entry.sources.add(source);
      else entry.sources.add('');
      const before = entry.cursors.get(cursor.userId);
      // Cursors only move forward; two updates in one window keep the higher of each.
      entry.cursors.set(cursor.userId, before ? { userId: cursor.userId, read: Math.max(before.read, cursor.read), delivered: Math.max(before.delivered, cursor.delivered) } : cursor);
    }
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    for (const { room, recipient, cursors, sources } of batch.values()) {
      const notice = { room, cursors: [...cursors.values()] };
      const only = sources.size === 1 ? [...sources][0]! : '';
      this.io
        .to(userRoom(recipient))
        .except(only === '' ? CLASSIC_SOCKETS : [CLASSIC_SOCKETS, only])
        .emit('receipts', notice);
      this.stats.notices++;
      this.stats.cursors += notice.cursors.length;
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}

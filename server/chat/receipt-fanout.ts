/**
 * Coalesced `receipts` (protocol/receipts.ts). A cursor that moved is not sent at once: the latest
 * cursor of each user is kept per conversation and sent to its members at most once per
 * RECEIPTS_COALESCE_MS. In a room where everyone reads every message, N readers of one message then
 * make one `receipts` per member per window, carrying all N cursors, instead of N notices to N
 * members each: the packets per message stay O(N), not O(N²).
 *
 * Parley sockets only: classic pages share the lobby's Socket.IO room but never asked for receipts.
 */
import type { ReceiptCursor } from '../../protocol/index';
import { CLASSIC_SOCKETS, userRoom, type ParleyServer } from './context';
import type { Target } from './addressing';

/** How long cursors gather before they are sent; also the most often a member hears of one conversation. */
export const RECEIPTS_COALESCE_MS = 100;

interface Pending {
  target: Target;
  cursors: Map<string, ReceiptCursor>;
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

  queue(target: Target, cursor: ReceiptCursor): void {
    let entry = this.pending.get(target.room);
    if (!entry) {
      entry = { target, cursors: new Map() };
      this.pending.set(target.room, entry);
    }
    const before = entry.cursors.get(cursor.userId);
    // Cursors only move forward; two updates in one window keep the higher of each.
    entry.cursors.set(cursor.userId, before ? { userId: cursor.userId, read: Math.max(before.read, cursor.read), delivered: Math.max(before.delivered, cursor.delivered) } : cursor);
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    for (const { target, cursors } of batch.values()) {
      const notice = { room: target.room, cursors: [...cursors.values()] };
      const to = target.kind === 'room' ? this.io.to(target.room) : this.io.to(userRoom(target.peers[0])).to(userRoom(target.peers[1]));
      to.except(CLASSIC_SOCKETS).emit('receipts', notice);
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

/**
 * Coalesces presence changes: instead of one broadcast per join (the classic chat's O(N²) join
 * storm: N joins × N recipients), changes of a room are gathered for `flushMs` and sent as one
 * `presence` delta to the room's Parley sockets. Classic sockets still get one `user joined` per user,
 * because that is what their client understands. A delta holds one change per user, the last: a
 * user who joins and leaves (or reconnects) within one delta costs each recipient one change,
 * however often they churn.
 */
import type { PresenceChange, PresenceDelta } from '../../protocol/index';
import type { Logger } from '../logger';
import type { PresenceStore } from '../stores/types';
import { CLASSIC_SOCKETS, type ParleyServer } from './context';

export class PresenceBroadcaster {
  /** Per room, the latest change of each user (a Map keeps first-insertion order; re-set below). */
  private pending = new Map<string, Map<string, PresenceChange>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: ParleyServer,
    private readonly store: PresenceStore,
    private readonly log: Logger,
    private readonly flushMs: number,
  ) {}

  queue(room: string, change: PresenceChange): void {
    let byUser = this.pending.get(room);
    if (!byUser) {
      byUser = new Map();
      this.pending.set(room, byUser);
    }
    // Deleted first, so the user's entry moves to the end: the delta stays in pv order.
    byUser.delete(change.user.id);
    byUser.set(change.user.id, change);
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Sends every pending delta now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    await Promise.all(
      [...batch].map(async ([room, byUser]) => {
        try {
          const delta: PresenceDelta = { room, numUsers: await this.store.count(room), changes: [...byUser.values()] };
          this.io.to(room).except(CLASSIC_SOCKETS).emit('presence', delta);
        } catch (err) {
          // Clients notice the count mismatch and resync with `users:list`.
          this.log.warn({ err, room }, 'presence delta not sent');
        }
      }),
    );
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

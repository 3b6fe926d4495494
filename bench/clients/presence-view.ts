/**
 * How a Parley client knows who is present: the login snapshot, then the coalesced `presence` deltas
 * whose changes are newer (higher `pv`) than the snapshot. Deltas that arrive before the snapshot are
 * held and replayed against it, so the order of ack and delta on the wire does not matter.
 */
import type { PresenceDelta, PresenceSnapshot } from '../../protocol/index';

export class PresenceView {
  private users: Set<string> | undefined;
  private pv = 0;
  private early: PresenceDelta[] = [];

  constructor(private readonly room: string) {}

  /** Users present, or -1 before the first snapshot. */
  get count(): number {
    return this.users?.size ?? -1;
  }

  /** A new login: forget everything (after a reconnect the relay may be a fresh process). */
  reset(): void {
    this.users = undefined;
    this.pv = 0;
    this.early = [];
  }

  snapshot(snap: PresenceSnapshot): void {
    this.users = new Set(snap.users.map((u) => u.id));
    this.pv = snap.pv;
    const held = this.early;
    this.early = [];
    for (const delta of held) this.apply(delta);
  }

  apply(delta: PresenceDelta): void {
    if (delta.room !== this.room) return;
    if (!this.users) {
      this.early.push(delta);
      return;
    }
    for (const change of delta.changes) {
      if (change.pv <= this.pv) continue;
      this.pv = change.pv;
      if (change.op === 'join') this.users.add(change.user.id);
      else this.users.delete(change.user.id);
    }
  }
}

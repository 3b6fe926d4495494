/**
 * A room's participants, kept from a snapshot plus coalesced deltas. Every change has a per-room
 * version (`pv`); changes at or below the version already applied are ignored, so a delta that
 * overtakes (or trails) a snapshot cannot resurrect or drop anyone.
 */
import type { PresenceDelta, PresenceSnapshot, UserSummary } from '../../protocol/index';

export class RoomPresence {
  private users = new Map<string, UserSummary>();
  private pv = -1;
  /** The relay's count with the latest delta; differs from `size` only if a delta was missed. */
  reportedCount = 0;

  /** `force` for the snapshot of a (re)login: authoritative whatever versions came before. */
  applySnapshot(s: PresenceSnapshot, force = false): void {
    if (!force && s.pv < this.pv) return;
    this.users = new Map(s.users.map((u) => [u.id, u]));
    this.pv = s.pv;
    this.reportedCount = s.numUsers;
  }

  /** Applies a delta; returns the users who newly joined and left (for system lines). */
  applyDelta(d: PresenceDelta): { joined: UserSummary[]; left: UserSummary[] } {
    const joined: UserSummary[] = [];
    const left: UserSummary[] = [];
    for (const c of d.changes) {
      if (c.pv <= this.pv) continue;
      this.pv = c.pv;
      if (c.op === 'join') {
        if (!this.users.has(c.user.id)) joined.push(c.user);
        this.users.set(c.user.id, c.user);
      } else if (this.users.delete(c.user.id)) {
        left.push(c.user);
      }
    }
    this.reportedCount = d.numUsers;
    return { joined, left };
  }

  /** True when our list disagrees with the relay's count: time to ask for a fresh snapshot. */
  get outOfSync(): boolean {
    return this.users.size !== this.reportedCount;
  }

  get size(): number {
    return this.users.size;
  }

  get(userId: string): UserSummary | undefined {
    return this.users.get(userId);
  }

  list(): UserSummary[] {
    return [...this.users.values()].sort((a, b) => a.username.localeCompare(b.username));
  }
}

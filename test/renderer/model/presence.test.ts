import { describe, expect, it } from 'vitest';
import type { PresenceChange, PresenceDelta, PresenceSnapshot, UserSummary } from '../../../protocol/index';
import { RoomPresence } from '../../../renderer/model/presence';

const user = (id: string, username = id): UserSummary => ({ id, username });
const snapshot = (pv: number, users: UserSummary[], numUsers = users.length): PresenceSnapshot => ({ room: 'lobby', pv, users, numUsers });
const delta = (numUsers: number, ...changes: PresenceChange[]): PresenceDelta => ({ room: 'lobby', numUsers, changes });
const join = (pv: number, u: UserSummary): PresenceChange => ({ pv, op: 'join', user: u });
const leave = (pv: number, u: UserSummary): PresenceChange => ({ pv, op: 'leave', user: u });
const ids = (p: RoomPresence) => p.list().map((u) => u.id);

describe('RoomPresence', () => {
  it('starts empty and in sync', () => {
    const p = new RoomPresence();
    expect(p.size).toBe(0);
    expect(p.list()).toEqual([]);
    expect(p.outOfSync).toBe(false);
  });

  it('applies a snapshot, then deltas, returning who joined and left', () => {
    const p = new RoomPresence();
    p.applySnapshot(snapshot(5, [user('ana'), user('bob')]));
    expect(ids(p)).toEqual(['ana', 'bob']);
    const r = p.applyDelta(delta(2, join(6, user('cy')), leave(7, user('bob'))));
    expect(r.joined).toEqual([user('cy')]);
    expect(r.left).toEqual([user('bob')]);
    expect(ids(p)).toEqual(['ana', 'cy']);
    expect(p.get('cy')).toEqual(user('cy'));
    expect(p.get('bob')).toBeUndefined();
    expect(p.outOfSync).toBe(false);
  });

  it('ignores changes at or below the version already applied', () => {
    const p = new RoomPresence();
    p.applySnapshot(snapshot(10, [user('ana'), user('bob')]));
    // Trailing the snapshot: already included in it.
    const stale = p.applyDelta(delta(2, join(8, user('cy')), leave(9, user('bob')), leave(10, user('ana'))));
    expect(stale).toEqual({ joined: [], left: [] });
    expect(ids(p)).toEqual(['ana', 'bob']);
    // Mixed: only the newer change counts.
    const mixed = p.applyDelta(delta(3, leave(10, user('ana')), join(11, user('dan'))));
    expect(mixed).toEqual({ joined: [user('dan')], left: [] });
    expect(ids(p)).toEqual(['ana', 'bob', 'dan']);
    // A delta replayed after that is stale as a whole.
    expect(p.applyDelta(delta(3, join(11, user('dan'))))).toEqual({ joined: [], left: [] });
  });

  it('does not report a rejoin or rename as a join, nor an unknown leaver as left', () => {
    const p = new RoomPresence();
    p.applySnapshot(snapshot(1, [user('ana', 'Ana')]));
    const r = p.applyDelta(delta(1, join(2, user('ana', 'Anna')), leave(3, user('ghost'))));
    expect(r).toEqual({ joined: [], left: [] });
    expect(p.get('ana')?.username).toBe('Anna');
  });

  it('ignores an older snapshot unless forced; a forced one wins over a newer version', () => {
    const p = new RoomPresence();
    p.applySnapshot(snapshot(50, [user('ana')]));
    p.applySnapshot(snapshot(40, [user('old')]));
    expect(ids(p)).toEqual(['ana']);
    // A relogin (possibly to a restarted relay with fresh versions) is authoritative.
    p.applySnapshot(snapshot(2, [user('bob')]), true);
    expect(ids(p)).toEqual(['bob']);
    // Later deltas are ordered against the forced snapshot's version.
    expect(p.applyDelta(delta(2, join(3, user('cy')))).joined).toEqual([user('cy')]);
    expect(ids(p)).toEqual(['bob', 'cy']);
  });

  it('applies a snapshot with the same version (a resync)', () => {
    const p = new RoomPresence();
    p.applySnapshot(snapshot(3, [user('ana')]));
    p.applySnapshot(snapshot(3, [user('ana'), user('bob')]));
    expect(ids(p)).toEqual(['ana', 'bob']);
  });

  it('reports outOfSync when a delta was missed, until a fresh snapshot', () => {
    const p = new RoomPresence();
    p.applySnapshot(snapshot(1, [user('ana')]));
    // pv 2 (bob joins) never arrived.
    p.applyDelta(delta(3, join(3, user('cy'))));
    expect(p.size).toBe(2);
    expect(p.reportedCount).toBe(3);
    expect(p.outOfSync).toBe(true);
    p.applySnapshot(snapshot(3, [user('ana'), user('bob'), user('cy')]));
    expect(p.outOfSync).toBe(false);
    expect(ids(p)).toEqual(['ana', 'bob', 'cy']);
  });

  it('lists users sorted by name, not by id or arrival', () => {
    const p = new RoomPresence();
    p.applySnapshot(snapshot(1, [user('1', 'cy'), user('2', 'Ana'), user('3', 'bob')]));
    p.applyDelta(delta(4, join(2, user('4', 'Aaron'))));
    expect(p.list().map((u) => u.username)).toEqual(['Aaron', 'Ana', 'bob', 'cy']);
  });
});

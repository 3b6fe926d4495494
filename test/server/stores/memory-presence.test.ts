/**
 * In-memory presence: who is online, in which rooms, with per-room versions (pv) that order
 * snapshots against deltas. A user may have several sessions (tabs); others see them once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nicknameKey } from '../../../server/nickname-key';
import { seqBase } from '../../../server/ids';
import { MemoryPresenceStore } from '../../../server/stores/memory-presence';
import type { SessionInfo } from '../../../server/stores/types';

const LOBBY = 'lobby';
const T0 = 1_700_000_000_000;

function session(sid: string, userId: string, username: string, classic = false): SessionInfo {
  return { sid, userId, username, nickKey: nicknameKey(username), classic };
}

/** Connects and fails the test if the store refused. */
async function connect(store: MemoryPresenceStore, s: SessionInfo) {
  const result = await store.connect(s, LOBBY);
  if (!result.ok) throw new Error(`connect ${s.sid} refused: ${result.reason}`);
  return result;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('connect', () => {
  it('registers the user, puts them in the lobby and reports the join', async () => {
    const store = new MemoryPresenceStore();
    const result = await connect(store, session('s1', 'u-ana', 'Ana'));
    expect(result).toMatchObject({ ok: true, user: { id: 'u-ana', username: 'Ana' }, firstSession: true, numUsers: 1 });
    expect(result.user).not.toHaveProperty('classic');
    expect(result.lobbyChange).toMatchObject({ op: 'join', user: { id: 'u-ana', username: 'Ana' } });
    expect(await store.count(LOBBY)).toBe(1);
    expect(await store.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
  });

  it('marks classic users', async () => {
    const store = new MemoryPresenceStore();
    const result = await connect(store, session('s1', 'u-old', 'Old', true));
    expect(result.user).toEqual({ id: 'u-old', username: 'Old', classic: true });
    expect((await store.snapshot(LOBBY)).users).toEqual([{ id: 'u-old', username: 'Old', classic: true }]);
  });

  it('counts every present user in numUsers', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    const bob = await connect(store, session('s2', 'u-bob', 'Bob'));
    expect(bob.numUsers).toBe(2);
  });
});

describe('nickname uniqueness', () => {
  it.each([
    ['the same name', 'Ana'],
    ['a different case', 'ANA'],
    ['a Cyrillic look-alike', '\u0410na'],
    ['full-width letters', '\uFF21\uFF4E\uFF41'],
  ])('refuses another user taking %s', async (_what, name) => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    expect(await store.connect(session('s2', 'u-eve', name), LOBBY)).toEqual({ ok: false, reason: 'nickname-taken' });
  });

  it('a refused connect leaves no trace', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    const before = await store.snapshot(LOBBY);
    await store.connect(session('s2', 'u-eve', 'ana'), LOBBY);
    expect(await store.snapshot(LOBBY)).toEqual(before);
    expect(await store.user('u-eve')).toBeUndefined();
    expect(await store.join('s2', 'dev')).toEqual({});
    expect(await store.disconnect('s2')).toEqual({ changes: [] });
  });

  it('lets different names in', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-bob', 'bob'));
    await connect(store, session('s2', 'u-rob', 'rob'));
    expect(await store.count(LOBBY)).toBe(2);
  });

  it('lets the same user reuse their own name in another session', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    const second = await store.connect(session('s2', 'u-ana', 'ana'), LOBBY);
    expect(second).toMatchObject({ ok: true, firstSession: false });
  });

  it('frees the name when its holder’s last session disconnects', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    await connect(store, session('s2', 'u-ana', 'Ana'));
    await store.disconnect('s1');
    // Still held: one of Ana's sessions remains.
    expect(await store.connect(session('s3', 'u-eve', 'Ana'), LOBBY)).toMatchObject({ ok: false });
    await store.disconnect('s2');
    expect(await store.connect(session('s3', 'u-eve', 'Ana'), LOBBY)).toMatchObject({ ok: true });
  });

  it('a second session keeps the user’s first name and does not claim the new one', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    const second = await connect(store, session('s2', 'u-ana', 'Anastasia'));
    expect(second.user.username).toBe('Ana');
    expect(await connect(store, session('s3', 'u-other', 'Anastasia'))).toMatchObject({ ok: true });
  });

  it('force registers a mirrored session despite the holder, without taking the name over', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    expect(await store.connect(session('s2', 'u-twin', 'Ana'), LOBBY, true)).toMatchObject({ ok: true });
    await store.disconnect('s2');
    // The original holder still holds it.
    expect(await store.connect(session('s3', 'u-eve', 'Ana'), LOBBY)).toMatchObject({ ok: false });
  });
});

describe('several sessions of one user', () => {
  it('count the user once', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    const second = await connect(store, session('s2', 'u-ana', 'Ana'));
    expect(second.numUsers).toBe(1);
    expect(second.lobbyChange).toBeUndefined();
    expect(await store.count(LOBBY)).toBe(1);
    const snap = await store.snapshot(LOBBY);
    expect(snap.numUsers).toBe(1);
    expect(snap.users).toEqual([{ id: 'u-ana', username: 'Ana' }]);
  });

  it('join reports a change only for the user’s first session in the room', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    await connect(store, session('s2', 'u-ana', 'Ana'));
    const first = await store.join('s1', 'dev');
    expect(first.change).toMatchObject({ op: 'join', user: { id: 'u-ana' } });
    expect(await store.join('s2', 'dev')).toEqual({});
    expect(await store.count('dev')).toBe(1);
  });

  it('leave reports a change only when the user’s last session in the room leaves', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    await connect(store, session('s2', 'u-ana', 'Ana'));
    await store.join('s1', 'dev');
    await store.join('s2', 'dev');
    expect(await store.leave('s1', 'dev')).toEqual({});
    expect(await store.count('dev')).toBe(1);
    const last = await store.leave('s2', 'dev');
    expect(last.change).toMatchObject({ op: 'leave', user: { id: 'u-ana', username: 'Ana' } });
    expect(await store.count('dev')).toBe(0);
  });

  it('disconnecting one session keeps the user present where another session is', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    await connect(store, session('s2', 'u-ana', 'Ana'));
    await store.join('s1', 'dev'); // only s1 is in dev
    const result = await store.disconnect('s1');
    expect(result.user).toBeUndefined();
    // Ana left dev (her only session there went), but not the lobby.
    expect(result.changes).toEqual([{ room: 'dev', change: expect.objectContaining({ op: 'leave' }) }]);
    expect(await store.count(LOBBY)).toBe(1);
    expect(await store.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
  });
});

describe('join and leave', () => {
  it('joining a room twice from one session counts once and reports once', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    expect((await store.join('s1', 'dev')).change).toBeDefined();
    expect(await store.join('s1', 'dev')).toEqual({});
    expect(await store.count('dev')).toBe(1);
    // One leave is enough to be out.
    expect((await store.leave('s1', 'dev')).change).toBeDefined();
    expect(await store.count('dev')).toBe(0);
  });

  it('leaving a room the session is not in changes nothing', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    await connect(store, session('s2', 'u-bob', 'Bob'));
    await store.join('s2', 'dev');
    const pv = (await store.snapshot('dev')).pv;
    expect(await store.leave('s1', 'dev')).toEqual({});
    expect(await store.leave('s1', 'nowhere')).toEqual({});
    expect(await store.snapshot('dev')).toMatchObject({ numUsers: 1, pv });
  });

  it('ignores unknown sessions', async () => {
    const store = new MemoryPresenceStore();
    expect(await store.join('ghost', 'dev')).toEqual({});
    expect(await store.leave('ghost', LOBBY)).toEqual({});
    expect(await store.count('dev')).toBe(0);
  });

  it('snapshot lists the users of a room, and only them', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    await connect(store, session('s2', 'u-bob', 'Bob'));
    await store.join('s2', 'dev');
    expect(await store.snapshot('dev')).toMatchObject({ room: 'dev', numUsers: 1, users: [{ id: 'u-bob', username: 'Bob' }] });
    expect((await store.snapshot(LOBBY)).users.map((u) => u.id).sort()).toEqual(['u-ana', 'u-bob']);
  });

  it('snapshot of an unknown room is empty with pv 0', async () => {
    const store = new MemoryPresenceStore();
    expect(await store.snapshot('nowhere')).toEqual({ room: 'nowhere', numUsers: 0, users: [], pv: 0 });
  });

  it('returns copies: changing a returned user does not change the store', async () => {
    const store = new MemoryPresenceStore();
    const { user } = await connect(store, session('s1', 'u-ana', 'Ana'));
    user.username = 'Mallory';
    (await store.user('u-ana'))!.username = 'Mallory';
    (await store.snapshot(LOBBY)).users[0]!.username = 'Mallory';
    expect(await store.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
  });
});

describe('presence versions (pv)', () => {
  it('increase strictly with every change in a room, even within one millisecond', async () => {
    const store = new MemoryPresenceStore();
    const pvs: number[] = [];
    const ana = await connect(store, session('s1', 'u-ana', 'Ana'));
    pvs.push(ana.lobbyChange!.pv);
    const bob = await connect(store, session('s2', 'u-bob', 'Bob'));
    pvs.push(bob.lobbyChange!.pv);
    await store.join('s1', 'dev');
    pvs.push((await store.leave('s1', LOBBY)).change!.pv);
    pvs.push((await store.join('s1', LOBBY)).change!.pv);
    for (const { room, change } of (await store.disconnect('s2')).changes) if (room === LOBBY) pvs.push(change.pv);
    expect(pvs).toHaveLength(5);
    for (let i = 1; i < pvs.length; i++) expect(pvs[i]).toBeGreaterThan(pvs[i - 1]!);
  });

  it('the snapshot carries the pv of the latest change', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    const { change } = await store.join('s1', 'dev');
    expect((await store.snapshot('dev')).pv).toBe(change!.pv);
    const left = await store.leave('s1', 'dev');
    expect((await store.snapshot('dev')).pv).toBe(left.change!.pv);
  });

  it('do not go back to 0 when a room empties and fills again', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    const joined = await store.join('s1', 'dev');
    await store.leave('s1', 'dev');
    expect((await store.snapshot('dev')).pv).toBeGreaterThan(joined.change!.pv);
    const again = await store.join('s1', 'dev');
    expect(again.change!.pv).toBeGreaterThan(joined.change!.pv + 1);
  });

  it('start from the clock, so a restarted relay continues above the previous one', async () => {
    const first = new MemoryPresenceStore();
    const before = (await connect(first, session('s1', 'u-ana', 'Ana'))).lobbyChange!.pv;
    expect(before).toBeGreaterThan(seqBase(T0));
    vi.setSystemTime(T0 + 1);
    const restarted = new MemoryPresenceStore();
    const after = (await connect(restarted, session('s1', 'u-ana', 'Ana'))).lobbyChange!.pv;
    expect(after).toBeGreaterThan(before);
  });

  it('keep increasing if the clock steps backwards', async () => {
    const store = new MemoryPresenceStore();
    const a = (await connect(store, session('s1', 'u-ana', 'Ana'))).lobbyChange!.pv;
    vi.setSystemTime(T0 - 60_000);
    const b = (await connect(store, session('s2', 'u-bob', 'Bob'))).lobbyChange!.pv;
    expect(b).toBeGreaterThan(a);
  });

  it('are independent per room', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    const lobbyPv = (await store.snapshot(LOBBY)).pv;
    await store.join('s1', 'dev');
    await store.leave('s1', 'dev');
    expect((await store.snapshot(LOBBY)).pv).toBe(lobbyPv);
  });
});

describe('disconnect', () => {
  it('of the last session returns the user, leaves every room and forgets the user', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    await connect(store, session('s2', 'u-bob', 'Bob'));
    await store.join('s1', 'dev');
    const result = await store.disconnect('s1');
    expect(result.user).toEqual({ id: 'u-ana', username: 'Ana' });
    expect(result.changes.map((c) => c.room).sort()).toEqual(['dev', LOBBY]);
    for (const { change } of result.changes) expect(change).toMatchObject({ op: 'leave', user: { id: 'u-ana' } });
    expect(await store.user('u-ana')).toBeUndefined();
    expect(await store.count(LOBBY)).toBe(1);
    expect(await store.count('dev')).toBe(0);
  });

  it('of an unknown or already disconnected session does nothing', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    await store.disconnect('s1');
    expect(await store.disconnect('s1')).toEqual({ changes: [] });
    expect(await store.disconnect('ghost')).toEqual({ changes: [] });
  });

  it('lets the user come back as a first session', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    await store.disconnect('s1');
    const back = await connect(store, session('s2', 'u-ana', 'Ana'));
    expect(back.firstSession).toBe(true);
    expect(back.lobbyChange?.op).toBe('join');
  });
});

describe('classic flag', () => {
  it('is cleared when the user also connects with a Parley session', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana', true));
    expect((await store.user('u-ana'))?.classic).toBe(true);
    const parley = await connect(store, session('s2', 'u-ana', 'Ana', false));
    expect(parley.user).toEqual({ id: 'u-ana', username: 'Ana' });
    expect(await store.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
    expect((await store.snapshot(LOBBY)).users).toEqual([{ id: 'u-ana', username: 'Ana' }]);
  });

  it('is not set by a classic session of a user already connected with Parley', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana', false));
    const classic = await connect(store, session('s2', 'u-ana', 'Ana', true));
    expect(classic.user).not.toHaveProperty('classic');
    expect(await store.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
  });
});

describe('sessions()', () => {
  it('lists every session with its user and rooms, for resyncing a shared backend', async () => {
    const store = new MemoryPresenceStore();
    await connect(store, session('s1', 'u-ana', 'Ana'));
    await connect(store, session('s2', 'u-old', 'Old', true));
    await store.join('s1', 'dev');
    const list = store.sessions().sort((a, b) => a.sid.localeCompare(b.sid));
    expect(list).toEqual([
      { sid: 's1', userId: 'u-ana', username: 'Ana', nickKey: nicknameKey('Ana'), classic: false, rooms: [LOBBY, 'dev'] },
      { sid: 's2', userId: 'u-old', username: 'Old', nickKey: nicknameKey('Old'), classic: true, rooms: [LOBBY] },
    ]);
    await store.disconnect('s1');
    expect(store.sessions().map((s) => s.sid)).toEqual(['s2']);
  });
});

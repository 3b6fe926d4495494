/**
 * PresenceStore conformance: a user is in a room while any of their sessions is, others see them
 * once, and join/leave/disconnect report a change only when the user (not just a socket) arrives
 * or goes, in memory and in Redis alike. Versions (pv) are in presence-versions.test.ts, nickname
 * claims in nicknames.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { UserSummary } from '../../../../protocol/index';
import { connect, LOBBY, session, useBackends } from './backends';

const backends = useBackends();

// A snapshot's users are a set: memory lists them in join order, Redis in hash order.
const byId = (users: UserSummary[]) => [...users].sort((a, b) => a.id.localeCompare(b.id));

describe.each(backends)('PresenceStore.connect ($kind)', (backend) => {
  it('registers the user, puts them in the lobby and reports the join', async () => {
    const { presence } = await backend.stores();
    const result = await connect(presence, session('s1', 'u-ana', 'Ana'));
    expect(result).toMatchObject({ ok: true, user: { id: 'u-ana', username: 'Ana' }, firstSession: true, numUsers: 1 });
    expect(result.user).not.toHaveProperty('classic');
    expect(result.lobbyChange).toMatchObject({ op: 'join', user: { id: 'u-ana', username: 'Ana' } });
    expect(await presence.count(LOBBY)).toBe(1);
    expect(await presence.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
    expect(await presence.snapshot(LOBBY)).toMatchObject({ room: LOBBY, numUsers: 1, users: [{ id: 'u-ana', username: 'Ana' }] });
  });

  it('marks classic users everywhere they are reported', async () => {
    const { presence } = await backend.stores();
    const result = await connect(presence, session('s1', 'u-old', 'Old', true));
    const old = { id: 'u-old', username: 'Old', classic: true };
    expect(result.user).toEqual(old);
    expect(result.lobbyChange?.user).toEqual(old);
    expect(await presence.user('u-old')).toEqual(old);
    expect((await presence.snapshot(LOBBY)).users).toEqual([old]);
  });

  it('numUsers counts the users present (everyone is in the lobby: the relay refuses leaving it)', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    expect((await connect(presence, session('s2', 'u-bob', 'Bob'))).numUsers).toBe(2);
    expect((await connect(presence, session('s3', 'u-bob', 'Bob'))).numUsers).toBe(2);
  });
});

describe.each(backends)('several sessions of one user ($kind)', (backend) => {
  it('count the user once and report no second lobby join', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    const second = await connect(presence, session('s2', 'u-ana', 'Ana'));
    expect(second).toMatchObject({ firstSession: false, numUsers: 1 });
    expect(second.lobbyChange).toBeUndefined();
    expect(await presence.count(LOBBY)).toBe(1);
    expect(await presence.snapshot(LOBBY)).toMatchObject({ numUsers: 1, users: [{ id: 'u-ana', username: 'Ana' }] });
  });

  it('join reports only the user’s first session in a room, leave only the last', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    await connect(presence, session('s2', 'u-ana', 'Ana'));
    expect((await presence.join('s1', 'dev')).change).toMatchObject({ op: 'join', user: { id: 'u-ana', username: 'Ana' } });
    expect(await presence.join('s2', 'dev')).toEqual({});
    expect(await presence.count('dev')).toBe(1);
    expect(await presence.leave('s1', 'dev')).toEqual({});
    expect(await presence.count('dev')).toBe(1);
    expect((await presence.leave('s2', 'dev')).change).toMatchObject({ op: 'leave', user: { id: 'u-ana', username: 'Ana' } });
    expect(await presence.count('dev')).toBe(0);
  });

  it('disconnecting one keeps the user where another session is', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    await connect(presence, session('s2', 'u-ana', 'Ana'));
    await presence.join('s1', 'dev'); // only s1 is in dev
    const result = await presence.disconnect('s1');
    expect(result.user).toBeUndefined();
    expect(result.changes).toEqual([{ room: 'dev', change: expect.objectContaining({ op: 'leave', user: { id: 'u-ana', username: 'Ana' } }) }]);
    expect(await presence.count(LOBBY)).toBe(1);
    expect(await presence.count('dev')).toBe(0);
    expect(await presence.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
  });
});

describe.each(backends)('join, leave and snapshot ($kind)', (backend) => {
  it('joining twice from one session counts and reports once; one leave is enough', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    expect((await presence.join('s1', 'dev')).change).toBeDefined();
    expect(await presence.join('s1', 'dev')).toEqual({});
    expect(await presence.count('dev')).toBe(1);
    expect((await presence.leave('s1', 'dev')).change).toBeDefined();
    expect(await presence.count('dev')).toBe(0);
  });

  it('leaving a room the session is not in changes nothing', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    await connect(presence, session('s2', 'u-bob', 'Bob'));
    await presence.join('s2', 'dev');
    const before = await presence.snapshot('dev');
    expect(await presence.leave('s1', 'dev')).toEqual({});
    expect(await presence.leave('s1', 'nowhere')).toEqual({});
    expect(await presence.snapshot('dev')).toEqual(before);
  });

  it('ignores sessions it does not know', async () => {
    const { presence } = await backend.stores();
    expect(await presence.join('ghost', 'dev')).toEqual({});
    expect(await presence.leave('ghost', LOBBY)).toEqual({});
    expect(await presence.count('dev')).toBe(0);
    expect(await presence.snapshot('dev')).toEqual({ room: 'dev', numUsers: 0, users: [], pv: 0 });
  });

  it('snapshot lists the users of a room, and only them', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    await connect(presence, session('s2', 'u-bob', 'Bob'));
    await connect(presence, session('s3', 'u-old', 'Old', true));
    await presence.join('s2', 'dev');
    await presence.join('s3', 'dev');
    const dev = await presence.snapshot('dev');
    expect(dev).toMatchObject({ room: 'dev', numUsers: 2 });
    expect(byId(dev.users)).toEqual([
      { id: 'u-bob', username: 'Bob' },
      { id: 'u-old', username: 'Old', classic: true },
    ]);
    expect(byId((await presence.snapshot(LOBBY)).users).map((u) => u.id)).toEqual(['u-ana', 'u-bob', 'u-old']);
  });

  it('a room nobody joined has an empty snapshot with pv 0', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    expect(await presence.snapshot('nowhere')).toEqual({ room: 'nowhere', numUsers: 0, users: [], pv: 0 });
    expect(await presence.count('nowhere')).toBe(0);
  });

  it('returns copies: changing a returned user does not change the store', async () => {
    const { presence } = await backend.stores();
    const { user } = await connect(presence, session('s1', 'u-ana', 'Ana'));
    user.username = 'Mallory';
    (await presence.user('u-ana'))!.username = 'Mallory';
    (await presence.snapshot(LOBBY)).users[0]!.username = 'Mallory';
    expect(await presence.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
  });
});

describe.each(backends)('PresenceStore.disconnect ($kind)', (backend) => {
  it('of the last session returns the user, leaves every room and forgets the user', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    await connect(presence, session('s2', 'u-bob', 'Bob'));
    await presence.join('s1', 'dev');
    const result = await presence.disconnect('s1');
    expect(result.user).toEqual({ id: 'u-ana', username: 'Ana' });
    expect(result.changes.map((c) => c.room).sort()).toEqual(['dev', LOBBY]);
    for (const { change } of result.changes) expect(change).toMatchObject({ op: 'leave', user: { id: 'u-ana', username: 'Ana' } });
    expect(await presence.user('u-ana')).toBeUndefined();
    expect(await presence.count(LOBBY)).toBe(1);
    expect(await presence.count('dev')).toBe(0);
  });

  it('of an unknown or already disconnected session does nothing', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    await presence.disconnect('s1');
    expect(await presence.disconnect('s1')).toEqual({ changes: [] });
    expect(await presence.disconnect('ghost')).toEqual({ changes: [] });
    expect(await presence.join('s1', 'dev')).toEqual({});
  });

  it('lets the user come back as a first session', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    await presence.disconnect('s1');
    const back = await connect(presence, session('s2', 'u-ana', 'Ana'));
    expect(back).toMatchObject({ firstSession: true, lobbyChange: { op: 'join' } });
  });
});

describe.each(backends)('classic flag ($kind)', (backend) => {
  it('is cleared when the user also connects with a Parley session', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana', true));
    const parley = await connect(presence, session('s2', 'u-ana', 'Ana', false));
    expect(parley.user).toEqual({ id: 'u-ana', username: 'Ana' });
    expect(await presence.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
    expect((await presence.snapshot(LOBBY)).users).toEqual([{ id: 'u-ana', username: 'Ana' }]);
  });

  it('is not set by a classic session of a user already connected with Parley', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana', false));
    const classic = await connect(presence, session('s2', 'u-ana', 'Ana', true));
    expect(classic.user).toEqual({ id: 'u-ana', username: 'Ana' });
    expect(await presence.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
  });
});

/**
 * Presence versions (pv), memory and Redis alike: every change of a room carries a version higher
 * than any before it in that room, the snapshot carries the latest, so a client can order deltas
 * against the snapshot it got at login. Versions start from the clock (like seqs), so they also
 * stay above those a client saw before a restart or a flushed Redis.
 */
import { describe, expect, it } from 'vitest';
import { seqBase } from '../../../../server/ids';
import { connect, LOBBY, session, useBackends } from './backends';

const backends = useBackends();

function increasing(pvs: number[]): void {
  for (let i = 1; i < pvs.length; i++) expect(pvs[i]).toBeGreaterThan(pvs[i - 1]!);
}

describe.each(backends)('presence versions ($kind)', (backend) => {
  it('increase strictly with every change of a room, whatever caused it', async () => {
    const { presence } = await backend.stores();
    const pvs: number[] = [];
    pvs.push((await connect(presence, session('s1', 'u-ana', 'Ana'))).lobbyChange!.pv);
    pvs.push((await connect(presence, session('s2', 'u-bob', 'Bob'))).lobbyChange!.pv);
    await presence.join('s1', 'dev');
    // The handlers never let a user leave the lobby, but the store's contract holds for any room.
    pvs.push((await presence.leave('s1', LOBBY)).change!.pv);
    pvs.push((await presence.join('s1', LOBBY)).change!.pv);
    for (const { room, change } of (await presence.disconnect('s2')).changes) if (room === LOBBY) pvs.push(change.pv);
    expect(pvs).toHaveLength(5);
    increasing(pvs);
  });

  it('start above the clock-derived base of the room’s first join', async () => {
    const { presence } = await backend.stores();
    const before = seqBase();
    const { lobbyChange } = await connect(presence, session('s1', 'u-ana', 'Ana'));
    expect(lobbyChange!.pv).toBeGreaterThanOrEqual(before);
  });

  it('the snapshot carries the pv of the latest change', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    const joined = await presence.join('s1', 'dev');
    expect((await presence.snapshot('dev')).pv).toBe(joined.change!.pv);
    const left = await presence.leave('s1', 'dev');
    expect((await presence.snapshot('dev')).pv).toBe(left.change!.pv);
    const gone = await presence.disconnect('s1');
    const lobbyLeave = gone.changes.find((c) => c.room === LOBBY)!;
    expect((await presence.snapshot(LOBBY)).pv).toBe(lobbyLeave.change.pv);
  });

  it('a session’s join or leave that changes no membership does not move the version', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    await connect(presence, session('s2', 'u-ana', 'Ana'));
    await presence.join('s1', 'dev');
    const pv = (await presence.snapshot('dev')).pv;
    await presence.join('s2', 'dev'); // Ana is already in dev
    await presence.join('s1', 'dev'); // this session is already in dev
    await presence.leave('s2', 'dev'); // s1 keeps Ana in dev
    expect((await presence.snapshot('dev')).pv).toBe(pv);
  });

  it('do not go back when a room empties and fills again', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    const joined = await presence.join('s1', 'dev');
    const left = await presence.leave('s1', 'dev');
    expect((await presence.snapshot('dev')).pv).toBe(left.change!.pv);
    const again = await presence.join('s1', 'dev');
    increasing([joined.change!.pv, left.change!.pv, again.change!.pv]);
  });

  it('are independent per room', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    const lobbyPv = (await presence.snapshot(LOBBY)).pv;
    await presence.join('s1', 'dev');
    await presence.leave('s1', 'dev');
    expect((await presence.snapshot(LOBBY)).pv).toBe(lobbyPv);
  });

  it('order concurrent changes of one room: each distinct, the snapshot the highest', async () => {
    const { presence } = await backend.stores();
    const users = ['ana', 'bob', 'cy', 'dee', 'eve'];
    for (const u of users) await connect(presence, session(`s-${u}`, `u-${u}`, u));
    const results = await Promise.all(users.map((u) => presence.join(`s-${u}`, 'dev')));
    const pvs = results.map((r) => r.change!.pv);
    expect(new Set(pvs).size).toBe(users.length);
    expect((await presence.snapshot('dev')).pv).toBe(Math.max(...pvs));
  });
});

/**
 * RoomStore conformance: the lobby always exists, creation is idempotent, and the room limit (the
 * lobby counted) holds even when creations race, in memory and in Redis alike. Redis-only
 * behaviour during an outage is in test/server/stores/redis/rooms.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, MAX_ROOMS, ParleyError } from '../../../../protocol/index';
import { LOBBY, useBackends } from './backends';

const backends = useBackends();

// Sets have no order: list() promises membership, not insertion order (Redis answers SMEMBERS).
const sorted = (list: string[]) => [...list].sort();

describe.each(backends)('RoomStore ($kind)', (backend) => {
  it('starts with the lobby only', async () => {
    const { rooms } = await backend.stores();
    expect(await rooms.exists(LOBBY)).toBe(true);
    expect(await rooms.exists('dev')).toBe(false);
    expect(await rooms.list()).toEqual([LOBBY]);
  });

  it('creates a room once; creating it (or the lobby) again is a no-op', async () => {
    const { rooms } = await backend.stores();
    expect(await rooms.create('dev')).toEqual({ created: true });
    expect(await rooms.exists('dev')).toBe(true);
    expect(await rooms.create('dev')).toEqual({ created: false });
    expect(await rooms.create(LOBBY)).toEqual({ created: false });
    expect(sorted(await rooms.list())).toEqual(['dev', LOBBY]);
  });

  it('creating the same room concurrently creates it once', async () => {
    const { rooms } = await backend.stores();
    const results = await Promise.all([rooms.create('dev'), rooms.create('dev'), rooms.create('dev')]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(sorted(await rooms.list())).toEqual(['dev', LOBBY]);
  });

  it('refuses a new room with ROOM_LIMIT when full, the lobby counted, and keeps accepting existing ones', async () => {
    const rooms = await backend.rooms(3);
    await rooms.create('a');
    await rooms.create('b');
    const err = await rooms.create('c').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParleyError);
    expect((err as ParleyError).code).toBe(ErrorCode.ROOM_LIMIT);
    expect(await rooms.exists('c')).toBe(false);
    expect(sorted(await rooms.list())).toEqual(['a', 'b', LOBBY]);
    expect(await rooms.create('a')).toEqual({ created: false });
    expect(await rooms.create(LOBBY)).toEqual({ created: false });
  });

  it('lets exactly one of two racing creations take the last place', async () => {
    const rooms = await backend.rooms(3);
    await rooms.create('a');
    const outcomes = await Promise.allSettled([rooms.create('b'), rooms.create('c')]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: ErrorCode.ROOM_LIMIT });
    expect(await rooms.list()).toHaveLength(3);
  });

  it('holds MAX_ROOMS rooms relay-wide (the lobby counted)', async () => {
    const { rooms } = await backend.stores();
    await Promise.all(Array.from({ length: MAX_ROOMS - 1 }, (_, i) => rooms.create(`r${i}`)));
    expect(await rooms.list()).toHaveLength(MAX_ROOMS);
    await expect(rooms.create('one-more')).rejects.toMatchObject({ code: ErrorCode.ROOM_LIMIT });
  });

  it('list returns a copy', async () => {
    const { rooms } = await backend.stores();
    (await rooms.list()).push('injected');
    expect(await rooms.exists('injected')).toBe(false);
    expect(await rooms.list()).toEqual([LOBBY]);
  });
});

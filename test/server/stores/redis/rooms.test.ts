/**
 * The cluster-wide room set: the lobby counts toward the limit as in memory mode, and no room is
 * created while Redis is down (an instance could not keep the limit on its own; rooms it created
 * meanwhile were all added on return, past the limit). Existing rooms keep working during an outage;
 * once Redis is back it is the truth again (rooms with people in them are put back by the presence
 * resync: test/server/cluster/faults.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../protocol/index';
import { defineCommands } from '../../../../server/stores/redis/commands';
import { RedisRoomStore } from '../../../../server/stores/redis/rooms';
import { useRedisConnections } from '../../../helpers/redis-suite';

const suite = useRedisConnections();

const store = (prefix: string, max: number) => new RedisRoomStore(suite.conns, defineCommands(suite.conns.command), prefix, 'lobby', max);

describe('RedisRoomStore', () => {
  it('counts the lobby toward the limit, across instances', async () => {
    const one = store('t1:', 3);
    const two = store('t1:', 3);
    expect(await one.create('alpha')).toEqual({ created: true });
    expect(await two.create('alpha')).toEqual({ created: false });
    expect(await two.create('beta')).toEqual({ created: true });
    await expect(one.create('gamma')).rejects.toMatchObject({ code: ErrorCode.ROOM_LIMIT });
    expect((await one.list()).sort()).toEqual(['alpha', 'beta', 'lobby']);
  });

  it('refuses new rooms with UNAVAILABLE while Redis is down, keeps known ones, and stays within the limit after', async () => {
    const one = store('t2:', 3);
    const two = store('t2:', 3);
    expect(await one.create('alpha')).toEqual({ created: true });
    await suite.redis.kill('SIGKILL');
    for (const end = Date.now() + 5000; suite.conns.state === 'up' && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    expect(suite.conns.state).not.toBe('up');

    await expect(one.create('beta')).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    await expect(two.create('gamma')).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect(await one.exists('alpha')).toBe(true);
    expect(await one.create('alpha')).toEqual({ created: false });

    await suite.redis.launch(); // empty, like a flushed cache
    expect(await suite.conns.waitReady(5000)).toBe('up');
    // Redis decides again: "alpha" (nobody in it here) is gone with the data, the limit holds.
    expect((await one.list()).sort()).toEqual(['lobby']);
    expect(await one.exists('alpha')).toBe(false);
    expect(await two.create('beta')).toEqual({ created: true });
    expect(await two.create('gamma')).toEqual({ created: true });
    await expect(one.create('delta')).rejects.toMatchObject({ code: ErrorCode.ROOM_LIMIT });
  });
});

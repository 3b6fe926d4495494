/**
 * Search on a two-instance Redis deployment (issue 23): Redis is the source of truth, so either
 * instance finds what was written, edited or deleted through the other, and an instance started
 * later builds its index from the retained window.
 */
import { describe, expect, it } from 'vitest';
import type { LoginOk } from '../../../protocol/index';
import { loggedIn } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { useRedisSuite } from '../../helpers/redis-suite';
import { editAndSearch, found, ROOMY_LIMITS, say } from '../../helpers/search';

const { redis, relays } = useRedisSuite();

async function instance() {
  const relay = await redisRelay(redis().url, { limits: ROOMY_LIMITS });
  relays.push(relay);
  return relay;
}

describe('search across instances', () => {
  it('a message sent through one instance is found by a search on the other, DMs included', async () => {
    const a = await instance();
    const b = await instance();
    const { socket: ana, login } = await loggedIn(a.url, 'ana');
    const { socket: ben } = await loggedIn(b.url, 'ben');
    expect(await found(ana, 'harbour')).toEqual([]);
    await say(ben, 'meet at the harbour');
    expect(await found(ana, 'harbour')).toEqual(['meet at the harbour']);
    await say(ben, 'harbour gate code in a DM', { to: (login as LoginOk).userId });
    expect(await found(ana, 'harbour')).toEqual(['harbour gate code in a DM', 'meet at the harbour']);
    expect(await found(ben, 'harbour gate')).toEqual(['harbour gate code in a DM']);

    // An instance that joins later reads the window cold.
    const c = await instance();
    const { socket: cy } = await loggedIn(c.url, 'cy');
    expect(await found(cy, 'harbour')).toEqual(['meet at the harbour']);
  });

  it('an edit or deletion made through one instance is what both instances find', async () => {
    const a = await instance();
    const b = await instance();
    await editAndSearch(a.url, b.url);
  });
});

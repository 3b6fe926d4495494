/**
 * Room creation allowances are shared by every instance in Redis mode: a user or an address that
 * spent its tokens on one instance cannot create more on another (N instances are not N times the
 * allowance). An address refusal gives the user's token back.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, type RoomState } from '../../../protocol/index';
import { loggedIn, newKey, request } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { useRedisSuite } from '../../helpers/redis-suite';

const { redis, relays } = useRedisSuite();
const from = (ip: string) => ({ extraHeaders: { 'x-forwarded-for': ip } });
const create = (socket: Parameters<typeof request>[0], room: string) => request<RoomState>(socket, 'room:join', { room, create: true });

describe('room creation limits across instances', () => {
  it('charge one allowance per user and per address, whichever instance is asked', async () => {
    const limits = { roomsByUser: { capacity: 3, perSecond: 0.001 }, roomsByAddress: { capacity: 5, perSecond: 0.001 } };
    const a = await redisRelay(redis().url, { trustProxy: true, limits });
    const b = await redisRelay(redis().url, { trustProxy: true, limits });
    relays.push(a, b);
    const key = newKey();
    // The same user (same key) on both instances, from one address.
    const { socket: onA } = await loggedIn(a.url, 'eve', { key, ...from('203.0.113.40') });
    const { socket: onB } = await loggedIn(b.url, 'eve', { key, ...from('203.0.113.40') });
    expect((await create(onA, 'e1')).ok).toBe(true);
    expect((await create(onA, 'e2')).ok).toBe(true);
    expect((await create(onB, 'e3')).ok).toBe(true);
    expect(await create(onB, 'e4')).toMatchObject({ ok: false, code: ErrorCode.RATE_LIMITED, retryAfterMs: expect.any(Number) });
    expect(await create(onA, 'e5')).toMatchObject({ ok: false, code: ErrorCode.RATE_LIMITED });

    // Another user at the same address: two tokens left there, on either instance.
    const { socket: mal } = await loggedIn(b.url, 'mal', from('203.0.113.40'));
    expect((await create(mal, 'm1')).ok).toBe(true);
    expect((await create(mal, 'm2')).ok).toBe(true);
    const maxKey = newKey();
    const { socket: max } = await loggedIn(a.url, 'max', { key: maxKey, ...from('203.0.113.40') });
    expect(await create(max, 'x1')).toMatchObject({ ok: false, code: ErrorCode.RATE_LIMITED });
    // Refused by the address, max kept his own tokens: from elsewhere he still creates three.
    const { socket: maxElsewhere } = await loggedIn(b.url, 'max', { key: maxKey, ...from('198.51.100.40') });
    for (const room of ['y1', 'y2', 'y3']) expect((await create(maxElsewhere, room)).ok, room).toBe(true);
  });
});

/**
 * Creating rooms is rate-limited per user and per address, so one client cannot fill the relay's
 * room limit (MAX_ROOMS) for everyone. Joining rooms that exist is not limited, and others create
 * rooms as usual. (Addresses come from X-Forwarded-For on a relay told to trust one proxy.)
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, type RoomState } from '../../protocol/index';
import { loggedIn, request } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';

useRelayCleanup();

const from = (ip: string) => ({ extraHeaders: { 'x-forwarded-for': ip } });
const create = (socket: Parameters<typeof request>[0], room: string) => request<RoomState>(socket, 'room:join', { room, create: true });

describe('room creation limits', () => {
  it('a user creating room after room is refused (RATE_LIMITED with retryAfterMs); joining existing rooms is not limited; others still create', async () => {
    const relay = await startRelay({ trustProxy: true, limits: { roomsByUser: { capacity: 3, perSecond: 0.001 } } });
    const { socket: eve } = await loggedIn(relay.url, 'eve', from('203.0.113.20'));
    for (const room of ['e1', 'e2', 'e3']) expect((await create(eve, room)).ok, room).toBe(true);
    expect(await create(eve, 'e4')).toMatchObject({ ok: false, code: ErrorCode.RATE_LIMITED, retryAfterMs: expect.any(Number) });
    const { socket: ana } = await loggedIn(relay.url, 'ana', from('198.51.100.20'));
    expect((await create(ana, 'a1')).ok).toBe(true);
    // Eve can still join a room that exists: only creating costs.
    expect((await request<RoomState>(eve, 'room:join', { room: 'a1', create: true })).ok).toBe(true);
  });

  it('users sharing one address share its allowance too', async () => {
    const relay = await startRelay({ trustProxy: true, limits: { roomsByAddress: { capacity: 4, perSecond: 0.001 } } });
    const sockets = await Promise.all(['u1', 'u2', 'u3'].map(async (name) => (await loggedIn(relay.url, name, from('203.0.113.21'))).socket));
    const results: (string | boolean)[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await create(sockets[i % 3]!, `shared-${i}`);
      results.push(res.ok ? true : res.code);
    }
    expect(results).toEqual([true, true, true, true, ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED]);
    const { socket: other } = await loggedIn(relay.url, 'other', from('198.51.100.21'));
    expect((await create(other, 'elsewhere')).ok).toBe(true);
  });
});

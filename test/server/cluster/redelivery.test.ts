/**
 * A message stored by an instance that died before broadcasting it: the sender's retry (same
 * clientId) on another instance is a duplicate, and must still reach everyone, since nobody may
 * have seen it. Clients drop a copy they already have by id; classic clients, which cannot, are
 * not sent the repeat. Re-delivery happens once per message, so retries cannot amplify fan-out.
 */
import { describe, expect, it } from 'vitest';
import { dmRoomId, type ChatMessage, type SendOk } from '../../../protocol/index';
import { classicClient, collect, connected, loggedIn, newKey, request, until } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { useRedisSuite } from '../../helpers/redis-suite';

const { redis, relays } = useRedisSuite();

describe('a retry of a message stored but never broadcast', () => {
  it('is delivered to every Parley client once, not to classic clients, and a second retry sends nothing more', async () => {
    const a = await redisRelay(redis().url);
    const b = await redisRelay(redis().url);
    relays.push(a, b);
    const key = newKey();
    const { socket: ana, login } = await loggedIn(b.url, 'ana', { key });
    const { socket: bob } = await loggedIn(a.url, 'bob');
    const { socket: cy } = await loggedIn(b.url, 'cy');
    const classic = classicClient(a.url);
    await connected(classic);
    classic.emit('add user', 'dot');
    const seenByBob = collect(bob, 'new message');
    const seenByCy = collect(cy, 'new message');
    const seenByClassic = collect(classic, 'new message');
    const userId = (login as unknown as { userId: string }).userId;

    // Instance A stored Ana's message and died before broadcasting it: stored, seen by nobody.
    const stored = await a.stores.history.append({ room: 'lobby', userId, username: 'ana', message: 'lost in the crash', clientId: 'retry-me-0001' });
    expect(stored.message).toBeDefined();

    // Ana's outbox retries on instance B with the same clientId.
    const retry = await request<SendOk>(ana, 'new message', { text: 'lost in the crash', clientId: 'retry-me-0001' });
    expect(retry).toMatchObject({ ok: true, duplicate: true, id: stored.message!.id });
    await until(() => seenByBob.length === 1 && seenByCy.length === 1, 10_000, 'the stored copy reaches both instances');
    expect(seenByBob[0]).toMatchObject({ id: stored.message!.id, seq: stored.message!.seq, message: 'lost in the crash' });

    // A second retry repeats nothing; a new message after it is the next thing everyone gets.
    expect(await request<SendOk>(ana, 'new message', { text: 'lost in the crash', clientId: 'retry-me-0001' })).toMatchObject({ ok: true, duplicate: true });
    expect(await request<SendOk>(ana, 'new message', { text: 'next', clientId: 'retry-me-0002' })).toMatchObject({ ok: true, duplicate: false });
    await until(() => seenByBob.length >= 2 && seenByCy.length >= 2 && seenByClassic.length >= 1, 10_000, 'the next message');
    expect(seenByBob.map((m: ChatMessage) => m.message)).toEqual(['lost in the crash', 'next']);
    expect(seenByCy.map((m: ChatMessage) => m.message)).toEqual(['lost in the crash', 'next']);
    // The classic client only ever gets first copies (it cannot tell a repeat by id).
    expect(seenByClassic.map((m) => m.message)).toEqual(['next']);
  });

  it('goes only to its own conversation: a stored DM retried under its client id for the lobby reaches no one in the lobby', async () => {
    const a = await redisRelay(redis().url);
    const b = await redisRelay(redis().url);
    relays.push(a, b);
    const { socket: ana, login } = await loggedIn(b.url, 'ana', { key: newKey() });
    const { login: bobLogin } = await loggedIn(a.url, 'bob');
    const { socket: cy } = await loggedIn(b.url, 'cy');
    const seenByCy = collect(cy, 'new message');
    const userId = (login as unknown as { userId: string }).userId;
    const bobId = (bobLogin as unknown as { userId: string }).userId;

    // Instance A stored Ana's DM to Bob and died before broadcasting it.
    const stored = await a.stores.history.append({ room: dmRoomId(userId, bobId), userId, username: 'ana', message: 'for bob only', clientId: 'dm-reuse-0001' });
    // A client reuses that client id for a lobby message on instance B.
    const reuse = await request<SendOk>(ana, 'new message', { text: 'for everyone', clientId: 'dm-reuse-0001' });
    expect(reuse).toMatchObject({ ok: true, duplicate: true, id: stored.message!.id, room: stored.message!.room });
    expect(await request<SendOk>(ana, 'new message', { text: 'next', clientId: 'dm-reuse-0002' })).toMatchObject({ ok: true, duplicate: false });
    await until(() => seenByCy.length >= 1, 10_000, 'the next lobby message');
    expect(seenByCy.map((m: ChatMessage) => m.message)).toEqual(['next']);
  });
});

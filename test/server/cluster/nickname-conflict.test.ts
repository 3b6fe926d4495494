/**
 * A nickname claimed twice because one instance could not ask Redis: the claim that reaches Redis
 * first keeps the name, the other user is renamed ("bob-2") when its instance resyncs, is told so
 * (`nickname:changed`), and everyone's member list and later messages show the new name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, NicknameChange, PresenceSnapshot, SendOk } from '../../../protocol/index';
import { collect, loggedIn, next, request, until } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { useRedisSuite } from '../../helpers/redis-suite';
import { TcpCut } from '../../helpers/tcp-cut';

const { redis, relays } = useRedisSuite();
const cuts: TcpCut[] = [];
afterEach(async () => {
  await Promise.all(cuts.splice(0).map((c) => c.close()));
});

async function instances() {
  const cut = await TcpCut.start(redis().port);
  cuts.push(cut);
  const a = await redisRelay(redis().url);
  const b = await redisRelay(cut.redisUrl);
  relays.push(a, b);
  return { cut, a, b };
}

const lobbyNames = async (socket: Parameters<typeof request>[0]) => {
  const snap = await request<PresenceSnapshot>(socket, 'users:list', { room: 'lobby' });
  return snap.ok ? snap.users.map((u) => u.username).sort() : [];
};

describe('a nickname claimed on an instance cut off from Redis', () => {
  it('is given up by the later claim, which is renamed and told, and everyone sees the new name', async () => {
    const { cut, a, b } = await instances();
    const { socket: first } = await loggedIn(a.url, 'bob');
    const { socket: watcher } = await loggedIn(a.url, 'wat');

    cut.cut();
    await until(() => b.health() === 'degraded', 10_000, 'B cut off');
    // B cannot see that "bob" is taken: it lets a second user have it locally.
    const { socket: second, login } = await loggedIn(b.url, 'bob');
    const secondId = (login as unknown as { userId: string }).userId;
    const told = next(second, 'nickname:changed', 15_000);

    cut.restore();
    expect(await told).toEqual<NicknameChange>({ userId: secondId, username: 'bob-2', previous: 'bob', reason: 'conflict' });
    await until(() => b.health() === 'ok', 10_000, 'B back');
    expect(await lobbyNames(watcher)).toEqual(['bob', 'bob-2', 'wat']);
    expect(await lobbyNames(second)).toEqual(['bob', 'bob-2', 'wat']);

    // The first bob keeps the name; the renamed user's messages carry the new one.
    const seen = collect(watcher, 'new message');
    expect(await request<SendOk>(second, 'new message', { text: 'hello from the second bob', clientId: 'conflict-1' })).toMatchObject({ ok: true });
    await until(() => seen.length === 1, 10_000, 'message');
    expect(seen[0]).toMatchObject<Partial<ChatMessage>>({ username: 'bob-2', userId: secondId });
    // And "bob" stays taken by the first user for anyone new.
    const again = await request(first, 'new message', { text: 'still me', clientId: 'conflict-2' });
    expect(again).toMatchObject({ ok: true });
  });

  it('after a full outage where both instances registered the same name, keeps the first to resync and renames the other', async () => {
    const { cut, a, b } = await instances();
    await redis().kill('SIGKILL');
    await until(() => a.health() === 'degraded' && b.health() === 'degraded', 10_000, 'both degraded');
    const { socket: onA } = await loggedIn(a.url, 'cy');
    const { socket: onB } = await loggedIn(b.url, 'cy');
    const renamedA = collect(onA, 'nickname:changed');
    const toldB = next(onB, 'nickname:changed', 15_000);

    // A reaches the restarted (empty) Redis first; B only after.
    cut.cut();
    await redis().launch();
    await until(() => a.health() === 'ok', 10_000, 'A back');
    cut.restore();
    expect(await toldB).toMatchObject({ username: 'cy-2', previous: 'cy' });
    await until(() => b.health() === 'ok', 10_000, 'B back');
    expect(await lobbyNames(onA)).toEqual(['cy', 'cy-2']);
    expect(renamedA).toEqual([]);
  });
});

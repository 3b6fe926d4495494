/**
 * Several relay instances sharing one real redis-server: counts, nicknames, history, catch-up,
 * idempotency and rate limits hold across the cluster, not per instance.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryPage, SendOk } from '../../../protocol/index';
import { ErrorCode } from '../../../protocol/index';
import type { Relay } from '../../../server/index';
import { classicClient, closeAllClients, collect, connected, loggedIn, newKey, next, parleyClient, request, sleep, until } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { RedisServer } from '../../helpers/redis';

let redis: RedisServer;
const relays: Relay[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  closeAllClients();
  await Promise.all(relays.splice(0).map((r) => r.close()));
  // Each test starts from an empty Redis.
  await redis.restart();
});

async function cluster(n: number, options = {}): Promise<Awaited<ReturnType<typeof redisRelay>>[]> {
  const list = await Promise.all(Array.from({ length: n }, () => redisRelay(redis.url, options)));
  relays.push(...list);
  return list;
}

describe('cluster-wide chat over Redis', () => {
  it('counts users exactly across instances (classic numUsers and Parley presence)', async () => {
    const [a, b, c] = await cluster(3);
    const ana = await loggedIn(a!.url, 'ana');
    const bob = await loggedIn(b!.url, 'bob');
    // Presence is batched: bob may still receive the update about his own arrival after cy's login.
    const bobHears = collect(bob.socket, 'presence');
    const classic = classicClient(c!.url);
    await connected(classic);
    const login = next(classic, 'login');
    classic.emit('add user', 'cy');
    expect(await login).toEqual({ numUsers: 3 });
    await until(() => bobHears.some((p) => p.numUsers === 3), 3000, 'bob to see 3 users');
    const snapshot = await request<{ numUsers: number; users: { username: string }[] }>(ana.socket, 'users:list', { room: 'lobby' });
    expect(snapshot.ok && snapshot.users.map((u) => u.username).sort()).toEqual(['ana', 'bob', 'cy']);
    // The classic client on C hears about a Parley user leaving on A.
    const left = next(classic, 'user left');
    ana.socket.disconnect();
    expect(await left).toMatchObject({ username: 'ana', numUsers: 2 });
    expect(await a!.stores.presence.count('lobby')).toBe(2);
  });

  it('keeps nicknames unique across instances', async () => {
    const [a, b] = await cluster(2);
    await loggedIn(a!.url, 'alice');
    const s = parleyClient(b!.url);
    await connected(s);
    expect(await request(s, 'add user', { username: 'ALICE' })).toMatchObject({ ok: false, code: ErrorCode.NICKNAME_TAKEN });
  });

  it('delivers across instances and shows history written on A to a user joining on B', async () => {
    const [a, b] = await cluster(2);
    const ana = await loggedIn(a!.url, 'ana');
    const bob = await loggedIn(b!.url, 'bob');
    const got = next(bob.socket, 'new message');
    const ack = await request<SendOk>(ana.socket, 'new message', { text: 'from A' });
    expect(await got).toMatchObject({ message: 'from A', seq: ack.ok ? ack.seq : -1 });
    const cy = await loggedIn(b!.url, 'cy');
    expect(cy.login.rooms[0]!.history.messages.map((m) => m.message)).toEqual(['from A']);
  });

  it('gives a client that reconnects to another instance exactly what it missed', async () => {
    const [a, b] = await cluster(2);
    const ana = await loggedIn(a!.url, 'ana');
    const key = newKey();
    const bob = await loggedIn(a!.url, 'bob', { key });
    const seen = await request<SendOk>(ana.socket, 'new message', { text: 'seen' });
    if (!seen.ok) throw new Error('send failed');
    await sleep(50);
    bob.socket.disconnect();
    for (const t of ['missed 1', 'missed 2']) await request(ana.socket, 'new message', { text: t });
    const back = await loggedIn(b!.url, 'bob', { key, since: { lobby: seen.seq } });
    expect(back.login.rooms[0]!.history.messages.map((m) => m.message)).toEqual(['missed 1', 'missed 2']);
    expect(back.login.rooms[0]!.history.gap).toBe(false);
  });

  it('stores a retry once even when it lands on another instance', async () => {
    const [a, b] = await cluster(2);
    const key = newKey();
    const onA = await loggedIn(a!.url, 'ana', { key });
    const onB = await loggedIn(b!.url, 'ana', { key });
    const watcher = await loggedIn(b!.url, 'wat');
    const seen = collect(watcher.socket, 'new message');
    const first = await request<SendOk>(onA.socket, 'new message', { text: 'once', clientId: 'retry-test-01' });
    const retry = await request<SendOk>(onB.socket, 'new message', { text: 'once', clientId: 'retry-test-01' });
    expect(first.ok && retry.ok).toBe(true);
    if (!first.ok || !retry.ok) return;
    expect(retry).toMatchObject({ id: first.id, seq: first.seq, duplicate: true });
    // B did not broadcast it itself, so it repeats the stored copy once (its first broadcast may have
    // died with A): same id and seq, which a client keeps once. B's next message comes after it.
    expect(await request<SendOk>(onB.socket, 'new message', { text: 'after', clientId: 'retry-test-02' })).toMatchObject({ ok: true });
    await until(() => seen.some((m) => m.message === 'after'), 10_000, 'the next message');
    const copies = seen.filter((m) => m.message === 'once');
    expect(copies.length).toBeGreaterThanOrEqual(1);
    expect(copies.length).toBeLessThanOrEqual(2);
    expect(new Set(copies.map((m) => `${m.id}/${m.seq}`))).toEqual(new Set([`${first.id}/${first.seq}`]));
    const page = await request<HistoryPage>(watcher.socket, 'history:fetch', { room: 'lobby' });
    expect(page.ok && page.messages.map((m) => m.message)).toEqual(['once', 'after']);
  });

  it('applies a user\'s rate limit across instances', async () => {
    const limits = { userMessages: { capacity: 4, perSecond: 0.1 } };
    const [a, b] = await cluster(2, { limits });
    const key = newKey();
    const onA = await loggedIn(a!.url, 'ana', { key });
    const onB = await loggedIn(b!.url, 'ana', { key });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await request(onA.socket, 'new message', { text: `a${i}` }));
    for (let i = 0; i < 3; i++) results.push(await request(onB.socket, 'new message', { text: `b${i}` }));
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === ErrorCode.RATE_LIMITED)).toBe(true);
  });

  it("takes a message's token and appends it in one script, pipelining a burst in order", async () => {
    // A long heartbeat keeps the membership scripts out of the counted window.
    const [a] = await cluster(1, { heartbeatTtlMs: 120_000, limits: { userMessages: { capacity: 6, perSecond: 0.2 } } });
    const key = newKey();
    const ana = await loggedIn(a!.url, 'ana', { key });
    const bob = await loggedIn(a!.url, 'bob');
    // Bob must have the warm-up before counting starts: Ana's ack can overtake Bob's copy.
    const warmedUp = next(bob.socket, 'new message', 15_000);
    expect(await request(ana.socket, 'new message', { text: 'warm-up' })).toMatchObject({ ok: true });
    expect(await warmedUp).toMatchObject({ message: 'warm-up' });
    const seen = collect(bob.socket, 'new message');
    const scriptCalls = async (): Promise<number> => {
      const info = await a!.stores.connections.command.info('commandstats');
      return [...info.matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    };
    const before = await scriptCalls();
    const ids = Array.from({ length: 8 }, (_, i) => `burst-${i}-${key.slice(0, 8)}`);
    const results = await Promise.all(ids.map((clientId, i) => request<SendOk>(ana.socket, 'new message', { text: `m${i}`, clientId })));
    // One round trip per message: the token and the append are one script (it used to be two).
    expect((await scriptCalls()) - before).toBe(8);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, false, false, false]);
    for (const r of results.slice(5)) expect(r).toMatchObject({ ok: false, code: ErrorCode.RATE_LIMITED, retryAfterMs: expect.any(Number) as number });
    const seqs = results.flatMap((r) => (r.ok ? [r.seq] : []));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    await until(() => seen.length >= 5, 15_000, 'bob to get the accepted messages');
    expect(seen.map((m) => m.message)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);

    // The bucket is empty, yet a retry of a stored message is answered (as a duplicate) and not
    // refused: duplicates take no token. From another session, as this one waits out its refusal.
    const again = await loggedIn(a!.url, 'ana', { key });
    const retry = await request<SendOk>(again.socket, 'new message', { text: 'm0', clientId: ids[0] });
    expect(retry).toMatchObject({ ok: true, duplicate: true, seq: seqs[0] });
    expect(await request(again.socket, 'new message', { text: 'new' })).toMatchObject({ ok: false, code: ErrorCode.RATE_LIMITED });
    const page = await request<HistoryPage>(bob.socket, 'history:fetch', { room: 'lobby' });
    expect(page.ok && page.messages.map((m) => m.message)).toEqual(['warm-up', 'm0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('removes the users of an instance that stops heartbeating (no ghosts)', async () => {
    const [a, b] = await cluster(2, { heartbeatTtlMs: 1500 });
    const ana = await loggedIn(a!.url, 'ana');
    await loggedIn(b!.url, 'bob');
    const deltas = collect(ana.socket, 'presence');
    // B freezes: no heartbeat, no cleanup (its sockets stay open, as with a hung process).
    (b as Relay & { stores: { connections: { command: { disconnect(): void } } } }).stores.connections.command.disconnect();
    await until(() => deltas.some((d) => d.changes.some((c) => c.op === 'leave' && c.user.username === 'bob')), 8000, 'bob purged');
    expect(await a!.stores.presence.count('lobby')).toBe(1);
  });
});

/**
 * Redis faults with a real redis-server: SIGKILL it and start it again (empty, as a flushed cache).
 * "Acknowledged" means stored in Redis: the relay acks a message only after the write. While Redis
 * is down, instances keep serving their own clients (logins, typing, and messages delivered
 * provisionally to clients on the same instance), /healthz says degraded, and the outbox of each
 * client keeps its unacknowledged messages until they are stored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../../../server/index';
import type { RedisStores } from '../../../server/stores/redis/index';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { sleep, until } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { RedisServer } from '../../helpers/redis';
import { TcpCut } from '../../helpers/tcp-cut';

let redis: RedisServer;
const relays: Relay[] = [];
const clients: ChatClient[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(relays.splice(0).map((r) => r.close()));
  if (!redis.running) await redis.launch();
});

function chat(url: string, nickname: string): ChatClient {
  const c = new ChatClient({ url, nickname, key: newUserKey(), transports: ['websocket'], ackTimeoutMs: 4000 });
  clients.push(c);
  return c;
}

async function health(relay: Relay): Promise<{ code: number; body: Record<string, unknown> }> {
  const res = await fetch(`${relay.url}/healthz`);
  return { code: res.status, body: (await res.json()) as Record<string, unknown> };
}

const lobbyMessages = (c: ChatClient) =>
  c.conversation('lobby')!.timeline.entries().flatMap((e) => (e.kind === 'message' ? [e.msg] : []));

describe('Redis killed and restarted', () => {
  it('keeps serving local clients, reports degraded, resumes within 5 s, and loses or duplicates nothing acknowledged', async () => {
    const a = await redisRelay(redis.url, { healthDetails: 'public' });
    const b = await redisRelay(redis.url, { healthDetails: 'public' });
    relays.push(a, b);
    const ana = chat(a.url, 'ana');
    const cy = chat(a.url, 'cy');
    const bob = chat(b.url, 'bob');
    for (const c of [ana, cy, bob]) await c.start();
    ana.send('before');
    await until(() => lobbyMessages(bob).some((m) => m.message === 'before'), 5000, 'before reaches bob');

    await redis.kill('SIGKILL');
    await until(() => a.health() === 'degraded' && b.health() === 'degraded', 5000, 'degraded');
    expect(await health(a)).toMatchObject({ code: 200, body: { status: 'degraded', redis: 'down' } });
    await until(() => ana.serverStatus.value === 'degraded', 10_000, 'clients told');

    // Local service continues: a new login on A, and messages reach A's other clients at once.
    const dee = chat(a.url, 'dee');
    await dee.start();
    for (const t of ['during 1', 'during 2', 'during 3']) ana.send(t);
    // "At once" means while Redis is still down (it stays down until we restart it), not within a
    // time tuned to an idle machine: the full suite runs the bench harness beside this test.
    await until(() => ['during 1', 'during 2', 'during 3'].every((t) => lobbyMessages(cy).some((m) => m.message === t)), 15_000, 'cy sees them live');
    expect(redis.running).toBe(false);
    expect(lobbyMessages(bob).some((m) => m.message.startsWith('during'))).toBe(false);
    expect(ana.outbox.queuedCount).toBe(3); // not acknowledged: not stored yet

    const restarted = Date.now();
    await redis.launch();
    await until(() => ['during 1', 'during 2', 'during 3'].every((t) => lobbyMessages(bob).some((m) => m.message === t)), 5000, 'cross-instance delivery resumes');
    const resumedMs = Date.now() - restarted;
    expect(resumedMs).toBeLessThan(5000);
    await until(() => ana.outbox.queuedCount === 0, 15_000, 'acks after the store is back');
    await until(() => a.health() === 'ok' && b.health() === 'ok', 5000, 'healthy again');

    const expected = ['before', 'during 1', 'during 2', 'during 3'];
    for (const c of [ana, cy, bob]) {
      await until(() => lobbyMessages(c).filter((m) => m.userId === ana.me.value!.userId).every((m) => m.seq > 0), 5000, 'stored copies');
      const mine = lobbyMessages(c).filter((m) => m.userId === ana.me.value!.userId);
      expect(mine.map((m) => m.message), c.me.value?.username).toEqual(expected);
      expect(new Set(mine.map((m) => m.id)).size).toBe(mine.length);
    }
    // Stored once each in the restarted Redis (the pre-outage message went with the old data).
    const page = await (b.stores as RedisStores).history.page('lobby', { limit: 50 });
    expect(page.messages.map((m) => m.message)).toEqual(['during 1', 'during 2', 'during 3']);
    // Presence was rebuilt from the instances' own knowledge: everyone is back, exactly once.
    expect(await (a.stores as RedisStores).presence.count('lobby')).toBe(4);
  });

  it('starts with Redis down, serves locally, and turns healthy within 5 s of Redis coming up', async () => {
    await redis.kill('SIGKILL');
    const a = await redisRelay(redis.url, { healthDetails: 'public' });
    relays.push(a);
    expect((await health(a)).body).toMatchObject({ status: 'degraded' });
    const ana = chat(a.url, 'ana');
    const bob = chat(a.url, 'bob');
    await ana.start();
    await bob.start();
    ana.send('hello while down');
    await until(() => lobbyMessages(bob).some((m) => m.message === 'hello while down'), 3000, 'local delivery');
    const up = Date.now();
    await redis.launch();
    await until(() => a.health() === 'ok', 5000, 'healthy');
    expect(Date.now() - up).toBeLessThan(5000);
    await until(() => ana.outbox.queuedCount === 0, 10_000, 'stored');
    // The instance writes its sessions into Redis once it is back; that can finish after the
    // queued messages are stored (failed once that way under a loaded full run), so give it time.
    const lobby = () => (a.stores as RedisStores).presence.count('lobby');
    for (const end = Date.now() + 5000; (await lobby()) !== 2 && Date.now() < end; ) await sleep(50);
    expect(await lobby()).toBe(2);
  });

  it('puts a room with people in it back into a restarted, empty Redis', async () => {
    const a = await redisRelay(redis.url);
    relays.push(a);
    const ana = chat(a.url, 'ana');
    await ana.start();
    await ana.joinRoom('ops', true);
    await redis.kill('SIGKILL');
    await until(() => a.health() === 'degraded', 5000, 'degraded');
    await redis.launch();
    await until(() => a.health() === 'ok', 5000, 'healthy');
    const rooms = () => a.stores.connections.command.smembers('parley:rooms');
    for (const end = Date.now() + 5000; !(await rooms()).includes('ops') && Date.now() < end; ) await sleep(20);
    expect((await rooms()).sort()).toEqual(['lobby', 'ops']);
  });

  it('shuts down while Redis does not answer without an unhandled rejection (the adapter unsubscribes on a dead link)', async () => {
    const cut = await TcpCut.start(redis.port);
    const a = await redisRelay(cut.redisUrl);
    cut.stall();
    await until(() => a.health() === 'degraded', 5000, 'degraded');
    // Reconnected at the TCP level and waiting for a reply that never comes: commands queue up.
    await until(() => a.stores.connections.sub.status === 'connect', 5000, 'connection accepted, unanswered');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await a.close();
      // Queued commands are failed when the socket's close event comes; rejections are reported
      // once the microtasks after them have run: wait for the one, then a full turn for the other.
      await until(() => a.stores.connections.sub.status === 'end', 5000, 'connection closed');
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await cut.close();
    }
    expect(unhandled.map(String)).toEqual([]);
  });
});

/**
 * Classic clients during a Redis outage: a message written meanwhile reaches the classic clients of
 * the same instance at once (as Parley clients get their provisional copy), and when it is stored
 * they are not sent it a second time (they cannot tell copies apart); classic clients of other
 * instances get the stored copy once, as before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { classicClient, collect, connected, until, type TestSocket } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { useRedisSuite } from '../../helpers/redis-suite';

const { redis, relays } = useRedisSuite();
const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function classic(url: string, name: string): Promise<TestSocket> {
  const socket = classicClient(url);
  await connected(socket);
  const logged = new Promise((resolve) => socket.once('login', resolve));
  socket.emit('add user', name);
  await logged;
  return socket;
}

describe('classic clients during a Redis outage', () => {
  it('get a message written during the outage at once on the same instance, and once only; elsewhere once when stored', async () => {
    const a = await redisRelay(redis().url);
    const b = await redisRelay(redis().url);
    relays.push(a, b);
    const ana = new ChatClient({ url: a.url, nickname: 'ana', key: newUserKey(), transports: ['websocket'], ackTimeoutMs: 4000 });
    clients.push(ana);
    await ana.start();
    const near = await classic(a.url, 'near');
    const far = await classic(b.url, 'far');
    const seenNear = collect(near, 'new message');
    const seenFar = collect(far, 'new message');

    await redis().kill('SIGKILL');
    await until(() => a.health() === 'degraded', 10_000, 'degraded');
    ana.send('during the outage');
    await until(() => seenNear.length === 1, 10_000, 'the classic client on the same instance, at once');
    expect(redis().running).toBe(false);
    expect(seenFar).toHaveLength(0);

    await redis().launch();
    await until(() => seenFar.length === 1, 15_000, 'the other instance, once stored');
    await until(() => ana.outbox.queuedCount === 0, 15_000, 'stored and acknowledged');
    // A later message marks the end: the near client got nothing in between, so no second copy.
    ana.send('after');
    await until(() => seenNear.some((m) => m.message === 'after') && seenFar.some((m) => m.message === 'after'), 15_000, 'the next message');
    expect(seenNear.map((m) => m.message)).toEqual(['during the outage', 'after']);
    expect(seenFar.map((m) => m.message)).toEqual(['during the outage', 'after']);
  });
});

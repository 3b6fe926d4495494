import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { RedisConnections } from '../../../../server/stores/redis/connection';
import { parseRedisUrl, toIoredisOptions } from '../../../../server/stores/redis/url';
import { RedisServer } from '../../../helpers/redis';

let redis: RedisServer;
let conns: RedisConnections;

beforeAll(async () => {
  redis = await RedisServer.start();
  conns = new RedisConnections(toIoredisOptions(parseRedisUrl(redis.url)), pino({ level: 'silent' }), 'test');
  expect(await conns.waitReady(5000)).toBe('up');
});

afterAll(async () => {
  await conns?.close();
  await redis?.stop();
});

describe('Redis connections', () => {
  it("send one turn's commands in one socket write, the replies in call order", async () => {
    const writes = vi.spyOn(conns.command.stream, 'write');
    try {
      // Twenty commands issued in one turn, as a burst of messages read from one socket issues them.
      const replies = await Promise.all(Array.from({ length: 20 }, () => conns.command.incr('parley-test:burst')));
      expect(replies).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(writes).toHaveBeenCalledTimes(1);
    } finally {
      writes.mockRestore();
    }
  });

  it("batch the adapter's publishes the same way", async () => {
    const got: string[] = [];
    conns.sub.on('message', (_channel: string, message: string) => got.push(message));
    await conns.sub.subscribe('parley-test:channel');
    const writes = vi.spyOn(conns.pub.stream, 'write');
    try {
      const sent = Array.from({ length: 10 }, (_, i) => `m${i}`);
      const receivers = await Promise.all(sent.map((m) => conns.pub.publish('parley-test:channel', m)));
      expect(receivers).toEqual(sent.map(() => 1));
      expect(writes).toHaveBeenCalledTimes(1);
      await vi.waitFor(() => expect(got).toEqual(sent));
    } finally {
      writes.mockRestore();
    }
  });

  it('fail commands at once while Redis is unreachable, batched or not', async () => {
    await redis.kill();
    try {
      await vi.waitFor(() => expect(conns.state).toBe('down'));
      const started = Date.now();
      const results = await Promise.allSettled([conns.command.incr('parley-test:down'), conns.command.get('parley-test:down')]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await redis.launch();
    }
    expect(await conns.waitReady(5000)).toBe('up');
  });
});

/**
 * For Vitest files that run relays on a real Redis: one redis-server for the file, relays and test
 * clients closed after each test, and Redis running again for the next test if one killed it.
 * (Vitest only: Playwright specs import test/helpers/cluster.ts and must not load vitest.)
 */
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Relay } from '../../server/index';
import { RedisConnections } from '../../server/stores/redis/connection';
import { parseRedisUrl, toIoredisOptions } from '../../server/stores/redis/url';
import { closeAllClients } from './clients';
import { RedisServer } from './redis';

export function useRedisSuite(): { redis: () => RedisServer; relays: Relay[] } {
  let server: RedisServer | undefined;
  const relays: Relay[] = [];
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    closeAllClients();
    await Promise.all(relays.splice(0).map((r) => r.close()));
    if (server && !server.running) await server.launch();
  });
  return {
    redis: () => {
      if (!server) throw new Error('redis-server is started in beforeAll');
      return server;
    },
    relays,
  };
}

/** For store-level Vitest files: one redis-server and one set of relay Redis connections to it, up before the first test. */
export function useRedisConnections(): { readonly redis: RedisServer; readonly conns: RedisConnections } {
  let redis: RedisServer | undefined;
  let conns: RedisConnections | undefined;
  beforeAll(async () => {
    redis = await RedisServer.start();
    conns = new RedisConnections(toIoredisOptions(parseRedisUrl(redis.url)), pino({ level: 'silent' }), 'test');
    expect(await conns.waitReady(5000)).toBe('up');
  });
  afterAll(async () => {
    await conns?.close();
    await redis?.stop();
  });
  return {
    get redis() {
      if (!redis) throw new Error('redis-server is started in beforeAll');
      return redis;
    },
    get conns() {
      if (!conns) throw new Error('the connections are made in beforeAll');
      return conns;
    },
  };
}

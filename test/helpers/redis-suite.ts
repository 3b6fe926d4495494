/**
 * For Vitest files that run relays on a real Redis: one redis-server for the file, relays and test
 * clients closed after each test, and Redis running again for the next test if one killed it.
 * (Vitest only: Playwright specs import test/helpers/cluster.ts and must not load vitest.)
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Relay } from '../../server/index';
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

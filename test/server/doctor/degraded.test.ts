/**
 * A relay in Redis mode whose redis-server was killed keeps serving its own clients and answers
 * /healthz `degraded`: the doctor warns on health, with a hint about Redis, and fails nothing, since
 * a client can still connect and chat with the users of that instance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { troubleshootingAnchor } from '../../../protocol/diagnostics';
import type { Relay } from '../../../server/index';
import { runDoctor } from '../../../server/doctor/index';
import { until } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { RedisServer } from '../../helpers/redis';

let redis: RedisServer;
let relay: Relay;

beforeAll(async () => {
  redis = await RedisServer.start();
  relay = await redisRelay(redis.url);
});
afterAll(async () => {
  await relay?.close();
  await redis?.stop();
});

describe('connection doctor: a degraded relay', () => {
  it('health is a warning naming Redis; no check fails', async () => {
    await redis.kill();
    await until(() => relay.health() === 'degraded', 10_000, 'the relay to notice Redis is gone');
    const report = await runDoctor(relay.url, { from: 'cli' });
    const health = report.checks.find((c) => c.id === 'health')!;
    expect(health).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^degraded \(HTTP 200/) });
    expect(health.hint).toMatch(/Redis is up and reachable/);
    expect(health.hint!.endsWith(troubleshootingAnchor('health'))).toBe(true);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });
});

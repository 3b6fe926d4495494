/**
 * Two relays in Redis mode behind HAProxy, configured as the local cluster is (deploy/local/):
 * round robin without the affinity cookie spreads one polling session over both instances, and the
 * doctor names it; with the cookie the same topology passes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { troubleshootingAnchor, type DoctorReport } from '../../../protocol/diagnostics';
import type { Relay } from '../../../server/index';
import { runDoctor } from '../../../server/doctor/index';
import { redisRelay } from '../../helpers/cluster';
import { HaProxy } from '../../helpers/haproxy';
import { RedisServer } from '../../helpers/redis';

let redis: RedisServer;
const relays: Relay[] = [];
let proxy: HaProxy | undefined;

const check = (r: DoctorReport, id: string) => r.checks.find((c) => c.id === id)!;

beforeAll(async () => {
  redis = await RedisServer.start();
  relays.push(await redisRelay(redis.url, { instanceId: 'r1' }), await redisRelay(redis.url, { instanceId: 'r2' }));
});
afterEach(async () => {
  await proxy?.stop();
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  await redis?.stop();
});

const backends = () => relays.map((r, i) => ({ name: `r${i + 1}`, port: Number(new URL(r.url).port) }));

describe('connection doctor: session affinity', () => {
  it('round robin without affinity: affinity fails with "Session ID unknown" and the fixes for each balancer; WebSocket clients still work', async () => {
    proxy = await HaProxy.start(backends(), { sticky: false });
    const report = await runDoctor(proxy.url, { from: 'cli' });
    const affinity = check(report, 'affinity');
    expect(affinity.status).toBe('fail');
    expect(affinity.detail).toMatch(/^\d+ of \d+ requests on one polling session, each on a new connection, were answered "Session ID unknown"/);
    for (const fix of ['ARR affinity', 'cookie-based affinity', 'balance source', 'ip_hash']) expect(affinity.hint).toContain(fix);
    expect(affinity.hint!.endsWith(troubleshootingAnchor('affinity'))).toBe(true);
    // The polling check sees the session lost too, and points here rather than failing on its own.
    expect(check(report, 'polling')).toMatchObject({ status: 'warn', detail: expect.stringContaining('see the affinity check') });
    for (const id of ['websocket', 'latency', 'protocol', 'join-code']) expect(check(report, id).status, id).toBe('ok');
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['affinity']);
  });

  it('the same two relays with the affinity cookie: affinity passes, the cookie sent back as a browser would', async () => {
    proxy = await HaProxy.start(backends(), { sticky: true });
    const report = await runDoctor(proxy.url, { from: 'cli' });
    expect(check(report, 'affinity')).toMatchObject({ status: 'ok', detail: expect.stringContaining('PARLEY_AFFINITY sent back') });
    expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
  });
});

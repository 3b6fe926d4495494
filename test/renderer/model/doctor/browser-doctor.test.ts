/**
 * The browser's connection doctor (renderer/model/doctor) against real relays and real broken
 * set-ups: a healthy relay reports no failure; a port nothing listens on fails at health with the
 * rest skipped; a relay that needs a join code says so (and no code is ever sent or shown); a load
 * balancer without affinity fails affinity, and one that drops upgrades fails websocket; a proxy
 * with a short idle timeout fails idle. The report's shape is the contract's, in its order.
 */
import { describe, expect, it } from 'vitest';
import { DOCTOR_CHECKS, type CheckResult, type DoctorReport } from '../../../../protocol/index';
import { BROWSER_CANNOT, checkClock, runBrowserDoctor } from '../../../../renderer/model/doctor/browser-doctor';
import { freePort } from '../../../helpers/net';
import { useRelaysAndClients } from '../support';
import { idleCuttingProxy, nodeEnv, roundRobinProxy, useProxies } from './support';

const fixtures = useRelaysAndClients();
useProxies();

const byId = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c])) as Record<CheckResult['id'], CheckResult>;
const statuses = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

describe('runBrowserDoctor', () => {
  it('a healthy relay: every check a page can make passes, each reported as it finishes', async () => {
    const relay = await fixtures.relay();
    const seen: string[] = [];
    const report = await runBrowserDoctor(relay.url, { onCheck: (c) => seen.push(c.id) }, nodeEnv());
    expect(report.from).toBe('browser');
    expect(report.url).toBe(`${relay.url}/`);
    expect(report.checks.map((c) => c.id)).toEqual([...DOCTOR_CHECKS]);
    expect([...seen].sort()).toEqual([...DOCTOR_CHECKS].sort());
    expect(statuses(report)).toEqual({
      url: 'ok',
      dns: 'skip',
      tcp: 'skip',
      tls: 'skip',
      health: 'ok',
      polling: 'ok',
      affinity: 'ok',
      websocket: 'ok',
      idle: 'skip',
      latency: 'ok',
      clock: 'ok',
      protocol: 'ok',
      'join-code': 'ok',
    });
    const checks = byId(report);
    expect(checks.dns.detail).toBe(BROWSER_CANNOT);
    expect(checks.tls.detail).toBe('Plain http://: no TLS to check.');
    expect(checks.polling.detail).toMatch(/pings every 25\.0 s/);
    expect(checks.latency.detail).toMatch(/^10 round trips over WebSocket: p50 \d+ ms, p95 \d+ ms\.$/);
    expect(checks['join-code'].detail).toMatch(/No join code needed/);
    expect(checks.protocol.detail).toMatch(/A Parley relay/);
    for (const c of report.checks) expect(c.hint, c.id).toBeUndefined();
  });

  it('nothing listening: health fails with a hint to its troubleshooting section, and the rest is skipped', async () => {
    const port = await freePort();
    const report = await runBrowserDoctor(`http://127.0.0.1:${port}`, {}, nodeEnv());
    const checks = byId(report);
    expect(checks.health.status).toBe('fail');
    expect(checks.health.detail).toMatch(/Nothing answered at http:\/\/127\.0\.0\.1:\d+/);
    expect(checks.health.hint).toMatch(/See docs\/troubleshooting\.md#health$/);
    for (const id of ['polling', 'affinity', 'websocket', 'latency', 'protocol', 'join-code', 'idle', 'clock'] as const) expect(checks[id].status, id).toBe('skip');
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['health']);
  });

  it('a relay that needs a join code: said, without any code sent or shown', async () => {
    const relay = await fixtures.relay({ joinCode: 'K7PM2Q' });
    const report = await runBrowserDoctor(`${relay.url}/?code=K7PM2Q`, {}, nodeEnv());
    const checks = byId(report);
    expect(checks['join-code']).toMatchObject({ status: 'ok', detail: expect.stringMatching(/needs a join code/) });
    expect(checks.protocol).toMatchObject({ status: 'ok', detail: expect.stringMatching(/JOIN_CODE_REQUIRED/) });
    expect(checks.url.detail).toMatch(/the query and fragment are left out/);
    expect(JSON.stringify(report)).not.toContain('K7PM2Q');
    expect(report.checks.some((c) => c.status === 'fail')).toBe(false);
  });

  it('a load balancer without affinity that also drops the WebSocket upgrade: affinity and websocket fail', async () => {
    const a = await fixtures.relay();
    const b = await fixtures.relay();
    const proxy = await roundRobinProxy([a.port!, b.port!]);
    const report = await runBrowserDoctor(proxy, {}, nodeEnv());
    const checks = byId(report);
    expect(checks.health.status).toBe('ok');
    expect(checks.polling.status).toBe('ok');
    expect(checks.affinity).toMatchObject({ status: 'fail', detail: expect.stringMatching(/"Session ID unknown"/), hint: expect.stringMatching(/sticky sessions.*#affinity$/s) });
    expect(checks.websocket).toMatchObject({ status: 'fail', detail: expect.stringMatching(/did not open/), hint: expect.stringMatching(/Upgrade.*#websocket$/s) });
    // Neither transport carries a session: the checks that need one say so.
    expect(checks.latency.status).toBe('skip');
    expect(checks.protocol.status).toBe('skip');
  });

  it('idle: a connection held through a relay that pings often survives; a proxy that cuts quiet connections fails it', async () => {
    const lively = await fixtures.relay({ pingIntervalMs: 300, pingTimeoutMs: 2000 });
    const held = byId(await runBrowserDoctor(lively.url, { idleSeconds: 1 }, nodeEnv())).idle;
    expect(held).toMatchObject({ status: 'ok', detail: expect.stringMatching(/held for 1 s and stayed open; the relay pinged [1-9]\d* times? \(every 300 ms\)/) });

    const quiet = await fixtures.relay();
    const proxy = await idleCuttingProxy(quiet.port!, 500);
    const cut = byId(await runBrowserDoctor(proxy, { idleSeconds: 3 }, nodeEnv())).idle;
    expect(cut.status).toBe('fail');
    expect(cut.detail).toMatch(/cut without a close frame \(code 1006\).* after \d+ ms, with 0 pings answered \(the relay pings every 25\.0 s\)/);
    expect(cut.hint).toMatch(/idle timeout.*#idle$/s);
  });

  it('the address: unreadable, a ws:// one, and plain http:// from an https page; credentials never reach the report', async () => {
    const typo = await runBrowserDoctor('chat.example.com', {}, nodeEnv());
    expect(byId(typo).url).toMatchObject({ status: 'fail', hint: expect.stringMatching(/with its scheme/) });
    expect(typo.checks.filter((c) => c.id !== 'url').every((c) => c.status === 'skip')).toBe(true);

    const ws = byId(await runBrowserDoctor('wss://chat.example.com', {}, nodeEnv())).url;
    expect(ws.detail).toMatch(/is a WebSocket address/);

    const mixed = byId(await runBrowserDoctor('http://chat.example.com', {}, nodeEnv('https://parley.example.com'))).url;
    expect(mixed).toMatchObject({ status: 'fail', detail: expect.stringMatching(/mixed content/) });

    const relay = await fixtures.relay();
    const withSecrets = await runBrowserDoctor(relay.url.replace('http://', 'http://ana:hunter22@'), {}, nodeEnv());
    expect(byId(withSecrets).url.status).toBe('warn');
    expect(JSON.stringify(withSecrets)).not.toMatch(/hunter22|ana:/);
  });
});

describe('checkClock', () => {
  const at = 1_700_000_000_000;
  it('agrees when the Date header fits the round trip, and warns about a clock a minute off', () => {
    expect(checkClock([{ server: at, sent: at + 100, received: at + 300 }]).status).toBe('ok');
    const off = checkClock([{ server: at + 60_000, sent: at, received: at + 200 }]);
    expect(off).toMatchObject({ status: 'warn', detail: expect.stringMatching(/59\.\d s ahead of/) });
    expect(checkClock([]).status).toBe('skip');
  });
});

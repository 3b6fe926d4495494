/**
 * A proxy that closes connections idle for 3 seconds (what an Application Gateway or firewall with a
 * short idle timeout does) in front of a relay that pings every 25 s: the idle WebSocket is cut after
 * about 3 s without a close frame, before the first ping, and the doctor says so. The same proxy in
 * front of a relay that pings every second is harmless: the pings keep the connection busy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { troubleshootingAnchor, type DoctorReport } from '../../../protocol/diagnostics';
import { runDoctor } from '../../../server/doctor/index';
import { idleTimeoutFront, type Front } from '../../helpers/fronts';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();
let front: Front | undefined;
afterEach(async () => {
  await front?.close();
});

const check = (r: DoctorReport, id: string) => r.checks.find((c) => c.id === id)!;
const portOf = (url: string) => Number(new URL(url).port);

describe('connection doctor: an idle timeout in front', () => {
  it('a 3 s idle timeout and a 25 s ping interval: idle fails, cut near 3 s, before the first ping, without a close frame', async () => {
    const relay = await startRelay();
    front = await idleTimeoutFront(portOf(relay.url), 3000);
    const report = await runDoctor(front.url, { from: 'cli', idleSeconds: 6 });
    const idle = check(report, 'idle');
    expect(idle.status).toBe('fail');
    const cutAfter = Number(/cut after (\d+\.\d) s/.exec(idle.detail)?.[1]);
    // Measured from the open packet, which comes a moment after the proxy started its clock.
    expect(cutAfter, idle.detail).toBeGreaterThanOrEqual(2.5);
    expect(cutAfter, idle.detail).toBeLessThan(4.5);
    expect(idle.detail).toContain("before the relay's first ping (the relay pings every 25 s)");
    expect(idle.detail).toContain('without a WebSocket close frame');
    expect(idle.detail).toMatch(/closes connections idle for about 3 s/);
    for (const fix of ['proxy_read_timeout', 'timeout tunnel', 'request timeout', '(45 s)']) expect(idle.hint).toContain(fix);
    expect(idle.hint!.endsWith(troubleshootingAnchor('idle'))).toBe(true);
    // Everything that is not idle for seconds works through the same proxy.
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['idle']);
    expect(check(report, 'latency').status).toBe('ok');
  });

  it('the same proxy, a relay pinging every second: the idle connection survives', async () => {
    const relay = await startRelay({ pingIntervalMs: 1000 });
    front = await idleTimeoutFront(portOf(relay.url), 3000);
    const report = await runDoctor(front.url, { from: 'cli', idleSeconds: 4 });
    expect(check(report, 'idle')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/still open, [3-5] pings answered/) });
    expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
  });
});

/**
 * The connection doctor against a healthy relay, a relay that wants a join code, nothing listening,
 * and addresses that are not a relay's. Real relays on free ports; the checks talk to them over the
 * network like any client.
 */
import { describe, expect, it } from 'vitest';
import { DOCTOR_CHECKS, troubleshootingAnchor, type CheckResult, type DoctorReport } from '../../../protocol/diagnostics';
import { runDoctor } from '../../../server/doctor/index';
import { freePort } from '../../helpers/net';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

const byId = (r: DoctorReport) => Object.fromEntries(r.checks.map((c) => [c.id, c])) as Record<string, CheckResult>;
const problems = (r: DoctorReport) => r.checks.filter((c) => c.status === 'fail' || c.status === 'warn');

/** Every warn and fail carries a hint ending with its own troubleshooting section; ok and skip carry none. */
function expectHintsWellFormed(r: DoctorReport): void {
  for (const c of r.checks) {
    if (c.status === 'fail' || c.status === 'warn') expect(c.hint, c.id).toMatch(new RegExp(`${troubleshootingAnchor(c.id).replace(/[.#]/g, '\\$&')}$`));
    else expect(c.hint, c.id).toBeUndefined();
  }
}

describe('connection doctor', () => {
  it('a healthy relay: every check runs, in order, reported as it finishes, and none fails or warns', async () => {
    // A short ping interval, so one second of idling sees the relay's pings answered.
    const relay = await startRelay({ pingIntervalMs: 300, pingTimeoutMs: 2000 });
    const seen: string[] = [];
    const report = await runDoctor(`${relay.url}/?token=s3cret#frag`, { from: 'desktop', idleSeconds: 1, onCheck: (c) => seen.push(c.id) });

    expect(report.checks.map((c) => c.id)).toEqual([...DOCTOR_CHECKS]);
    expect(seen).toEqual([...DOCTOR_CHECKS]);
    expect(problems(report)).toEqual([]);
    expect(report).toMatchObject({ url: `${relay.url}/`, from: 'desktop' });
    expect(JSON.stringify(report)).not.toContain('s3cret');
    const c = byId(report);
    expect(c.tls).toMatchObject({ status: 'skip', detail: expect.stringContaining('Plain http://') });
    for (const id of DOCTOR_CHECKS.filter((i) => i !== 'tls')) expect(c[id]!.status, `${id}: ${c[id]!.detail}`).toBe('ok');
    expect(c.polling!.detail).toMatch(/pings every 300 ms/);
    expect(c.affinity!.detail).toMatch(/^10 requests on one polling session/);
    expect(c.idle!.detail).toMatch(/still open, [1-9]\d* pings? answered/);
    expect(c.latency!.detail).toMatch(/^p50 .+, p95 .+ over 10 Socket.IO round trips \(WebSocket\)/);
    expect(c.protocol!.detail).toMatch(/accepted a protocol 1 Parley handshake over WebSocket/);
    expect(c['join-code']!.detail).toMatch(/^Not required/);
    for (const r of report.checks) expect(r.ms).toBeGreaterThanOrEqual(0);
    expectHintsWellFormed(report);
  });

  it('a relay with a join code: reported as required, and the code appears nowhere in the report', async () => {
    const relay = await startRelay({ joinCode: 'QX7PWM' });
    const report = await runDoctor(relay.url, { from: 'cli' });
    const c = byId(report);
    expect(problems(report)).toEqual([]);
    expect(c.protocol!.detail).toMatch(/understood \(it asks for a join code next\)/);
    expect(c['join-code']).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^Required/) });
    expect(c.idle).toMatchObject({ status: 'skip', detail: expect.stringContaining('--idle-seconds') });
    expect(JSON.stringify(report).toUpperCase()).not.toContain('QX7PWM');
  });

  it('nothing listening: tcp fails with a hint, and every later check is skipped naming it', async () => {
    const port = await freePort();
    const report = await runDoctor(`http://127.0.0.1:${port}`, { from: 'cli', idleSeconds: 5 });
    const c = byId(report);
    expect(c.tcp).toMatchObject({ status: 'fail', detail: expect.stringContaining('refused (nothing listens there)') });
    expect(c.tcp!.hint).toMatch(/Start the relay/);
    const later = DOCTOR_CHECKS.slice(DOCTOR_CHECKS.indexOf('tls'));
    for (const id of later) expect(c[id], id).toMatchObject({ status: 'skip', detail: 'Not run: the tcp check failed.' });
    expectHintsWellFormed(report);
  });

  it('addresses that are not a relay URL fail the url check; credentials never reach the report', async () => {
    const ws = await runDoctor('ws://127.0.0.1:3000', { from: 'cli' });
    expect(byId(ws).url).toMatchObject({ status: 'fail', hint: expect.stringContaining('Use http://127.0.0.1:3000') });
    expect(byId(ws).dns!.status).toBe('skip');

    const typo = await runDoctor('chat.example.com:3000/?key=abc', { from: 'cli' });
    expect(byId(typo).url).toMatchObject({ status: 'fail', detail: 'The address has no http:// or https:// in front.' });
    expect(typo.url).not.toContain('abc');

    const port = await freePort();
    const creds = await runDoctor(`http://ana:hunter2@127.0.0.1:${port}/`, { from: 'cli' });
    expect(byId(creds).url).toMatchObject({ status: 'warn', detail: expect.stringContaining('user name or password') });
    expect(JSON.stringify(creds)).not.toMatch(/hunter2|ana:/);
    expectHintsWellFormed(creds);
  });
});

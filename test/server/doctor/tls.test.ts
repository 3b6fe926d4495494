/**
 * TLS in front of a relay with certificates made by openssl: self-signed, expired, expiring in five
 * days, and a port that speaks no TLS. Each is named with its reason; a pinned fingerprint makes a
 * self-signed relay trusted for every later check (https and wss verify against exactly that
 * certificate), and a fingerprint that does not match fails.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { troubleshootingAnchor, type DoctorReport } from '../../../protocol/diagnostics';
import { runDoctor } from '../../../server/doctor/index';
import { TestCerts, type TestCert } from '../../helpers/certs';
import { tlsFront, type Front } from '../../helpers/fronts';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();
let front: Front | undefined;
afterEach(async () => {
  await front?.close();
});

const certs = new TestCerts();
let selfSigned: TestCert;
let expiring: TestCert;
let expired: TestCert;
beforeAll(() => {
  selfSigned = certs.selfSigned('self', 90);
  expiring = certs.selfSigned('soon', 5);
  expired = certs.expired('old');
});

const check = (r: DoctorReport, id: string) => r.checks.find((c) => c.id === id)!;

async function behindTls(cert: TestCert): Promise<string> {
  const relay = await startRelay();
  front = await tlsFront(Number(new URL(relay.url).port), cert);
  return front.url;
}

describe('connection doctor: TLS', () => {
  it('a self-signed certificate fails with its reason and fingerprint, and the checks over HTTPS are skipped', async () => {
    const report = await runDoctor(await behindTls(selfSigned), { from: 'cli' });
    const tls = check(report, 'tls');
    expect(tls.status).toBe('fail');
    expect(tls.detail).toContain('not trusted (it is self-signed)');
    expect(tls.detail).toContain(`SHA-256 ${selfSigned.fingerprint}`);
    expect(tls.hint).toMatch(/pin this certificate's fingerprint/);
    expect(tls.hint!.endsWith(troubleshootingAnchor('tls'))).toBe(true);
    expect(check(report, 'health')).toMatchObject({ status: 'skip', detail: 'Not run: the tls check failed.' });
  });

  it('the same certificate pinned: tls ok, and health, polling, WebSocket and the handshake all pass over it', async () => {
    const pin = selfSigned.fingerprint.replace(/:/g, '').toLowerCase();
    const report = await runDoctor(await behindTls(selfSigned), { from: 'cli', fingerprint: pin });
    expect(check(report, 'tls')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^trusted through the pinned fingerprint/) });
    expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
    for (const id of ['health', 'polling', 'affinity', 'websocket', 'latency', 'protocol']) expect(check(report, id).status, id).toBe('ok');
  });

  it('a pinned fingerprint that does not match fails', async () => {
    const report = await runDoctor(await behindTls(selfSigned), { from: 'cli', fingerprint: expiring.fingerprint });
    expect(check(report, 'tls')).toMatchObject({ status: 'fail', detail: expect.stringContaining('its fingerprint does not match the pinned one') });
    expect(check(report, 'tls').hint).toMatch(/intercepting/);
  });

  it('an expired certificate fails as expired, even when pinned', async () => {
    const report = await runDoctor(await behindTls(expired), { from: 'cli', fingerprint: expired.fingerprint });
    const tls = check(report, 'tls');
    expect(tls.status).toBe('fail');
    expect(tls.detail).toMatch(/it expired on 2020-02-01, \d+ days ago/);
    expect(tls.hint).toMatch(/^Renew the certificate/);
  });

  it('a certificate that expires in five days is a warning with the days left', async () => {
    const report = await runDoctor(await behindTls(expiring), { from: 'cli', fingerprint: expiring.fingerprint });
    expect(check(report, 'tls')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/expires in [45] days/) });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('https:// to a port that serves plain HTTP says so', async () => {
    const relay = await startRelay();
    const report = await runDoctor(relay.url.replace('http:', 'https:'), { from: 'cli' });
    expect(check(report, 'tls')).toMatchObject({ status: 'fail', detail: expect.stringContaining('does not speak TLS') });
    expect(check(report, 'tls').hint).toMatch(/^Use http:\/\//);
  });
});

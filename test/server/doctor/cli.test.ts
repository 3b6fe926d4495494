/**
 * `parley-server doctor` as users run it, in its own process: the JSON report and the text one, exit
 * status 0 without a failure and 1 with one, and a certificate chain verified against a CA the
 * process trusts (NODE_EXTRA_CA_CERTS, read at process start, so only a separate process can use a
 * private CA) but issued for another name. Runs server/cli.ts through tsx, so it needs no build.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { DOCTOR_CHECKS, type DoctorReport } from '../../../protocol/diagnostics';
import type { Relay } from '../../../server/index';
import { TestCerts, type TestCert } from '../../helpers/certs';
import { tlsFront, type Front } from '../../helpers/fronts';
import { freePort } from '../../helpers/net';
import { startRelay } from '../../helpers/relay';

const CLI = ['--import', 'tsx', 'server/cli.ts'];

function doctor(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...CLI, 'doctor', ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

let relay: Relay;
const fronts: Front[] = [];
const certs = new TestCerts();
let ca: TestCert;

beforeAll(async () => {
  relay = await startRelay();
  ca = certs.ca();
});
afterAll(async () => {
  await Promise.all(fronts.map((f) => f.close()));
  await relay?.close();
});

async function front(cert: TestCert): Promise<string> {
  const f = await tlsFront(Number(new URL(relay.url).port), cert);
  fronts.push(f);
  return f.url;
}

describe('parley-server doctor', () => {
  it('--json on a healthy relay: the DoctorReport, every check, exit status 0', async () => {
    const { code, stdout, stderr } = await doctor([relay.url, '--json', '--idle-seconds', '0']);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report).toMatchObject({ url: `${relay.url}/`, from: 'cli', at: expect.any(Number) });
    expect(report.checks.map((c) => c.id)).toEqual([...DOCTOR_CHECKS]);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('text on nothing listening: a line per check with its hint and a summary, exit status 1', async () => {
    const port = await freePort();
    const { code, stdout } = await doctor([`http://127.0.0.1:${port}`, '--idle-seconds', '0']);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Parley connection doctor: http://127\\.0\\.0\\.1:${port}/ \\(`));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}FAIL {2}tcp {8}No connection to port \d+: 127\.0\.0\.1:\d+ refused/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {19}→ Start the relay.* See docs\/troubleshooting\.md#tcp$/));
    for (const id of DOCTOR_CHECKS) expect(lines.some((l) => l.slice(8, 17).trim() === id), id).toBe(true);
    expect(lines.at(-1)).toBe('1 failed.');
  });

  it('a chain signed by a trusted CA: ok for the right name, a fail naming the names for another', async () => {
    const right = await front(certs.signed('right', 'IP:127.0.0.1'));
    const wrong = await front(certs.signed('wrong', 'DNS:other.invalid'));
    const env = { NODE_EXTRA_CA_CERTS: ca.certFile };
    const [good, bad] = await Promise.all([doctor([right, '--json', '--idle-seconds', '0'], env), doctor([wrong, '--json', '--idle-seconds', '0'], env)]);
    const tls = (out: string) => (JSON.parse(out) as DoctorReport).checks.find((c) => c.id === 'tls')!;
    expect(good.code, good.stderr).toBe(0);
    expect(tls(good.stdout)).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^chain verified; TLSv1\.[23]; certificate for 127\.0\.0\.1, issued by Parley Test CA/) });
    expect(bad.code).toBe(1);
    expect(tls(bad.stdout)).toMatchObject({ status: 'fail', detail: expect.stringContaining('it is issued for other.invalid, not 127.0.0.1') });
  });

  it('--help documents the options and the 30 s default; a bad --idle-seconds is exit status 2', async () => {
    const help = spawnSync(process.execPath, [...CLI, 'doctor', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const text of ['doctor [options] <url>', '--json', '--idle-seconds <n>', 'default 30', '--fingerprint <sha256>', 'Exit status']) expect(help.stdout).toContain(text);
    const main = spawnSync(process.execPath, [...CLI, '--help'], { encoding: 'utf8' });
    expect(main.stdout).toMatch(/doctor \[options\] <url>/);
    const bad = await doctor([relay.url, '--idle-seconds', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--idle-seconds');
  });
});

/**
 * TLS for the standalone relay as operators set it: TLS_CERT/TLS_KEY files, or TLS=self-signed kept
 * in DATA_DIR; the fingerprint printed at start-up is the one clients see.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { displayFingerprint, normalizeFingerprint } from '../../../protocol/tls';
import { freePort } from '../../helpers/net';
import { identity } from '../../helpers/tls';

const CLI = 'dist/server/cli.js';
beforeAll(() => {
  if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build-node.mjs', 'server'], { stdio: 'inherit' });
});

const tmp = () => mkdtempSync(join(tmpdir(), 'parley-tls-'));

/** Starts the CLI and resolves with its output once it printed the fingerprint (or rejects when it exits first). */
function start(env: Record<string, string>): Promise<{ child: ChildProcess; output: string; fingerprint: string }> {
  const child = spawn(process.execPath, [CLI], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
  let out = '';
  return new Promise((resolve, reject) => {
    const look = (d: Buffer) => {
      out += d.toString();
      const m = /fingerprint[^:]*: ([0-9A-F:]{95})/.exec(out);
      // Listening comes after the line: wait for the port to answer before handing over.
      if (m) resolve({ child, output: out, fingerprint: normalizeFingerprint(m[1]!) });
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

/** The fingerprint of the certificate a TLS client is shown on `port` (trusting only `ca` is not needed to look). */
function served(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const attempt = (left: number) => {
      const s = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
        resolve(normalizeFingerprint(s.getPeerCertificate().fingerprint256));
        s.destroy();
      });
      s.once('error', (err) => (left > 0 ? setTimeout(() => attempt(left - 1), 100) : reject(err)));
    };
    attempt(100);
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('parley-server over TLS', () => {
  it('serves TLS_CERT/TLS_KEY and prints their fingerprint', async () => {
    const id = await identity('operator');
    const dir = tmp();
    writeFileSync(join(dir, 'cert.pem'), id.cert);
    writeFileSync(join(dir, 'key.pem'), id.key);
    const port = await freePort();
    const relay = await start({ PORT: String(port), DATA_DIR: ':memory:', TLS_CERT: join(dir, 'cert.pem'), TLS_KEY: join(dir, 'key.pem') });
    try {
      expect(relay.fingerprint).toBe(id.fingerprint);
      expect(relay.output).toContain(displayFingerprint(id.fingerprint));
      expect(await served(port, id.cert)).toBe(id.fingerprint);
    } finally {
      await stop(relay.child);
    }
  });

  it('TLS=self-signed makes a certificate once and keeps it in DATA_DIR across restarts', async () => {
    const dataDir = tmp();
    const port = await freePort();
    const first = await start({ PORT: String(port), DATA_DIR: dataDir, TLS: 'self-signed' });
    await stop(first.child);
    const second = await start({ PORT: String(port), DATA_DIR: dataDir, TLS: 'self-signed' });
    try {
      expect(second.fingerprint).toBe(first.fingerprint);
      expect(existsSync(join(dataDir, 'tls', 'tls-key.pem'))).toBe(true);
    } finally {
      await stop(second.child);
    }
  });

  it.each([
    [{ TLS_CERT: '/nonexistent/cert.pem', TLS_KEY: '/nonexistent/key.pem' }, /TLS_CERT: cannot read/],
    [{ TLS_CERT: '/etc/hostname' }, /TLS_CERT and TLS_KEY go together/],
    [{ TLS: 'sometimes' }, /TLS/],
  ])('refuses to start on a TLS setting it cannot use (%o), naming it', (env, message) => {
    const res = spawnSync(process.execPath, [CLI], { env: { ...process.env, DATA_DIR: ':memory:', PORT: '0', ...env }, encoding: 'utf8', timeout: 20_000 });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(message);
  });

  it('refuses a certificate and key that are not a pair', async () => {
    const a = await identity('operator');
    const b = await identity('other');
    const dir = tmp();
    writeFileSync(join(dir, 'cert.pem'), a.cert);
    writeFileSync(join(dir, 'key.pem'), b.key);
    const res = spawnSync(process.execPath, [CLI], { env: { ...process.env, DATA_DIR: ':memory:', PORT: '0', TLS_CERT: join(dir, 'cert.pem'), TLS_KEY: join(dir, 'key.pem') }, encoding: 'utf8', timeout: 20_000 });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/does not belong/);
  });
});

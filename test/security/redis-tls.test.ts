/**
 * Threat: an untrustworthy path to Redis. In the cloud the relays share state through Redis over the
 * network; an attacker in that path could read or rewrite every message and presence if TLS were
 * off, unverified, or trusted anything. And a misconfiguration (wrong password, untrusted
 * certificate) must not turn into a crash loop, nor leak the password into logs or /healthz.
 *
 * The test builds its own CA and server certificate with openssl (in a temp dir), runs redis-server
 * with TLS only and a password, and connects relays with rediss:// URLs: in-process
 * (createRedisStores with tlsCaFile) and as the standalone CLI (REDIS_URL + REDIS_TLS_CA).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROOM, type SendOk } from '../../protocol/index';
import { createRelay, DEFAULT_LIMITS, type Relay } from '../../server/index';
import { createRedisStores, type RedisStores } from '../../server/stores/redis/index';
import { closeAllClients, loggedIn, next, request, sleep } from '../helpers/clients';
import { RelayProcess } from '../helpers/cluster';
import { freePort, httpGet } from '../helpers/net';
import { RedisServer } from '../helpers/redis';
import { ensureCli } from './support/cli';
import { pollingPath, rawHttp } from './support/raw';

const PASSWORD = 'Tls-Test-Pa55word-7f3e';
const WRONG = 'Not-The-Pa55word-91ab';
let dir: string;
let redis: RedisServer;
let tlsPort: number;
const relays: Relay[] = [];
const processes: RelayProcess[] = [];

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

beforeAll(async () => {
  ensureCli();
  dir = mkdtempSync(join(tmpdir(), 'parley-redis-tls-'));
  // A private CA, and a server certificate it signs for the name "localhost" only (no IP SAN).
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Parley test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext');
  // Another CA, which did not sign the server's certificate.
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rogue.key', '-out', 'rogue.crt', '-days', '2', '-subj', '/CN=Some other CA');
  tlsPort = await freePort();
  // TLS only (--port 0 turns the plain port off), server certificate only (no client certificates), a password.
  redis = await RedisServer.start([
    '--port', '0', '--bind', '127.0.0.1', '-::1',
    '--tls-port', String(tlsPort),
    '--tls-cert-file', join(dir, 'server.crt'), '--tls-key-file', join(dir, 'server.key'), '--tls-ca-cert-file', join(dir, 'ca.crt'),
    '--tls-auth-clients', 'no',
    '--requirepass', PASSWORD,
  ]);
}, 30_000);

afterAll(async () => {
  closeAllClients();
  await Promise.all(relays.splice(0).map((r) => r.close()));
  await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const url = (password: string, host = 'localhost') => `rediss://:${password}@${host}:${tlsPort}`;

async function tlsRelay(redisUrl: string, tlsCaFile?: string): Promise<Relay & { stores: RedisStores }> {
  const stores = createRedisStores({
    url: redisUrl,
    instanceId: `tls-${Math.random().toString(36).slice(2, 8)}`,
    historyLimit: 200,
    lobby: DEFAULT_ROOM,
    userMessages: DEFAULT_LIMITS.userMessages,
    log: pino({ level: 'silent' }),
    ...(tlsCaFile ? { tlsCaFile } : {}),
  });
  await stores.connections.waitReady(5000);
  const relay = await createRelay({ port: 0, host: '127.0.0.1', shutdownGraceMs: 10, stores });
  relays.push(relay);
  return relay as Relay & { stores: RedisStores };
}

async function health(port: number): Promise<{ status: number; body: Record<string, unknown>; raw: string }> {
  const res = await httpGet({ port }, '/healthz');
  return { status: res.status, body: JSON.parse(res.body) as Record<string, unknown>, raw: res.body };
}

/** A standalone relay on a misconfigured Redis: readiness fails with a reason, no secret anywhere, no crash loop. */
async function expectMisconfigured(env: Record<string, string>, reason: RegExp): Promise<void> {
  // RelayProcess makes the details public, so the check below sees all /healthz could ever show.
  const rp = await RelayProcess.start({ REDIS_URL: env.REDIS_URL!, ...env, LOG_LEVEL: 'info' });
  processes.push(rp);
  let h = await health(rp.port);
  const end = Date.now() + 8000;
  while (h.body.status !== 'misconfigured' && Date.now() < end) {
    await sleep(100);
    h = await health(rp.port);
  }
  expect(h.status).toBe(503);
  expect(h.body).toMatchObject({ status: 'misconfigured', redis: 'misconfigured' });
  expect(String(h.body.redisError)).toMatch(reason);
  // Clients are refused while it is not ready.
  const handshake = await rawHttp(rp.port, 'GET', pollingPath());
  expect(handshake.status).toBe(403);
  expect(handshake.body).toMatch(/Relay not ready/);
  // Several seconds later it is still up (no crash, so no crash loop), and said so at most a few times.
  await sleep(5000);
  expect(rp.proc.exitCode).toBeNull();
  expect(rp.proc.signalCode).toBeNull();
  expect((await health(rp.port)).body).toMatchObject({ status: 'misconfigured' });
  const out = rp.output();
  const problems = out.split('\n').filter((l) => l.includes('Redis connection problem'));
  expect(problems.length).toBeGreaterThanOrEqual(1);
  expect(problems.length).toBeLessThanOrEqual(3);
  expect(JSON.parse(problems[0]!)).toMatchObject({ level: 'error', state: expect.any(String), error: expect.stringMatching(reason) });
  // No password in the logs or in /healthz, neither the right one nor the one configured.
  for (const secret of [PASSWORD, WRONG]) {
    expect(out).not.toContain(secret);
    expect(h.raw).not.toContain(secret);
  }
  await rp.kill('SIGTERM');
}

describe('Redis over TLS', () => {
  it('relays chat through a TLS-only, password-protected Redis: in-process (tlsCaFile) and standalone (REDIS_URL + REDIS_TLS_CA)', async () => {
    const a = await tlsRelay(url(PASSWORD), join(dir, 'ca.crt'));
    expect(a.stores.connections.state).toBe('up');
    const b = await RelayProcess.start({ REDIS_URL: url(PASSWORD), REDIS_TLS_CA: join(dir, 'ca.crt'), LOG_LEVEL: 'info' });
    processes.push(b);
    let hb = await health(b.port);
    for (let i = 0; i < 50 && hb.body.status !== 'ok'; i++) {
      await sleep(100);
      hb = await health(b.port);
    }
    expect(hb).toMatchObject({ status: 200, body: { status: 'ok', backend: 'redis', redis: 'up' } });
    expect(b.output()).not.toContain(PASSWORD);

    const ana = await loggedIn(a.url, 'ana');
    const bob = await loggedIn(b.url, 'bob');
    const got = next(bob.socket, 'new message', 5000);
    const ack = await request<SendOk>(ana.socket, 'new message', { text: 'over TLS' });
    expect(ack).toMatchObject({ ok: true });
    expect(await got).toMatchObject({ message: 'over TLS', username: 'ana', seq: ack.ok ? ack.seq : -1 });
    // Stored in the shared TLS Redis.
    const page = await a.stores.history.page('lobby', { limit: 10 });
    expect(page.messages.map((m) => m.message)).toContain('over TLS');
  }, 30_000);

  it('a wrong password fails start-up readiness with a clear reason (/healthz 503 misconfigured), no secret in logs or /healthz, no crash loop', async () => {
    await expectMisconfigured({ REDIS_URL: url(WRONG), REDIS_TLS_CA: join(dir, 'ca.crt') }, /WRONGPASS|invalid username-password|NOAUTH/);
  }, 30_000);

  it('an untrusted certificate (no CA given) fails start-up readiness the same way: the certificate is verified', async () => {
    await expectMisconfigured({ REDIS_URL: url(PASSWORD) }, /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to get local issuer/);
  }, 30_000);

  it('a certificate from another CA, or for another name, is refused (in-process: the state says why)', async () => {
    const rogue = await tlsRelay(url(PASSWORD), join(dir, 'rogue.crt'));
    expect(rogue.stores.connections.state).toBe('misconfigured');
    expect(rogue.stores.connections.error).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY|unable to get local issuer/);
    // The certificate names "localhost" only; addressing the server by its IP must fail host verification.
    const byIp = await tlsRelay(url(PASSWORD, '127.0.0.1'), join(dir, 'ca.crt'));
    expect(byIp.stores.connections.state).toBe('misconfigured');
    expect(byIp.stores.connections.error).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    expect((await health(byIp.port!)).status).toBe(503);
    await sleep(1000);
    expect(byIp.stores.connections.state).toBe('misconfigured');
  }, 30_000);

  it('a rediss:// URL whose host the certificate does not name (an IP here) fails readiness the same way: host names are verified', async () => {
    await expectMisconfigured({ REDIS_URL: url(WRONG, '127.0.0.1'), REDIS_TLS_CA: join(dir, 'ca.crt') }, /ERR_TLS_CERT_ALTNAME_INVALID/);
  }, 30_000);

  it('no code path disables certificate verification (the doctor’s one look at a certificate aside)', () => {
    // The connection doctor must say why a relay's certificate is refused, so one socket of it looks
    // at the certificate without verifying, sends nothing and is destroyed; and its pin checks add
    // to Node's own identity check (test/server/doctor/tls.test.ts: a wrong pin and a self-signed
    // certificate without one both fail). Nothing else in the app (server, main, renderer, protocol) may name these options.
    const INSPECTION = join('server', 'doctor', 'inspect-certificate.ts');
    // The desktop's pairing with a LAN host trusts exactly the inspected certificate and checks its
    // fingerprint again on that connection (main/security/lan-pairing.ts: test/main/security/lan-pairing.test.ts).
    const PIN_CHECKS = [join('server', 'doctor', 'tls.ts'), join('server', 'doctor', 'ws-session.ts'), join('main', 'security', 'lan-pairing.ts')];
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|js|mjs|cjs)$/.test(name)) {
          const text = readFileSync(p, 'utf8');
          for (const pattern of [/rejectUnauthorized/, /NODE_TLS_REJECT_UNAUTHORIZED/, /checkServerIdentity/, /\binsecure\b/i]) {
            const allowed = (p === INSPECTION && pattern.source === 'rejectUnauthorized') || (PIN_CHECKS.includes(p) && pattern.source === 'checkServerIdentity');
            if (pattern.test(text) && !allowed) offenders.push(`${p}: ${pattern}`);
          }
        }
      }
    };
    for (const root of ['server', 'main', 'renderer', 'protocol']) walk(root);
    expect(offenders).toEqual([]);
    const inspection = readFileSync(INSPECTION, 'utf8');
    expect(inspection.match(/rejectUnauthorized/g)).toHaveLength(1);
    expect(inspection).toContain('socket.destroy();');
    expect(inspection).not.toMatch(/\.(write|end)\(/);
    // The built CLI (what runs in production): the inspection's one socket, nothing more.
    const cli = readFileSync('dist/server/cli.js', 'utf8');
    expect(cli.match(/rejectUnauthorized/g) ?? []).toHaveLength(1);
    expect(cli).not.toMatch(/NODE_TLS_REJECT_UNAUTHORIZED/);
  });
});

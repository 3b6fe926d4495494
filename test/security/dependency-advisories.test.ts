/**
 * Threat: known vulnerabilities in the transport stack. Socket.IO's packages have had advisories
 * where one crafted packet or request kills the process or exhausts its memory; an install that
 * resolves an old version brings them back.
 *
 * Two checks: (1) every installed copy of socket.io, engine.io, socket.io-parser, ws (and cookie, used
 * by engine.io) is at or above the version that fixes each advisory listed below, and so is every
 * copy the lockfile pins; (2) `npm audit --omit=dev --audit-level=high` passes when the registry's
 * audit endpoint answers. When it does not (offline CI, a registry mirror without the audit API),
 * the test is reported as skipped and prints that the audit could not run and why: the floors in (1) still hold.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Advisory {
  id: string;
  ghsa: string;
  fixedIn: string;
  what: string;
}

/**
 * Floors, each the highest "fixed in" of the package's advisories on its current major line. Sources:
 * the GitHub advisories (GHSA) and their CVE records; the socket.io-parser 2026 entries are as the
 * GitHub advisory database lists them (CVE-2026-33151 confirmed by the maintainer in
 * socketio/socket.io#5489; CVE-2026-69185 as cited by Dependabot alerts).
 */
const FLOORS: Record<string, { floor: string; advisories: Advisory[] }> = {
  'socket.io': {
    floor: '4.6.2',
    advisories: [
      { id: 'CVE-2024-38355', ghsa: 'GHSA-25hc-qcg6-38wj', fixedIn: '4.6.2', what: 'a crafted packet triggers an unhandled "error" event that kills the process' },
      { id: 'CVE-2020-28481', ghsa: 'GHSA-fxwf-4rqh-v8g3', fixedIn: '2.4.0', what: 'CORS misconfiguration (any origin allowed by default)' },
    ],
  },
  'engine.io': {
    // 6.4.2 fixes the advisories; package.json "overrides" pins 6.6.12 (the fast path leans on its internals).
    floor: '6.6.2',
    advisories: [
      { id: 'CVE-2023-31125', ghsa: 'GHSA-q9mw-68c2-j6m5', fixedIn: '6.4.2', what: 'a crafted request triggers an uncaught exception that kills the process' },
      { id: 'CVE-2022-41940', ghsa: 'GHSA-r7qp-cfhv-p84w', fixedIn: '6.2.1', what: 'a crafted request triggers an uncaught exception that kills the process' },
      { id: 'CVE-2022-21676', ghsa: 'GHSA-273r-mgr4-v34f', fixedIn: '6.1.1', what: 'a crafted request triggers an uncaught exception that kills the process' },
    ],
  },
  'socket.io-parser': {
    floor: '4.2.7',
    advisories: [
      { id: 'CVE-2026-69185', ghsa: 'GHSA-2m8v-j782-fhvr', fixedIn: '4.2.7', what: 'a binary packet declaring zero attachments leaves a decoder waiting forever: memory exhaustion' },
      { id: 'CVE-2026-33151', ghsa: 'GHSA-677m-j7p3-52f9', fixedIn: '4.2.6', what: 'unbounded number of binary attachments: memory exhaustion (limit of 10 added)' },
      { id: 'CVE-2023-32695', ghsa: 'GHSA-cqmj-92xf-r6r9', fixedIn: '4.2.3', what: 'insufficient validation when decoding a packet: uncaught exception' },
      { id: 'CVE-2022-2421', ghsa: 'GHSA-qm95-pgcg-qqfq', fixedIn: '4.2.1', what: 'insufficient validation of placeholders: the _placeholder object can be overwritten' },
    ],
  },
  ws: {
    floor: '8.17.1',
    advisories: [
      { id: 'CVE-2024-37890', ghsa: 'GHSA-3h5v-q93c-6h6q', fixedIn: '8.17.1', what: 'a request with more headers than server.maxHeadersCount crashes the server' },
      { id: 'CVE-2021-32640', ghsa: 'GHSA-6fc8-4gx4-v693', fixedIn: '7.4.6', what: 'ReDoS in the Sec-WebSocket-Protocol header' },
    ],
  },
  cookie: {
    floor: '0.7.0',
    advisories: [{ id: 'CVE-2024-47764', ghsa: 'GHSA-pxg6-pf52-xh8x', fixedIn: '0.7.0', what: 'cookie name, path and domain accept out-of-bounds characters (low)' }],
  },
};

function compare(a: string, b: string): number {
  const pa = a.split(/[.+-]/).slice(0, 3).map(Number);
  const pb = b.split(/[.+-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) if (pa[i]! !== pb[i]!) return pa[i]! - pb[i]!;
  return 0;
}

/** Every installed copy of `name` under node_modules, nested ones included: [path, version]. */
function installedCopies(name: string, dir = 'node_modules', found: [string, string][] = []): [string, string][] {
  const pkg = join(dir, name, 'package.json');
  if (existsSync(pkg)) found.push([pkg, (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version]);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === '.bin') continue;
    const sub = join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(sub, { withFileTypes: true })) {
        const nested = join(sub, scoped.name, 'node_modules');
        if (scoped.isDirectory() && existsSync(nested)) installedCopies(name, nested, found);
      }
    } else {
      const nested = join(sub, 'node_modules');
      if (existsSync(nested)) installedCopies(name, nested, found);
    }
  }
  return found;
}

interface AuditRun {
  ran: boolean;
  reason?: string;
  high?: number;
  critical?: number;
  offenders?: string[];
}

/** `npm audit --omit=dev --audit-level=high --json`, bounded in time, classified. */
function npmAudit(timeoutMs: number): Promise<AuditRun> {
  return new Promise((resolve) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['audit', '--omit=dev', '--audit-level=high', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ran: false, reason: `no answer within ${timeoutMs / 1000} s (registry unreachable?)` });
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ran: false, reason: `npm could not be started: ${e.message}` });
    });
    child.on('exit', () => {
      clearTimeout(timer);
      let report: {
        metadata?: { vulnerabilities?: Record<string, number> };
        vulnerabilities?: Record<string, { severity: string }>;
        message?: string;
        error?: { summary?: string; code?: string };
      };
      try {
        report = JSON.parse(out) as typeof report;
      } catch {
        const line = err.split('\n').find((l) => /npm (error|ERR!)/.test(l)) ?? err.trim().split('\n').pop() ?? 'no output';
        return resolve({ ran: false, reason: line.trim() });
      }
      const counts = report.metadata?.vulnerabilities;
      if (!counts) {
        return resolve({ ran: false, reason: report.message ?? report.error?.summary ?? report.error?.code ?? 'the audit endpoint returned no report' });
      }
      const offenders = Object.entries(report.vulnerabilities ?? {})
        .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
        .map(([name, v]) => `${name} (${v.severity})`);
      resolve({ ran: true, high: counts.high ?? 0, critical: counts.critical ?? 0, offenders });
    });
  });
}

describe('dependency advisories', () => {
  it('every installed copy of socket.io, engine.io, socket.io-parser, ws and cookie is at or above the version fixing its known advisories', () => {
    for (const [name, { floor, advisories }] of Object.entries(FLOORS)) {
      expect(compare(floor, advisories.map((a) => a.fixedIn).sort(compare).pop()!), `${name}: floor below an advisory fix`).toBeGreaterThanOrEqual(0);
      const copies = installedCopies(name);
      expect(copies.length, `${name} is installed`).toBeGreaterThan(0);
      for (const [path, version] of copies) {
        const open = advisories.filter((a) => compare(version, a.fixedIn) < 0).map((a) => `${a.id} (${a.ghsa}, fixed in ${a.fixedIn}): ${a.what}`);
        expect(compare(version, floor), `${path} is ${version}, below ${floor}; open: ${open.join('; ') || 'none listed'}`).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('the lockfile (what `npm ci` installs in CI) pins no copy below those floors', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string }> };
    for (const [name, { floor }] of Object.entries(FLOORS)) {
      const pinned = Object.entries(lock.packages).filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`));
      expect(pinned.length, `${name} in package-lock.json`).toBeGreaterThan(0);
      for (const [path, entry] of pinned) expect(compare(entry.version!, floor), `${path}@${entry.version} < ${floor}`).toBeGreaterThanOrEqual(0);
    }
  });

  it('npm audit (production dependencies) reports no high or critical advisory, when the audit endpoint answers', async (ctx) => {
    const audit = await npmAudit(60_000);
    if (!audit.ran) {
      console.warn(
        `[dependency-advisories] npm audit could not run: ${audit.reason}. ` +
          'Reported as skipped: the version floors above were checked from node_modules and package-lock.json; run `npm audit --omit=dev` where the registry answers.',
      );
      // Skipped, not passed: the suite's counts must not claim an audit that did not happen.
      ctx.skip();
    }
    console.log(`[dependency-advisories] npm audit ran: ${audit.critical} critical, ${audit.high} high`);
    expect(audit.offenders, `high/critical advisories: ${audit.offenders!.join(', ')}`).toEqual([]);
    expect(audit.high! + audit.critical!).toBe(0);
  }, 90_000);
});

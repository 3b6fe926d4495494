/**
 * Discovery between two real hosts on a real (virtual) LAN: two network namespaces joined by a veth
 * pair, each running real bonjour-service through main/discovery. Nothing multicasts on this
 * machine's own network. Needs root (or CAP_NET_ADMIN) for `ip netns`; skipped, with the reason in
 * the test name, where that is not permitted. The namespaces are always deleted.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LanSession } from '../../../protocol/index';

const id = `${process.pid % 100000}`;
const NS_A = `parley-a-${id}`;
const NS_B = `parley-b-${id}`;
const VETH_A = `pa${id}`;
const VETH_B = `pb${id}`;
const ADDR_A = '10.231.0.1';
const ADDR_B = '10.231.0.2';
const PEER = 'test/main/discovery/fixtures/lan-peer.ts';

function ip(...args: string[]): { ok: boolean; out: string } {
  const res = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
  return { ok: res.status === 0, out: `${res.stderr ?? ''}${res.stdout ?? ''}${res.error ? String(res.error) : ''}`.trim() };
}

/** Why the test cannot run here, or null when it can. */
function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces are Linux-only';
  const probe = `parley-probe-${id}`;
  const add = ip('netns', 'add', probe);
  if (!add.ok) return `\`ip netns add\` is not permitted here (${add.out || 'no output'})`;
  ip('netns', 'del', probe);
  return null;
}

function removeNamespaces(): void {
  ip('netns', 'del', NS_A);
  ip('netns', 'del', NS_B); // deleting a namespace also deletes its end of the veth pair
  ip('link', 'del', VETH_A);
}

function createLan(): void {
  removeNamespaces(); // leftovers from an interrupted run
  const steps: string[][] = [
    ['netns', 'add', NS_A],
    ['netns', 'add', NS_B],
    ['link', 'add', VETH_A, 'type', 'veth', 'peer', 'name', VETH_B],
    ['link', 'set', VETH_A, 'netns', NS_A],
    ['link', 'set', VETH_B, 'netns', NS_B],
    ['-n', NS_A, 'addr', 'add', `${ADDR_A}/24`, 'dev', VETH_A],
    ['-n', NS_B, 'addr', 'add', `${ADDR_B}/24`, 'dev', VETH_B],
    ['-n', NS_A, 'link', 'set', 'lo', 'up'],
    ['-n', NS_B, 'link', 'set', 'lo', 'up'],
    ['-n', NS_A, 'link', 'set', VETH_A, 'up', 'multicast', 'on'],
    ['-n', NS_B, 'link', 'set', VETH_B, 'up', 'multicast', 'on'],
    ['-n', NS_A, 'route', 'add', '224.0.0.0/4', 'dev', VETH_A],
    ['-n', NS_B, 'route', 'add', '224.0.0.0/4', 'dev', VETH_B],
  ];
  for (const step of steps) {
    const res = ip(...step);
    if (!res.ok) throw new Error(`ip ${step.join(' ')} failed: ${res.out}`);
  }
}

interface Peer {
  proc: ChildProcessWithoutNullStreams;
  lines: Record<string, unknown>[];
  waitFor(predicate: (line: Record<string, unknown>) => boolean, ms: number, what: string): Promise<Record<string, unknown>>;
}

const peers: Peer[] = [];

function startPeer(ns: string, ...args: string[]): Peer {
  const proc = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', PEER, ...args], { stdio: 'pipe' });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: proc.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      lines.push({ raw: line });
    }
    for (const w of [...waiters]) w();
  });
  const peer: Peer = {
    proc,
    lines,
    waitFor: (predicate, ms, what) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find(predicate);
          if (!hit) return false;
          waiters.delete(check as () => void);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check as () => void);
          reject(new Error(`timed out waiting for ${what} in ${ns}; output: ${JSON.stringify(lines)} stderr: ${stderr.slice(-2000)}`));
        }, ms);
        if (!check()) waiters.add(check as () => void);
      }),
  };
  peers.push(peer);
  return peer;
}

function exited(peer: Peer): Promise<void> {
  return peer.proc.exitCode !== null || peer.proc.signalCode !== null ? Promise.resolve() : new Promise((resolve) => peer.proc.once('exit', () => resolve()));
}

const skipReason = netnsUnavailable();

describe.skipIf(skipReason !== null)(`LAN discovery between two network namespaces${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  beforeAll(() => createLan());
  afterAll(async () => {
    for (const p of peers) if (p.proc.exitCode === null) p.proc.kill('SIGKILL');
    await Promise.all(peers.map(exited));
    removeNamespaces();
    expect(ip('netns', 'list').out).not.toContain(NS_A);
  });

  // The browser's latest list after index `from`.
  const sessionsAfter = (browser: Peer, predicate: (s: LanSession[]) => boolean) => (line: Record<string, unknown>) => Array.isArray(line.sessions) && predicate(line.sessions as LanSession[]);

  it('finds a session on the other host, ignores its own, and notices goodbyes and silent disappearances', async () => {
    const browser = startPeer(NS_B, 'browse', '500', '2500');
    const ready = await browser.waitFor((l) => typeof l.ready === 'string', 20_000, 'browser ready');
    expect(ready.ready).toMatch(/^parley-/);

    // 1. A host on the other side of the LAN advertises: it shows up with its LAN address and TXT data.
    const host = startPeer(NS_A, 'publish', 'Design review', '4321');
    await host.waitFor((l) => typeof l.ready === 'string', 20_000, 'publisher ready');
    const seen = await browser.waitFor(sessionsAfter(browser, (s) => s.some((x) => x.name === 'Design review')), 20_000, 'the session to appear');
    const sessions = seen.sessions as LanSession[];
    expect(sessions).toEqual([{ id: expect.stringMatching(/^parley-/), name: 'Design review', host: 'Ana', url: `http://${ADDR_A}:4321`, needsCode: false, protocol: 1 }]);
    // Its own advertisement ("Own session") never appears, in any list it printed.
    expect(browser.lines.some((l) => JSON.stringify(l).includes('Own session'))).toBe(false);

    // 2. The host stops hosting and says goodbye: the session goes away.
    const shownAt = browser.lines.length;
    host.proc.kill('SIGTERM');
    await host.waitFor((l) => l.stopped === true, 10_000, 'publisher goodbye');
    await browser.waitFor((l) => browser.lines.indexOf(l) >= shownAt && Array.isArray(l.sessions) && (l.sessions as unknown[]).length === 0, 10_000, 'the session to go after goodbye');

    // 3. A host that vanishes without a goodbye (crash, cable pulled) expires after staleMs.
    const crashing = startPeer(NS_A, 'publish', 'Crashy', '4322');
    await browser.waitFor(sessionsAfter(browser, (s) => s.some((x) => x.name === 'Crashy')), 20_000, 'the second session to appear');
    const beforeCrash = browser.lines.length;
    crashing.proc.kill('SIGKILL');
    await exited(crashing);
    const killedAt = Date.now();
    await browser.waitFor((l) => browser.lines.indexOf(l) >= beforeCrash && Array.isArray(l.sessions) && (l.sessions as unknown[]).length === 0, 15_000, 'the crashed session to expire');
    // Not removed by a goodbye (there was none) but by staleness: it took at least part of staleMs.
    expect(Date.now() - killedAt).toBeGreaterThan(500);
  }, 90_000);

  it('carries a TLS host’s certificate fingerprint across the LAN: the session is an https one to prove the code against', async () => {
    const fp = 'd9'.repeat(32);
    const browser = startPeer(NS_B, 'browse', '500', '2500');
    await browser.waitFor((l) => typeof l.ready === 'string', 20_000, 'browser ready');
    const host = startPeer(NS_A, 'publish', 'Encrypted review', '4323', fp);
    await host.waitFor((l) => typeof l.ready === 'string', 20_000, 'publisher ready');
    const seen = await browser.waitFor(sessionsAfter(browser, (s) => s.some((x) => x.name === 'Encrypted review')), 20_000, 'the TLS session to appear');
    expect((seen.sessions as LanSession[]).find((x) => x.name === 'Encrypted review')).toEqual({ id: expect.stringMatching(/^parley-/), name: 'Encrypted review', host: 'Ana', url: `https://${ADDR_A}:4323`, needsCode: true, protocol: 1, fingerprint: fp });
    host.proc.kill('SIGTERM');
    await host.waitFor((l) => l.stopped === true, 10_000, 'publisher goodbye');
  }, 90_000);
});

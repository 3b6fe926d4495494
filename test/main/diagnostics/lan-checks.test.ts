/**
 * The desktop's LAN checks with real mDNS (bonjour-service on the loopback interface, as the desktop
 * harness runs it, so nothing multicasts on this machine's network), a real hosted relay, and this
 * machine's real network interfaces: a LAN session hosted here is found and its port answers; another
 * host's advertisement makes multicast look fine both ways; without a session the port is not checked;
 * a hosted port that nothing listens on fails.
 */
import { createServer } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { LAN_CHECKS, type CheckResult, type HostedSession, type LanCheckId } from '../../../protocol/index';
import { createBonjour } from '../../../main/discovery/bonjour-adapter';
import { createDiscovery, type Discovery } from '../../../main/discovery/discovery';
import { runLanChecks } from '../../../main/diagnostics/lan-checks';
import { createHostService, type HostService } from '../../../main/host/host-service';
import { lanAddresses } from '../../../main/host/network';
import { createRelay, newJoinCode } from '../../../server/index';
import { identity } from '../../helpers/tls';

const LOOPBACK = '127.0.0.1';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function discovery(): Discovery {
  const d = createDiscovery({ bonjour: createBonjour({ onError: () => undefined, interface: LOOPBACK }), onChange: () => undefined });
  d.start();
  cleanups.push(() => d.stop());
  return d;
}

function host(advertiser: Discovery): HostService {
  // As the app hosts: over TLS (discovery lists no session that needs a code without a certificate).
  const h = createHostService({ createRelay: (o) => createRelay({ ...o, shutdownGraceMs: 10 }), newJoinCode, networkInterfaces, hostname, nickname: () => 'Ana', advertiser, identity: () => identity('lan-checks') });
  cleanups.push(() => h.stop());
  return h;
}

const check = (hosted: () => HostedSession | null, own?: string) =>
  runLanChecks({ bonjour: (onError) => createBonjour({ onError, interface: LOOPBACK }), networkInterfaces, hosted, ...(own ? { ownServiceName: own } : {}), mdnsInterface: LOOPBACK });

const byId = (results: CheckResult<LanCheckId>[]) => Object.fromEntries(results.map((r) => [r.id, r])) as Record<LanCheckId, CheckResult<LanCheckId>>;
const hasLan = lanAddresses(networkInterfaces()).length > 0;

describe('runLanChecks', () => {
  it.runIf(hasLan)('hosting on the LAN: the session is found, the probe heard back, the port answers on every LAN address', async () => {
    const ana = discovery();
    const session = await host(ana).start({ name: 'Friday review', lan: true });
    const results = await check(() => session, ana.serviceName);
    expect(results.map((r) => r.id)).toEqual([...LAN_CHECKS]);
    const c = byId(results);
    expect(c['mdns-browse']).toMatchObject({ status: 'ok', detail: 'Found 1 Parley session: Friday review (this computer).' });
    expect(c['mdns-advertise']).toMatchObject({ status: 'ok', detail: expect.stringMatching(/heard back in \d+ ms/) });
    expect(c.interfaces).toMatchObject({ status: 'ok', detail: expect.stringContaining(`listens on every interface (0.0.0.0), port ${session.port}. mDNS uses 127.0.0.1 only`) });
    for (const address of lanAddresses(networkInterfaces())) expect(c['host-port'].detail).toContain(address);
    expect(c['host-port'].status).toBe('ok');
    // Nobody else hosts: only this computer's own announcements were heard.
    expect(c.multicast).toMatchObject({ status: 'warn', hint: expect.stringMatching(/client isolation.*#multicast$/s) });
  });

  it("another host's session: multicast works both ways; not hosting, the port is not checked", async () => {
    const ben = discovery();
    ben.advertise({ name: "Ben's session", host: 'Ben', port: 4999, needsCode: true, fingerprint: 'be'.repeat(32) });
    const c = byId(await check(() => null));
    expect(c['mdns-browse']).toMatchObject({ status: 'ok', detail: "Found 1 Parley session: Ben's session." });
    expect(c.multicast.status).toBe('ok');
    expect(c['host-port']).toMatchObject({ status: 'skip', detail: expect.stringMatching(/^Not hosting a session/) });
    expect(c.interfaces.detail).toContain('Not hosting a session.');
  });

  it.runIf(hasLan)('a hosted port nothing listens on fails, with the firewall hint', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const gone: HostedSession = { name: 'Gone', localUrl: `http://127.0.0.1:${port}`, lanUrls: lanAddresses(networkInterfaces()).map((a) => `http://${a}:${port}`), joinCode: 'ABCDEF', port, fingerprint: null };
    const c = byId(await check(() => gone));
    expect(c['host-port']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/does not answer on .*ECONNREFUSED/), hint: expect.stringMatching(/firewall.*#host-port$/s) });
    expect(JSON.stringify(c)).not.toContain('ABCDEF');
  });
});

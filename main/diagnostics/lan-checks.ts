/**
 * The LAN checks of the desktop host (issue 25): can this computer find sessions on the network
 * (mDNS browse) and be found (mDNS advertise: a short-lived probe record, looked for through a
 * browser), its network interfaces and what the hosted session binds, whether the hosted session's
 * port answers on this computer's own LAN addresses (a firewall that blocks incoming connections),
 * and what the two mDNS results together say about multicast.
 *
 * The probe is published under its own service type (PROBE_TYPE), never Parley's session type, so no
 * Parley on the network ever lists it as a session; it says goodbye as soon as the checks end. mDNS
 * answers come when they come: the checks listen for up to `listenMs`, less when everything they
 * wait for has been heard.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { troubleshootingAnchor, type CheckResult, type CheckStatus, type HostedSession, type LanCheckId } from '../../protocol/index';
import type { BonjourLike } from '../discovery/discovery';
import { sessionFromService, SERVICE_TYPE, type DiscoveredService } from '../discovery/txt';
import { lanAddresses, type InterfaceMap } from '../host/network';

export const PROBE_TYPE = 'parley-doctor';
const LISTEN_MS = 3000;
const CONNECT_TIMEOUT_MS = 3000;

export interface LanCheckDeps {
  /** A fresh mDNS instance for this run (destroyed at the end); socket errors go to `onError`. */
  bonjour: (onError: (err: Error) => void) => BonjourLike;
  networkInterfaces: () => InterfaceMap;
  hosted: () => HostedSession | null;
  /** The service name this app advertises its own session under (discovery.serviceName). */
  ownServiceName?: string;
  /** The one interface mDNS is told to use (PARLEY_MDNS_INTERFACE), if any. */
  mdnsInterface?: string | undefined;
  listenMs?: number;
}

type Result = CheckResult<LanCheckId>;

const result = (id: LanCheckId, status: CheckStatus, detail: string, advice?: string, ms?: number): Result => ({
  id,
  status,
  detail,
  ...(advice ? { hint: `${advice} See ${troubleshootingAnchor(id)}` } : {}),
  ...(ms === undefined ? {} : { ms: Math.round(ms) }),
});

/** Every LAN check, in LAN_CHECKS order. */
export async function runLanChecks(deps: LanCheckDeps): Promise<Result[]> {
  const hosted = deps.hosted();
  const addresses = lanAddresses(deps.networkInterfaces());
  const [mdns, port] = await Promise.all([listen(deps, hosted), checkHostPort(hosted, addresses)]);
  return [browseResult(mdns, hosted), advertiseResult(mdns), interfacesResult(deps, hosted, addresses), port, multicastResult(mdns)];
}

interface Heard {
  /** Sessions found (name → is it this app's own advertisement). */
  sessions: Map<string, { name: string; own: boolean }>;
  /** ms from publishing the probe until a browser reported it, or null when it never came. */
  probeMs: number | null;
  errors: string[];
  ms: number;
}

async function listen(deps: LanCheckDeps, hosted: HostedSession | null): Promise<Heard> {
  const started = performance.now();
  const errors: string[] = [];
  const sessions = new Map<string, { name: string; own: boolean }>();
  let probeMs: number | null = null;
  const probeName = `parley-doctor-${randomBytes(4).toString('hex')}`;
  const ownLan = hosted !== null && hosted.lanUrls.length > 0;
  let bonjour: BonjourLike | null = null;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  // Everything awaited was heard: the probe, and this app's own session when it hosts one on the LAN.
  const complete = () => probeMs !== null && (!ownLan || [...sessions.values()].some((s) => s.own)) && sessions.size > (ownLan ? 1 : 0);
  try {
    bonjour = deps.bonjour((err) => errors.push((err as NodeJS.ErrnoException).code ?? err.message));
    const browser = bonjour.find({ type: SERVICE_TYPE });
    const prober = bonjour.find({ type: PROBE_TYPE });
    browser.on('up', (service: DiscoveredService) => {
      const session = sessionFromService(service);
      if (!session) return;
      sessions.set(session.id, { name: session.name, own: session.id === deps.ownServiceName });
      if (complete()) finish();
    });
    const publishedAt = performance.now();
    prober.on('up', (service: DiscoveredService) => {
      if (service.name !== probeName || probeMs !== null) return;
      probeMs = performance.now() - publishedAt;
      if (complete()) finish();
    });
    const probe = bonjour.publish({ name: probeName, type: PROBE_TYPE, port: hosted?.port ?? 9, txt: {}, disableIPv6: true });
    const timer = setTimeout(finish, deps.listenMs ?? LISTEN_MS);
    await done;
    clearTimeout(timer);
    browser.stop();
    prober.stop();
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000);
      probe.stop(() => {
        clearTimeout(t);
        resolve();
      });
    });
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
  } finally {
    await bonjour?.destroy().catch(() => undefined);
  }
  return { sessions, probeMs, errors, ms: performance.now() - started };
}

function browseResult(heard: Heard, hosted: HostedSession | null): Result {
  const names = [...heard.sessions.values()].map((s) => (s.own ? `${s.name} (this computer)` : s.name));
  if (heard.errors.length > 0 && heard.sessions.size === 0) {
    return result('mdns-browse', 'fail', `mDNS could not run on this computer: ${heard.errors[0]}.`, 'Another program may hold UDP port 5353 for itself, or a security tool blocks it; restart Parley after closing it.', heard.ms);
  }
  if (names.length > 0) return result('mdns-browse', 'ok', `Found ${names.length} Parley session${names.length > 1 ? 's' : ''}: ${names.join(', ')}.`, undefined, heard.ms);
  if (hosted && hosted.lanUrls.length > 0) {
    return result('mdns-browse', 'warn', 'No Parley session answered, not even the one this computer hosts.', 'Multicast does not come back to this computer: check the firewall for UDP port 5353.', heard.ms);
  }
  return result(
    'mdns-browse',
    'warn',
    'No Parley session answered on this network.',
    'If someone is hosting, ask them for the address their host panel shows and type it in; discovery needs multicast between your computers.',
    heard.ms,
  );
}

function advertiseResult(heard: Heard): Result {
  if (heard.probeMs !== null) return result('mdns-advertise', 'ok', `A probe announcement was published and heard back in ${Math.round(heard.probeMs)} ms.`, undefined, heard.ms);
  const why = heard.errors[0] ? `: ${heard.errors[0]}` : '';
  return result(
    'mdns-advertise',
    'fail',
    `A probe announcement was published but not heard back within ${Math.round(heard.ms / 100) / 10} s${why}.`,
    'Others will not find sessions hosted here by name; they can still join by address. Allow UDP port 5353 in the firewall.',
    heard.ms,
  );
}

function multicastResult(heard: Heard): Result {
  const others = [...heard.sessions.values()].filter((s) => !s.own).length;
  const self = heard.probeMs !== null;
  if (heard.errors.length > 0 && !self && others === 0) {
    return result('multicast', 'fail', `mDNS failed: ${heard.errors.join(', ')}.`, 'Check that a firewall or another program does not block UDP port 5353.');
  }
  if (self && others > 0) return result('multicast', 'ok', 'Multicast works: this computer hears its own announcements and those of others.');
  if (self) {
    return result(
      'multicast',
      'warn',
      'This computer hears its own announcements, but no other computer answered.',
      'If someone else is hosting on this network, multicast between computers is blocked: guest or public Wi-Fi (client isolation), a router that filters multicast, or a VPN. Join by address instead.',
    );
  }
  if (others > 0) {
    return result('multicast', 'warn', "Other computers' announcements arrive, but this computer's own do not come back.", 'Its announcements may not go out: a firewall may block outgoing UDP to port 5353, or mDNS uses another interface than the network you are on.');
  }
  return result('multicast', 'fail', "Nothing was heard on mDNS, not even this computer's own announcement.", 'Multicast looks blocked here: allow UDP port 5353 in the firewall, and check that the network interface is up.');
}

function interfacesResult(deps: LanCheckDeps, hosted: HostedSession | null, addresses: string[]): Result {
  const named: string[] = [];
  for (const [name, list] of Object.entries(deps.networkInterfaces())) {
    for (const info of list ?? []) if (!info.internal && (info.family === 'IPv4' || (info.family as unknown) === 4)) named.push(`${name} ${info.address}`);
  }
  const parts = [named.length ? `Network addresses: ${named.join(', ')}.` : 'No network address besides loopback (127.0.0.1).'];
  if (!hosted) parts.push('Not hosting a session.');
  else if (hosted.lanUrls.length === 0) parts.push(`The hosted session listens on 127.0.0.1 port ${hosted.port} only: nobody else can join.`);
  else parts.push(`The hosted session listens on every interface (0.0.0.0), port ${hosted.port}.`);
  if (deps.mdnsInterface) parts.push(`mDNS uses ${deps.mdnsInterface} only (PARLEY_MDNS_INTERFACE).`);
  const detail = parts.join(' ');
  if (addresses.length === 0) return result('interfaces', 'fail', detail, 'Connect to a network (Wi-Fi or cable): others cannot reach this computer.');
  if (addresses.every((a) => a.startsWith('169.254.'))) return result('interfaces', 'warn', detail, 'Only a self-assigned address (169.254.x.x): the network gave this computer no address. Reconnect, or check the router.');
  // By address: the session's URLs are https:// when it serves TLS (every LAN session does).
  const stale = hosted?.lanUrls.filter((u) => !addresses.includes(new URL(u).hostname)) ?? [];
  if (stale.length > 0) return result('interfaces', 'warn', `${detail} The hosted session was started on another network (${stale.join(', ')}).`, 'Stop hosting and host again to show the current addresses.');
  return result('interfaces', 'ok', detail);
}

async function checkHostPort(hosted: HostedSession | null, addresses: string[]): Promise<Result> {
  if (!hosted) return result('host-port', 'skip', 'Not hosting a session: host one to check that others can reach its port.');
  if (hosted.lanUrls.length === 0) return result('host-port', 'skip', 'The session is hosted for this computer only: there is no LAN port to check.');
  if (addresses.length === 0) return result('host-port', 'skip', 'This computer has no LAN address to try the port on.');
  const started = performance.now();
  const tries = await Promise.all(addresses.map(async (address) => ({ address, ...(await tryConnect(address, hosted.port)) })));
  const ms = performance.now() - started;
  const failed = tries.filter((t) => t.error !== undefined);
  const answered = tries.filter((t) => t.error === undefined).map((t) => `${t.address} (${Math.round(t.ms ?? 0)} ms)`);
  if (failed.length === 0) return result('host-port', 'ok', `Port ${hosted.port} answers on ${answered.join(', ')}.`, undefined, ms);
  const detail = `Port ${hosted.port} does not answer on ${failed.map((t) => `${t.address} (${t.error})`).join(', ')}${answered.length ? `; it does on ${answered.join(', ')}` : ''}.`;
  return result(
    'host-port',
    answered.length ? 'warn' : 'fail',
    detail,
    'A firewall on this computer may block incoming connections to Parley: allow it for private networks (Windows asks the first time; macOS: System Settings → Network → Firewall).',
    ms,
  );
}

function tryConnect(host: string, port: number): Promise<{ ms?: number; error?: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const end = (outcome: { ms?: number; error?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => end({ error: `no answer within ${CONNECT_TIMEOUT_MS / 1000} s` }), CONNECT_TIMEOUT_MS);
    socket.once('connect', () => end({ ms: performance.now() - started }));
    socket.once('error', (err: NodeJS.ErrnoException) => end({ error: err.code ?? err.message }));
  });
}

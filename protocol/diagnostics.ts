/**
 * The connection doctor (issue 25): one set of checks of a relay URL, run by `parley-server doctor`
 * (Node: server/doctor/), by the desktop app's main process for its window (Node, through IPC), and
 * in the web client with what a browser can do (fetch and WebSocket: no DNS, TCP or TLS details).
 * Every place reports the same shape, so a report copied from any of them reads the same.
 */

/** Checks in the order they run; a later one may be skipped when an earlier one failed. */
export const DOCTOR_CHECKS = [
  'url',
  'dns',
  'tcp',
  'tls',
  'health',
  'polling',
  'affinity',
  'websocket',
  'idle',
  'latency',
  'clock',
  'protocol',
  'join-code',
] as const;
export type DoctorCheckId = (typeof DOCTOR_CHECKS)[number];

/** LAN checks of the desktop host (main process only). */
export const LAN_CHECKS = ['mdns-browse', 'mdns-advertise', 'interfaces', 'host-port', 'multicast'] as const;
export type LanCheckId = (typeof LAN_CHECKS)[number];

/** `skip`: not run, because an earlier check failed or this place cannot run it (a browser has no DNS). */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult<Id extends string = DoctorCheckId | LanCheckId> {
  id: Id;
  status: CheckStatus;
  /** What was found, for a person: one or two sentences, never a secret (no join code, key or token). */
  detail: string;
  /** What to do about a warn or fail, ending with the troubleshooting section: docs/troubleshooting.md#<id>. */
  hint?: string;
  /** How long the check took, ms. */
  ms?: number;
}

export interface DoctorReport {
  /** The URL checked, without credentials, query or fragment. */
  url: string;
  /** ms since epoch. */
  at: number;
  /** Where the checks ran: the CLI, the desktop app's main process, or a browser. */
  from: 'cli' | 'desktop' | 'browser';
  checks: CheckResult[];
}

export interface DoctorOptions {
  /** How long to hold an idle connection (idle check); 0 skips it. Default 30 s in the CLI, 0 in the UI unless asked. */
  idleSeconds?: number;
  /** A pinned SHA-256 certificate fingerprint (hex, colons optional) the TLS check must find. */
  fingerprint?: string;
}

/** Where the troubleshooting section of a check lives, relative to the repository. */
export const troubleshootingAnchor = (id: DoctorCheckId | LanCheckId): string => `docs/troubleshooting.md#${id}`;

/**
 * Where the project's documents are published: package.json's `homepage`. A placeholder until the
 * project has a public home (like the update feed in electron-builder.yml); the desktop app opens
 * hints there through its vetted external-link path.
 */
export const DOCS_HOME = 'https://example.invalid/parley/';

/** The troubleshooting section of a check as a web address under DOCS_HOME. */
export const troubleshootingUrl = (id: DoctorCheckId | LanCheckId): string => `${DOCS_HOME}${troubleshootingAnchor(id)}`;

/**
 * The desktop's notification self-test (IPC `notify:test`). Electron can say whether this system has
 * notifications at all (Notification.isSupported()), not whether the OS lets Parley show them (a
 * muted app, do-not-disturb): that is what the person is asked ("Did you see it?").
 */
export interface NotificationTestResult {
  /** Names this test; `notify:test-clicked` carries it back when the notification is clicked. */
  id: string;
  /** Electron's Notification.isSupported(). */
  supported: boolean;
  /** Whether a notification was handed to the OS (false when unsupported). */
  shown: boolean;
}

/** The test notification `id` was clicked, and the click reached the app. */
export interface NotificationTestClick {
  id: string;
}

/** What a check found, before its id and timing are added (both doctors build results from these). */
export interface Outcome {
  status: CheckStatus;
  detail: string;
  hint?: string;
}

export const ok = (detail: string): Outcome => ({ status: 'ok', detail });
export const skip = (detail: string): Outcome => ({ status: 'skip', detail });

/** A warn or fail: the hint is what to do, ending with the check's troubleshooting section. */
export function problem(id: DoctorCheckId, status: 'warn' | 'fail', detail: string, advice: string): Outcome {
  return { status, detail, hint: `${advice.trimEnd()} See ${troubleshootingAnchor(id)}` };
}

/** The url check's verdict on a parsed address whose scheme is not a relay's (ws://, ftp://…), or undefined. */
export function schemeProblem(u: URL): Outcome | undefined {
  if (u.protocol === 'ws:' || u.protocol === 'wss:') {
    const http = u.protocol === 'ws:' ? 'http' : 'https';
    return problem('url', 'fail', `${u.protocol}// is a WebSocket address; a relay's address is its ${http}:// URL.`, `Use ${http}://${u.host}: the app upgrades to WebSocket by itself.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return problem('url', 'fail', `${u.protocol.replace(/:$/, '')} is not a relay's scheme: only http:// and https:// are.`, 'Use the http:// or https:// address of the relay.');
  }
  return undefined;
}

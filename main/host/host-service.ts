/**
 * Hosting a chat session on this computer: one embedded relay at a time. Each session name has its
 * own history database (sessionDataDir), so hosting the same session again resumes its history. LAN mode binds
 * every interface, requires a join code and is advertised on the LAN; loopback mode binds 127.0.0.1
 * only and needs no code (nobody else can reach it). The desktop window connects to the loopback URL
 * either way, from app://parley, an origin the relay accepts. A LAN session also serves the web
 * client, so someone without the app can join from a browser (with the code).
 */
import { createHash } from 'node:crypto';
import type { HostedSession, HostOptions } from '../../protocol/index';
import { allowedHostNames, lanUrls, type InterfaceMap } from './network';

/** What the host service needs of a relay (server/index.ts Relay satisfies it). */
export interface RelayHandle {
  readonly port: number | undefined;
  close(): Promise<void>;
}

/** What createRelay is given; a subset of server/options.ts RelayOptions. */
export interface HostRelayOptions {
  port: number;
  host: string;
  joinCode?: string;
  allowedHosts: string[];
  /** Page origins accepted besides app://parley (a development renderer's dev server). */
  allowedOrigins: string[];
  /** The built web client, so browsers on the LAN can join too (they still need the join code). */
  staticDir: string | null;
  /** The session's history database (server/stores/durable); absent: history in memory only. */
  dataDir?: string;
  /** LAN hosting serves HTTPS/WSS with the host's own certificate. */
  tls?: { cert: string; key: string };
}

export interface Advertisement {
  name: string;
  host: string;
  port: number;
  needsCode: boolean;
  /** The certificate's SHA-256 (64 hex digits), so joiners know what to expect and prove the code against. */
  fingerprint?: string;
}

/** Discovery's publishing side (main/discovery). */
export interface Advertiser {
  advertise(ad: Advertisement): void;
  withdraw(): Promise<void>;
}

export interface HostDeps {
  createRelay: (options: HostRelayOptions) => Promise<RelayHandle>;
  newJoinCode: () => string;
  networkInterfaces: () => InterfaceMap;
  hostname: () => string;
  /** The host's nickname for the advertisement. */
  nickname: () => string;
  advertiser?: Advertiser;
  /** Folder of the built renderer, served to LAN browsers as the web client. */
  webClientDir?: string;
  /** Origins the relay accepts besides app://parley and its own web client (see HostRelayOptions.allowedOrigins). */
  extraOrigins?: string[];
  /** The folder of a session's history database, from its name (same name, same history). */
  sessionDataDir?: (sessionName: string) => string;
  /**
   * This computer's certificate for LAN hosting (server/tls/certificate.ts, kept in the user-data
   * folder); `rotate` replaces it. Without it, LAN sessions are served over plain HTTP.
   */
  identity?: (rotate?: boolean) => Promise<{ cert: string; key: string; fingerprint: string }>;
  log?: (msg: string, detail?: object) => void;
}

export type HostErrorCode = 'ALREADY_HOSTING' | 'PORT_IN_USE' | 'PORT_FORBIDDEN' | 'HOST_FAILED';

export class HostError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

export interface HostService {
  start(options: HostOptions): Promise<HostedSession>;
  stop(): Promise<void>;
  current(): HostedSession | null;
  /**
   * A new certificate for the next LAN session, its fingerprint answered. Refused while hosting: the
   * people in the session pinned the current one.
   */
  rotateCertificate(): Promise<{ fingerprint: string }>;
}

export function createHostService(deps: HostDeps): HostService {
  let session: HostedSession | null = null;
  let relay: RelayHandle | null = null;
  // Start and stop run one at a time, so a double click cannot start two relays.
  let busy: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = busy.then(fn, fn);
    busy = run.catch(() => undefined);
    return run;
  };

  const stopNow = async () => {
    const running = relay;
    relay = null;
    session = null;
    if (!running) return;
    await deps.advertiser?.withdraw().catch(() => undefined);
    await running.close();
    deps.log?.('hosting stopped');
  };

  return {
    start: (options) =>
      serial(async () => {
        if (session) throw new HostError('ALREADY_HOSTING', `Already hosting "${session.name}". Stop it first.`);
        const joinCode = options.lan ? deps.newJoinCode() : null;
        const interfaces = deps.networkInterfaces();
        let handle: RelayHandle;
        let tls: { cert: string; key: string; fingerprint: string } | undefined;
        try {
          // Only on the LAN: loopback traffic never leaves this computer, so there is nobody to hide it from.
          tls = options.lan ? await deps.identity?.() : undefined;
        } catch (err) {
          throw new HostError('HOST_FAILED', `This computer's certificate could not be made or read: ${err instanceof Error ? err.message : String(err)}`);
        }
        try {
          handle = await deps.createRelay({
            port: options.port ?? 0,
            host: options.lan ? '0.0.0.0' : '127.0.0.1',
            ...(joinCode ? { joinCode } : {}),
            allowedHosts: options.lan ? allowedHostNames(interfaces, deps.hostname()) : [],
            allowedOrigins: deps.extraOrigins ?? [],
            staticDir: options.lan ? (deps.webClientDir ?? null) : null,
            ...(deps.sessionDataDir ? { dataDir: deps.sessionDataDir(options.name) } : {}),
            ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
          });
        } catch (err) {
          throw toHostError(err, options.port);
        }
        const port = handle.port;
        if (port === undefined) {
          await handle.close();
          throw new HostError('HOST_FAILED', 'The relay did not report a TCP port.');
        }
        relay = handle;
        const scheme = tls ? 'https' : 'http';
        session = {
          name: options.name,
          localUrl: `${scheme}://127.0.0.1:${port}`,
          lanUrls: options.lan ? lanUrls(interfaces, port, scheme) : [],
          joinCode,
          port,
          fingerprint: tls?.fingerprint ?? null,
        };
        if (options.lan) {
          try {
            deps.advertiser?.advertise({ name: options.name, host: deps.nickname(), port, needsCode: true, ...(tls ? { fingerprint: tls.fingerprint } : {}) });
          } catch (err) {
            // Hosting works without mDNS (others can type the address); a failed advertisement must not kill it.
            deps.log?.('could not advertise the session', { err: err instanceof Error ? err.message : String(err) });
          }
        }
        deps.log?.('hosting started', { port, lan: options.lan });
        return { ...session, lanUrls: [...session.lanUrls] };
      }),
    stop: () => serial(stopNow),
    rotateCertificate: () =>
      serial(async () => {
        if (session) throw new HostError('ALREADY_HOSTING', `"${session.name}" is being hosted with the current certificate. Stop it first.`);
        if (!deps.identity) throw new HostError('HOST_FAILED', 'This build hosts without TLS: there is no certificate to rotate.');
        const made = await deps.identity(true);
        deps.log?.('certificate rotated', { fingerprint: made.fingerprint });
        return { fingerprint: made.fingerprint };
      }),
    current: () => (session ? { ...session, lanUrls: [...session.lanUrls] } : null),
  };
}

function toHostError(err: unknown, port: number | undefined): HostError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new HostError('PORT_IN_USE', `Port ${port} is already in use. Pick another port or leave it empty.`);
  if (code === 'EACCES') return new HostError('PORT_FORBIDDEN', `Port ${port} needs administrator rights. Pick a port above 1024.`);
  // The session's database says what is wrong with it (locked by another Parley, damaged) and what to do.
  if ((err as Error | undefined)?.name === 'DatabaseOpenError') return new HostError('HOST_FAILED', `The session's history could not be opened: ${(err as Error).message}`);
  return new HostError('HOST_FAILED', `The session could not be started: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * A session's folder name: readable (a slug of its name) and unique (a hash of the exact name), so
 * two names that slug alike still get their own history, and no name can reach outside the folder.
 */
export function sessionFolder(name: string): string {
  const slug = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32);
  return `${slug || 'session'}-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

/**
 * The contract between the desktop main process and the renderer: what the preload script exposes as
 * `window.parley` (through contextBridge: DesktopBridge), what the renderer's code calls (DesktopApi,
 * from renderer/platform/desktop.ts), their payload types, and which IPC channel of the registry
 * (ipc.ts) carries each operation. The renderer treats the whole API as optional, because the same UI
 * also runs as a plain web client.
 */
import type { IpcChannelName, IpcErrorCode, IpcEventChannel, IpcEventMethod, IpcFailure, IpcInvokeChannel, IpcInvokeMethod, IpcSendChannel, IpcSendMethod } from './ipc';

// The registry and the channel names live in ipc.ts; re-exported so `protocol/index` carries them.
export * from './ipc';

/** A chat session found on the LAN by mDNS/DNS-SD. */
export interface LanSession {
  /** Stable id of the advertisement (service name). */
  id: string;
  /** Session name chosen by the host. */
  name: string;
  /** Host's nickname, if it shared one. */
  host: string;
  /** `https://address:port` (or `http://` for a host that serves no TLS) to connect to. */
  url: string;
  /** Whether the host requires a join code. */
  needsCode: boolean;
  protocol: number;
  /**
   * SHA-256 of the host's certificate as advertised (64 hex digits), when it serves TLS. Anyone on the
   * LAN can advertise, so this is a claim until the join code proves it (protocol/pairing.ts).
   */
  fingerprint?: string;
}

export interface SavedServer {
  name: string;
  url: string;
  /** Notifications for messages from this server; absent means on (main drops them when false). */
  notifications?: boolean;
}

export type ThemePreference = 'system' | 'light' | 'dark';

/** The languages Parley's UI speaks (renderer/i18n, main/i18n); the settings store only these. */
export const UI_LANGUAGES = ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export interface DesktopSettings {
  nickname: string;
  savedServers: SavedServer[];
  lastServer: string | null;
  theme: ThemePreference;
  /** Native notifications at all; saved servers can turn theirs off one by one (SavedServer). */
  notifications: boolean;
  /** Whether notifications make the OS's sound (true by default). */
  notificationSound: boolean;
  /** Automatic update checks (false by default: a LAN-only install must never reach out). */
  updates: boolean;
  /** Start Parley when the user logs in (false by default; see DesktopCapabilities.startAtLogin). */
  startAtLogin: boolean;
  /** The language chosen in settings, for the main process's tray and notices too; null: the OS's. */
  language: UiLanguage | null;
}

/**
 * What this OS and build can do, so the settings screen offers only switches that have an effect.
 * Fixed for the app's lifetime.
 */
export interface DesktopCapabilities {
  /** Start at login can be applied: macOS and Windows (Electron's login items), not Linux. */
  startAtLogin: boolean;
  /** Update checks exist in this build: a packaged app with an update feed, not forced off by PARLEY_UPDATES=0. */
  updates: boolean;
}

export interface HostOptions {
  /** Session name shown to others on the LAN. */
  name: string;
  /** Bind to the LAN (needs a join code) rather than only this computer. */
  lan: boolean;
  /** Fixed port, or 0 / undefined for any free port. */
  port?: number;
}

export interface HostedSession {
  name: string;
  /** URL this computer's window connects to (loopback). */
  localUrl: string;
  /** URLs others on the LAN can use, one per LAN address. */
  lanUrls: string[];
  /** Join code (LAN hosting only). */
  joinCode: string | null;
  port: number;
  /** SHA-256 of the certificate the session is served with (LAN hosting: always TLS); null on loopback. */
  fingerprint: string | null;
}

/**
 * How proving a join code to a LAN host over TLS went (protocol/pairing.ts), done by the main process
 * so that the window's TLS stack never meets a certificate the code has not proved (Electron caches
 * its verdicts: docs/lan-tls.md). On success the certificate is pinned and `auth` goes in the handshake.
 */
export type LanPairResult =
  | { ok: true; auth: { joinTicket: string; joinTag: string } }
  /** The host's answer did not prove the code for this certificate: a wrong code, or not the host. */
  | { ok: false; reason: 'WRONG_CODE_OR_HOST' }
  /** This origin is pinned to another certificate than the one offered: the user must choose (pair again with `replace`). */
  | { ok: false; reason: 'CERTIFICATE_CHANGED'; pinned: string; offered: string }
  /** The address showed another certificate than the one expected: nothing was sent. */
  | { ok: false; reason: 'CERTIFICATE_MISMATCH'; expected: string; presented: string }
  /** No TLS connection, or the host refused the start (`status`: 429 when locked out). */
  | { ok: false; reason: 'UNREACHABLE' | 'REFUSED'; status?: number };

export interface PinnedHost {
  /** `https://host`: a pin is per host (its computer's certificate), whatever the port. */
  origin: string;
  fingerprint: string;
  pinnedAt: number;
}

/** A connection to a pinned (or expected) LAN host refused because it showed another certificate. */
export interface TlsRefusal {
  hostname: string;
  /** The certificate shown (64 hex digits; empty if it could not be read). */
  presented: string;
  /** What the app expected there. */
  expected: string[];
  /** Chromium's own verdict on the certificate, for the record. */
  chromiumVerdict: string;
}

/** A validated `parley://join?...` link. */
export interface JoinLink {
  url: string;
  room?: string;
  code?: string;
  /** The host certificate's SHA-256 (`fp=`): with it an https:// LAN session is trusted and its code proved. */
  fingerprint?: string;
}

export interface DesktopNotice {
  level: 'info' | 'warning' | 'error';
  message: string;
}

/** What powerMonitor reported: back from sleep, or the screen unlocked (a sleep may have come with the lock). */
export interface SystemResume {
  cause: 'resume' | 'unlock-screen';
}

export interface ChatNotification {
  title: string;
  body: string;
  room: string;
  /** The http(s) origin of the chat server the message came from. */
  server: string;
}

/** Where a clicked notification leads: this server's window content, in this room. */
export interface FocusTarget {
  /** The server's http(s) origin, as the page gave it in its ChatNotification. */
  server: string;
  room: string;
}

/**
 * The channel behind each `window.parley` operation. DesktopApi below takes each method's signature
 * from the registry (ipc.ts) through this table, and main's IpcServices (main/ipc/handlers.ts) its
 * services: an invoke channel becomes a method returning a Promise, a send channel one returning
 * nothing, an event channel a subscription that returns its unsubscribe function.
 */
export interface DesktopApiChannels {
  getSettings: 'settings:get';
  updateSettings: 'settings:update';
  /** What this OS and build support (start at login, update checks); fixed while the app runs. */
  getCapabilities: 'app:capabilities';
  listLanSessions: 'lan:list';
  /** Calls back with the full list whenever it changes; returns an unsubscribe function. */
  onLanSessions: 'lan:changed';
  hostSession: 'relay:host';
  stopHosting: 'relay:stop';
  getHostedSession: 'relay:get';
  notify: 'app:notify';
  setUnreadCount: 'app:unread';
  /** Opens an http(s) link in the system browser; false when refused. */
  openExternal: 'app:open-external';
  /** A notification was clicked: open its server and room. */
  onFocusRoom: 'app:focus-room';
  onJoinLink: 'app:join-link';
  onNotice: 'app:notice';
  /** The computer woke from sleep or was unlocked; calls back each time. */
  onSystemResume: 'power:resumed';
  /** The connection doctor on a relay URL, from the main process (DNS, TCP and TLS included). */
  runDoctor: 'doctor:run';
  /** Each check of a running doctor as it finishes. */
  onDoctorProgress: 'doctor:progress';
  /** The host's LAN checks (host panel: "Check the network"). */
  checkLan: 'doctor:lan';
  /** A new certificate for the next hosted LAN session (refused while hosting). */
  rotateCertificate: 'relay:rotate-certificate';
  /** Proves a join code to a LAN host over TLS from the main process, and pins its certificate when it works. */
  pairWithLanHost: 'tls:pair';
  forgetCertificate: 'tls:forget';
  listPinnedCertificates: 'tls:pins';
  /** A pinned or expected LAN host showed another certificate and was refused. */
  onCertificateRefused: 'tls:refused';
  /** The notification self-test. */
  testNotification: 'notify:test';
  onNotificationTestClick: 'notify:test-clicked';
}

type Operation<C extends IpcChannelName> = C extends IpcInvokeChannel
  ? IpcInvokeMethod<C>
  : C extends IpcSendChannel
    ? IpcSendMethod<C>
    : C extends IpcEventChannel
      ? IpcEventMethod<C>
      : never;

/** The operations of a method → channel table; the constraint refuses a channel the registry lacks. */
export type DesktopOperations<T extends { [M in keyof T]: IpcChannelName } = DesktopApiChannels> = { [M in keyof T]: Operation<T[M]> };

/**
 * What the renderer's code calls (renderer/platform/desktop.ts `desktop()`): a failed invoke rejects
 * with a DesktopApiError (renderer/platform/desktop-api.ts) whose `code` is one of DesktopApiErrorCode.
 */
export interface DesktopApi extends DesktopOperations {
  readonly platform: string;
  readonly appVersion: string;
}

/**
 * What the preload exposes as `window.parley` (main/preload/api.ts): the same operations, except that a
 * failed invoke rejects with its DesktopBridgeFailure, plain data, and never with an Error. Electron's
 * contextBridge re-creates an Error that crosses it from its message alone, so a `code` on an Error
 * would never reach the page; plain objects are copied whole. The renderer adapts this object into the
 * DesktopApi (renderer/platform/desktop-api.ts) and nothing else reads it.
 */
export type DesktopBridge = DesktopApi;

/** The operations that answer, and so can fail with a code. */
export type DesktopInvokeOperation = { [M in keyof DesktopApiChannels]: DesktopApiChannels[M] extends IpcInvokeChannel ? M : never }[keyof DesktopApiChannels];

/**
 * The codes a failed call of operation `M` rejects with (the renderer's DesktopApiError `code`);
 * without `M`, those of any operation.
 */
export type DesktopApiErrorCode<M extends DesktopInvokeOperation = DesktopInvokeOperation> = IpcErrorCode<Extract<DesktopApiChannels[M], IpcInvokeChannel>>;

/** What a DesktopBridge invoke of operation `M` rejects with: the registry's failure envelope, as data. */
export type DesktopBridgeFailure<M extends DesktopInvokeOperation = DesktopInvokeOperation> = IpcFailure<DesktopApiErrorCode<M>>;

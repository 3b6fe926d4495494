/**
 * The contract between the desktop main process and the renderer: what the preload script exposes as
 * `window.parley` (through contextBridge) and the IPC channels behind it. The renderer treats the
 * whole API as optional, because the same UI also runs as a plain web client.
 */

/** A chat session found on the LAN by mDNS/DNS-SD. */
export interface LanSession {
  /** Stable id of the advertisement (service name). */
  id: string;
  /** Session name chosen by the host. */
  name: string;
  /** Host's nickname, if it shared one. */
  host: string;
  /** `http://address:port` to connect to. */
  url: string;
  /** Whether the host requires a join code. */
  needsCode: boolean;
  protocol: number;
}

export interface SavedServer {
  name: string;
  url: string;
}

export type ThemePreference = 'system' | 'light' | 'dark';

export interface DesktopSettings {
  nickname: string;
  savedServers: SavedServer[];
  lastServer: string | null;
  lastRoom: string;
  theme: ThemePreference;
  notifications: boolean;
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
}

/** A validated `parley://join?...` link. */
export interface JoinLink {
  url: string;
  room?: string;
  code?: string;
}

export interface DesktopNotice {
  level: 'info' | 'warning' | 'error';
  message: string;
}

export interface ChatNotification {
  title: string;
  body: string;
  room: string;
}

export interface DesktopApi {
  readonly platform: string;
  readonly appVersion: string;
  getSettings(): Promise<DesktopSettings>;
  updateSettings(patch: Partial<DesktopSettings>): Promise<DesktopSettings>;
  listLanSessions(): Promise<LanSession[]>;
  /** Calls back with the full list whenever it changes; returns an unsubscribe function. */
  onLanSessions(callback: (sessions: LanSession[]) => void): () => void;
  hostSession(options: HostOptions): Promise<HostedSession>;
  stopHosting(): Promise<void>;
  getHostedSession(): Promise<HostedSession | null>;
  notify(notification: ChatNotification): void;
  setUnreadCount(count: number): void;
  /** Opens an http(s) link in the system browser; false when refused. */
  openExternal(url: string): Promise<boolean>;
  /** A notification for `room` was clicked. */
  onFocusRoom(callback: (room: string) => void): () => void;
  onJoinLink(callback: (link: JoinLink) => void): () => void;
  onNotice(callback: (notice: DesktopNotice) => void): () => void;
}

/** IPC channel names, `domain:verb`. invoke = request/response; send = fire and forget; event = main → renderer. */
export const IpcChannel = {
  settingsGet: 'settings:get',
  settingsUpdate: 'settings:update',
  lanList: 'lan:list',
  lanChanged: 'lan:changed',
  relayHost: 'relay:host',
  relayStop: 'relay:stop',
  relayGet: 'relay:get',
  notify: 'app:notify',
  unread: 'app:unread',
  openExternal: 'app:open-external',
  focusRoom: 'app:focus-room',
  joinLink: 'app:join-link',
  notice: 'app:notice',
} as const;

export type IpcChannel = (typeof IpcChannel)[keyof typeof IpcChannel];

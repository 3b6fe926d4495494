/**
 * Builds the `window.parley` object from an ipcRenderer-like transport. Kept free of Electron
 * imports so it runs under Vitest; main/preload/index.ts passes the real ipcRenderer and exposes the
 * result with contextBridge. One method per DesktopApi operation, each on its own fixed channel: the
 * page never gets ipcRenderer, a channel name, or the IPC event object.
 *
 * This file is bundled into the sandboxed preload, which can only require('electron'): it must import
 * nothing at run time except protocol/desktop-api.ts (no zod, no Node modules).
 */
import { IpcChannel, type ChatNotification, type DesktopApi, type DesktopNotice, type DesktopSettings, type HostedSession, type HostOptions, type JoinLink, type LanSession } from '../../protocol/desktop-api';
import type { IpcResult } from '../ipc/result';
import { APP_VERSION_SWITCH } from '../security/window-options';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface PreloadInfo {
  platform: string;
  appVersion: string;
}

/** An error the renderer can branch on: `code` is one of main/ipc/result.ts DesktopErrorCode. */
export class DesktopApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DesktopApiError';
  }
}

/** Events the page may miss while it is still loading (a deep link at launch, a settings notice): kept until someone listens. */
const BUFFERED = new Set<string>([IpcChannel.joinLink, IpcChannel.notice, IpcChannel.focusRoom]);
const BUFFER_MAX = 20;

export function createDesktopApi(ipc: IpcRendererLike, info: PreloadInfo): DesktopApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<string, unknown[]>();

  // One ipcRenderer listener per channel for the page's lifetime; page callbacks live in a Set, so
  // unsubscribing is exact and nothing accumulates on ipcRenderer.
  for (const channel of [IpcChannel.lanChanged, IpcChannel.focusRoom, IpcChannel.joinLink, IpcChannel.notice]) {
    listeners.set(channel, new Set());
    ipc.on(channel, (_event, payload) => {
      const set = listeners.get(channel);
      if (set && set.size > 0) {
        for (const callback of [...set]) safely(callback, payload);
      } else if (BUFFERED.has(channel)) {
        const queue = pending.get(channel) ?? [];
        if (queue.length < BUFFER_MAX) queue.push(payload);
        pending.set(channel, queue);
      }
    });
  }

  const subscribe = <T>(channel: string, callback: (payload: T) => void): (() => void) => {
    if (typeof callback !== 'function') throw new TypeError('callback must be a function');
    const wrapped = (payload: unknown) => callback(payload as T);
    listeners.get(channel)?.add(wrapped);
    const queued = pending.get(channel);
    if (queued) {
      pending.delete(channel);
      for (const payload of queued) safely(wrapped, payload);
    }
    return () => {
      listeners.get(channel)?.delete(wrapped);
    };
  };

  const call = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
    const result = (await ipc.invoke(channel, ...args)) as IpcResult<T> | undefined;
    if (result && result.ok === true) return result.value;
    if (result && result.ok === false) throw new DesktopApiError(result.code, result.message);
    throw new DesktopApiError('INTERNAL', 'The desktop app gave no answer.');
  };

  return {
    platform: info.platform,
    appVersion: info.appVersion,
    getSettings: () => call<DesktopSettings>(IpcChannel.settingsGet),
    updateSettings: (patch: Partial<DesktopSettings>) => call<DesktopSettings>(IpcChannel.settingsUpdate, patch),
    listLanSessions: () => call<LanSession[]>(IpcChannel.lanList),
    onLanSessions: (callback: (sessions: LanSession[]) => void) => subscribe(IpcChannel.lanChanged, callback),
    hostSession: (options: HostOptions) => call<HostedSession>(IpcChannel.relayHost, options),
    stopHosting: () => call<void>(IpcChannel.relayStop),
    getHostedSession: () => call<HostedSession | null>(IpcChannel.relayGet),
    notify: (notification: ChatNotification) => ipc.send(IpcChannel.notify, notification),
    setUnreadCount: (count: number) => ipc.send(IpcChannel.unread, count),
    openExternal: (url: string) => call<boolean>(IpcChannel.openExternal, url),
    onFocusRoom: (callback: (room: string) => void) => subscribe(IpcChannel.focusRoom, callback),
    onJoinLink: (callback: (link: JoinLink) => void) => subscribe(IpcChannel.joinLink, callback),
    onNotice: (callback: (notice: DesktopNotice) => void) => subscribe(IpcChannel.notice, callback),
  };
}

/** The app version the main process passes as an additional argument (see security/window-options.ts). */
export function appVersionFromArgv(argv: readonly string[]): string {
  const arg = argv.find((a) => a.startsWith(APP_VERSION_SWITCH));
  const version = arg?.slice(APP_VERSION_SWITCH.length) ?? '';
  return /^[0-9A-Za-z.+-]{1,64}$/.test(version) ? version : '0.0.0';
}

// A throwing page callback must not stop the others or surface in the preload's world.
function safely(callback: (payload: unknown) => void, payload: unknown): void {
  try {
    callback(payload);
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}

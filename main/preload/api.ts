/**
 * Builds the `window.parley` object from an ipcRenderer-like transport. Kept free of Electron
 * imports so it runs under Vitest; main/preload/index.ts passes the real ipcRenderer and exposes the
 * result with contextBridge. One method per DesktopApi operation, each on its own fixed channel: the
 * page never gets ipcRenderer, a channel name, or the IPC event object.
 *
 * Every channel, argument and result type comes from the registry (protocol/ipc.ts), through DesktopApi.
 *
 * A failed invoke rejects with the registry's failure envelope `{ ok: false, code, message }` as plain
 * data, never with an Error: contextBridge re-creates an Error from its message alone, so its code
 * would not reach the page, while plain objects cross whole (DesktopBridge in protocol/desktop-api.ts).
 * The renderer turns that data into its DesktopApiError (renderer/platform/desktop-api.ts).
 *
 * This file is bundled into the sandboxed preload, which can only require('electron'): it must import
 * nothing at run time except protocol/desktop-api.ts (no zod, no Node modules).
 */
import { IpcChannel, type DesktopBridge, type IpcArgs, type IpcErrorCode, type IpcEventChannel, type IpcFailure, type IpcInvokeChannel, type IpcPayload, type IpcResult, type IpcSendChannel, type IpcValue } from '../../protocol/desktop-api';
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

/**
 * Every main → renderer channel, and whether its events are kept until someone listens: the page may
 * miss them while it is still loading (a deep link at launch, a settings notice). A LAN list is not
 * kept: it would be stale, and a page that shows the list asks for the current one (listLanSessions).
 */
const BUFFERED: Record<IpcEventChannel, boolean> = {
  [IpcChannel.lanChanged]: false,
  [IpcChannel.focusRoom]: true,
  [IpcChannel.joinLink]: true,
  [IpcChannel.notice]: true,
  // A wake before the page listens needs no replay: a page that is just starting connects afresh.
  [IpcChannel.powerResumed]: false,
  // Progress and test clicks belong to a screen that is listening while they happen.
  [IpcChannel.doctorProgress]: false,
  [IpcChannel.notifyTestClicked]: false,
  // A refusal concerns a connection the page is making now; an old one would only alarm.
  [IpcChannel.tlsRefused]: false,
};
const BUFFER_MAX = 20;

export function createDesktopApi(ipc: IpcRendererLike, info: PreloadInfo): DesktopBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<string, unknown[]>();

  // One ipcRenderer listener per channel for the page's lifetime; page callbacks live in a Set, so
  // unsubscribing is exact and nothing accumulates on ipcRenderer.
  // BUFFERED is typed by the registry, so its keys are exactly the event channels.
  for (const channel of Object.keys(BUFFERED) as IpcEventChannel[]) {
    listeners.set(channel, new Set());
    ipc.on(channel, (_event, payload) => {
      const set = listeners.get(channel);
      if (set && set.size > 0) {
        for (const callback of [...set]) safely(callback, payload);
      } else if (BUFFERED[channel]) {
        const queue = pending.get(channel) ?? [];
        if (queue.length < BUFFER_MAX) queue.push(payload);
        pending.set(channel, queue);
      }
    });
  }

  const subscribe = <C extends IpcEventChannel>(channel: C, callback: (payload: IpcPayload<C>) => void): (() => void) => {
    if (typeof callback !== 'function') throw new TypeError('callback must be a function');
    // Main posts only registry payloads (main/shell/renderer-channel.ts is typed by the same entry).
    const wrapped = (payload: unknown) => callback(payload as IpcPayload<C>);
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

  const call = async <C extends IpcInvokeChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcValue<C>> => {
    // Main answers every invoke with an IpcResult of the registry's types (main/ipc/handlers.ts). Only
    // the envelope is checked: the preload cannot carry zod, and main ships in the same app as this file.
    let result: IpcResult<C> | undefined;
    try {
      result = (await ipc.invoke(channel, ...args)) as IpcResult<C> | undefined;
    } catch (err) {
      // No handler, or main threw past its own catch-all: Electron's text, as INTERNAL.
      throw failure('INTERNAL', err instanceof Error ? err.message : 'The desktop app did not answer.');
    }
    if (result && result.ok === true) return result.value;
    if (result && result.ok === false) throw failure(result.code, result.message);
    throw failure('INTERNAL', 'The desktop app gave no answer.');
  };

  const send = <C extends IpcSendChannel>(channel: C, ...args: IpcArgs<C>): void => ipc.send(channel, ...args);

  // One method per operation, each passing exactly its declared arguments: anything more the page
  // adds never reaches main.
  return {
    platform: info.platform,
    appVersion: info.appVersion,
    getSettings: () => call(IpcChannel.settingsGet),
    updateSettings: (patch) => call(IpcChannel.settingsUpdate, patch),
    getCapabilities: () => call(IpcChannel.capabilities),
    listLanSessions: () => call(IpcChannel.lanList),
    onLanSessions: (callback) => subscribe(IpcChannel.lanChanged, callback),
    hostSession: (options) => call(IpcChannel.relayHost, options),
    stopHosting: () => call(IpcChannel.relayStop),
    getHostedSession: () => call(IpcChannel.relayGet),
    notify: (notification) => send(IpcChannel.notify, notification),
    setUnreadCount: (count) => send(IpcChannel.unread, count),
    openExternal: (url) => call(IpcChannel.openExternal, url),
    onFocusRoom: (callback) => subscribe(IpcChannel.focusRoom, callback),
    onJoinLink: (callback) => subscribe(IpcChannel.joinLink, callback),
    onNotice: (callback) => subscribe(IpcChannel.notice, callback),
    onSystemResume: (callback) => subscribe(IpcChannel.powerResumed, callback),
    runDoctor: (url, options) => call(IpcChannel.doctorRun, url, options),
    onDoctorProgress: (callback) => subscribe(IpcChannel.doctorProgress, callback),
    checkLan: () => call(IpcChannel.doctorLan),
    testNotification: () => call(IpcChannel.notifyTest),
    onNotificationTestClick: (callback) => subscribe(IpcChannel.notifyTestClicked, callback),
    rotateCertificate: () => call(IpcChannel.relayRotateCertificate),
    pairWithLanHost: (origin, code, fingerprint, options) => call(IpcChannel.tlsPair, origin, code, fingerprint, options),
    forgetCertificate: (origin) => call(IpcChannel.tlsForget, origin),
    listPinnedCertificates: () => call(IpcChannel.tlsPins),
    onCertificateRefused: (callback) => subscribe(IpcChannel.tlsRefused, callback),
  };
}

/** The app version the main process passes as an additional argument (see security/window-options.ts). */
export function appVersionFromArgv(argv: readonly string[]): string {
  const arg = argv.find((a) => a.startsWith(APP_VERSION_SWITCH));
  const version = arg?.slice(APP_VERSION_SWITCH.length) ?? '';
  return /^[0-9A-Za-z.+-]{1,64}$/.test(version) ? version : '0.0.0';
}

/**
 * What a failed invoke rejects with: a fresh object of the envelope's three fields (whatever else main
 * put on it stays here), deliberately not an Error (see the top of this file).
 */
function failure<Code extends IpcErrorCode>(code: Code, message: string): IpcFailure<Code> {
  return { ok: false, code, message: String(message) };
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

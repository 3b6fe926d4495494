/**
 * The desktop IPC registry: every channel between the renderer (through the preload) and the main
 * process, written once with its arguments, result and error codes, as socket.io's event maps do for
 * the relay. The preload (main/preload/api.ts), the handlers and their services (main/ipc/handlers.ts),
 * the argument schemas (main/ipc/schemas.ts), the main → renderer posts (main/shell/renderer-channel.ts)
 * and the renderer's DesktopApi (desktop-api.ts) all take their types from here, so a channel, an
 * argument, a result or an error code they disagree on fails to compile
 * (test/main/ipc/contract.types.test.ts shows each case).
 *
 * Types only, apart from the channel names: the zod schemas of the arguments live in main/ipc/schemas.ts,
 * because they are main's business and must stay out of the renderer and preload bundles.
 */
import type { ChatNotification, DesktopCapabilities, DesktopNotice, DesktopSettings, FocusTarget, HostedSession, HostOptions, JoinLink, LanPairResult, LanSession, PinnedHost, SystemResume, TlsRefusal } from './desktop-api';
import type { CheckResult, DoctorOptions, DoctorReport, LanCheckId, NotificationTestClick, NotificationTestResult } from './diagnostics';

/** Codes every invoke channel can fail with: the sender check, the argument schema, and the catch-all. */
export type IpcCommonErrorCode = 'FORBIDDEN_SENDER' | 'INVALID_ARGUMENT' | 'INTERNAL';

/** Why a session could not be hosted (main/host's HostError). */
export type HostingErrorCode = 'ALREADY_HOSTING' | 'PORT_IN_USE' | 'PORT_FORBIDDEN' | 'HOST_FAILED';

/** Pins are for https:// LAN addresses only (private, loopback, link-local, `.local`), and real fingerprints. */
export type PinErrorCode = 'NOT_LAN';

/** The connection doctor runs one check at a time per app: its progress events would mix otherwise. */
export type DoctorErrorCode = 'DOCTOR_BUSY';

/**
 * Renderer → main, answered: ipcRenderer.invoke ↔ ipcMain.handle. `args` is the argument list;
 * `errors` the codes this channel adds to IpcCommonErrorCode (main must say how each arises).
 */
export interface IpcInvokeMap {
  /** The settings the renderer may see (never window bounds). */
  'settings:get': { args: []; result: DesktopSettings; errors: never };
  /** Saves the given fields and applies them (start at login, update checks); answers with all settings. */
  'settings:update': { args: [patch: Partial<DesktopSettings>]; result: DesktopSettings; errors: never };
  /** What this OS and build support; the same answer for the app's lifetime. */
  'app:capabilities': { args: []; result: DesktopCapabilities; errors: never };
  /** Sessions currently advertised on the LAN. */
  'lan:list': { args: []; result: LanSession[]; errors: never };
  /** Starts the embedded relay. */
  'relay:host': { args: [options: HostOptions]; result: HostedSession; errors: HostingErrorCode };
  'relay:stop': { args: []; result: void; errors: never };
  /** The hosted session, or null when not hosting. */
  'relay:get': { args: []; result: HostedSession | null; errors: never };
  /** Replaces this computer's certificate for LAN hosting; refused (ALREADY_HOSTING) while a session runs. */
  'relay:rotate-certificate': { args: []; result: { fingerprint: string }; errors: HostingErrorCode };
  /**
   * Proves `code` to the LAN host at `origin`, whose certificate must be `fingerprint` (checked on the
   * connection itself); pins it when the proof works. `replace`: the user chose to trust a certificate
   * that differs from the pinned one (CERTIFICATE_CHANGED before).
   */
  'tls:pair': { args: [origin: string, code: string, fingerprint: string, options: { replace?: boolean }]; result: LanPairResult; errors: PinErrorCode };
  'tls:forget': { args: [origin: string]; result: void; errors: never };
  'tls:pins': { args: []; result: PinnedHost[]; errors: never };
  /** Opens an http(s) link in the system browser; false when refused. */
  'app:open-external': { args: [url: string]; result: boolean; errors: never };
  /**
   * The connection doctor (server/doctor's runDoctor, from 'desktop') on a relay URL; each check is
   * also posted as `doctor:progress` when it finishes, so the screen fills in while it runs.
   */
  'doctor:run': { args: [url: string, options: DoctorOptions]; result: DoctorReport; errors: DoctorErrorCode };
  /** The LAN checks of this computer: mDNS both ways, interfaces, the hosted session's port, multicast. */
  'doctor:lan': { args: []; result: CheckResult<LanCheckId>[]; errors: DoctorErrorCode };
  /** Shows a test notification the way message notifications are shown; a click comes back as `notify:test-clicked`. */
  'notify:test': { args: []; result: NotificationTestResult; errors: never };
}

/** Renderer → main, fire and forget: ipcRenderer.send ↔ ipcMain.on. Main drops (and logs) invalid ones. */
export interface IpcSendMap {
  /** A native notification for a message (shown only when the window is not focused). */
  'app:notify': { args: [notification: ChatNotification] };
  /** Total unread count, for the tray. */
  'app:unread': { args: [count: number] };
}

/** Main → renderer: webContents.send ↔ ipcRenderer.on, one payload each. */
export interface IpcEventMap {
  /** The full list of LAN sessions, whenever it changes. */
  'lan:changed': { payload: LanSession[] };
  /** A notification was clicked: the server and room it came from. */
  'app:focus-room': { payload: FocusTarget };
  /** A validated parley:// link (from the command line, a second instance or macOS open-url). */
  'app:join-link': { payload: JoinLink };
  'app:notice': { payload: DesktopNotice };
  /**
   * The computer woke from sleep or was unlocked (Electron's powerMonitor): the page's connection may
   * have died meanwhile without a word, so it checks it now rather than at the next heartbeat.
   */
  'power:resumed': { payload: SystemResume };
  /** One check of the `doctor:run` in progress has finished. */
  'doctor:progress': { payload: CheckResult };
  /** The test notification of `notify:test` was clicked. */
  'notify:test-clicked': { payload: NotificationTestClick };
  /** A pinned or expected LAN host showed another certificate; the connection was refused. */
  'tls:refused': { payload: TlsRefusal };
}

export type IpcInvokeChannel = keyof IpcInvokeMap;
export type IpcSendChannel = keyof IpcSendMap;
export type IpcEventChannel = keyof IpcEventMap;
/** Renderer → main channels; their arguments are validated in main. */
export type IpcRequestChannel = IpcInvokeChannel | IpcSendChannel;
export type IpcChannelName = IpcRequestChannel | IpcEventChannel;

/** The argument list of a renderer → main channel. */
export type IpcArgs<C extends IpcRequestChannel> = (IpcInvokeMap & IpcSendMap)[C]['args'];
/** What an invoke channel answers with when it succeeds. */
export type IpcValue<C extends IpcInvokeChannel> = IpcInvokeMap[C]['result'];
/** The codes a failed invoke of `C` can carry; without `C`, those of any channel. */
export type IpcErrorCode<C extends IpcInvokeChannel = IpcInvokeChannel> = IpcCommonErrorCode | IpcInvokeMap[C]['errors'];
/** What a main → renderer event carries. */
export type IpcPayload<C extends IpcEventChannel> = IpcEventMap[C]['payload'];

/** A failed invoke, as data on the wire (see main/ipc/result.ts for why errors are not thrown across). */
export interface IpcFailure<Code extends IpcErrorCode = IpcErrorCode> {
  ok: false;
  code: Code;
  message: string;
}

/** What an invoke handler sends back for channel `C`: its value, or one of its error codes. */
export type IpcResult<C extends IpcInvokeChannel> = { ok: true; value: IpcValue<C> } | IpcFailure<IpcErrorCode<C>>;

/** How each operation looks to its caller: invoke → a Promise, send → nothing, event → a subscription. */
export type IpcInvokeMethod<C extends IpcInvokeChannel> = (...args: IpcArgs<C>) => Promise<IpcValue<C>>;
export type IpcSendMethod<C extends IpcSendChannel> = (...args: IpcArgs<C>) => void;
/** Calls back with each payload; returns an unsubscribe function. */
export type IpcEventMethod<C extends IpcEventChannel> = (callback: (payload: IpcPayload<C>) => void) => () => void;

/** IPC channel names, `domain:verb`, for code that needs them at run time. */
export const IpcChannel = {
  settingsGet: 'settings:get',
  settingsUpdate: 'settings:update',
  capabilities: 'app:capabilities',
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
  powerResumed: 'power:resumed',
  doctorRun: 'doctor:run',
  doctorLan: 'doctor:lan',
  doctorProgress: 'doctor:progress',
  notifyTest: 'notify:test',
  notifyTestClicked: 'notify:test-clicked',
  relayRotateCertificate: 'relay:rotate-certificate',
  tlsPair: 'tls:pair',
  tlsForget: 'tls:forget',
  tlsPins: 'tls:pins',
  tlsRefused: 'tls:refused',
} as const satisfies Record<string, IpcChannelName>;

export type IpcChannel = (typeof IpcChannel)[keyof typeof IpcChannel];

// `satisfies` above refuses a name the registry lacks; these refuse a registry channel without a name,
// and a channel in two directions at once (the preload and main would each pick a different one).
type Holds<T extends true> = T;
type _EveryChannelNamed = Holds<[IpcChannelName] extends [IpcChannel] ? true : false>;
type _DirectionsDisjoint = Holds<[(IpcInvokeChannel & IpcSendChannel) | (IpcRequestChannel & IpcEventChannel)] extends [never] ? true : false>;

/**
 * The renderer's side of the desktop bridge: turns the preload's `window.parley` (DesktopBridge, whose
 * failed invokes reject with the registry's failure envelope as plain data) into the DesktopApi the UI
 * calls, whose failed invokes reject with a DesktopApiError carrying the typed code.
 *
 * The error is created here, in the page's world, because Electron's contextBridge re-creates an Error
 * that crosses it from its message alone: an error class of the preload would arrive without its code.
 * Plain objects cross whole, so the preload sends the code as data (main/preload/api.ts).
 *
 * No DOM here (desktop.ts reads `window`), so the Node-side tests can run the preload and this adapter
 * through a stand-in for the bridge (test/main/preload).
 */
import type { DesktopApi, DesktopApiErrorCode, DesktopBridge, DesktopInvokeOperation } from '../../protocol/index';

/**
 * A failed desktop call the renderer can branch on: `code` is one the registry declares for
 * `operation` (DesktopApiErrorCode). Narrow with isDesktopApiError(err, 'hostSession').
 */
export class DesktopApiError<M extends DesktopInvokeOperation = DesktopInvokeOperation> extends Error {
  constructor(
    readonly operation: M,
    readonly code: DesktopApiErrorCode<M>,
    message: string,
  ) {
    super(message);
    this.name = 'DesktopApiError';
  }
}

/** Whether `err` is a failed desktop call (of `operation`, when given); narrows `code` to its codes. */
export function isDesktopApiError<M extends DesktopInvokeOperation = DesktopInvokeOperation>(err: unknown, operation?: M): err is DesktopApiError<M> {
  return err instanceof DesktopApiError && (operation === undefined || err.operation === operation);
}

export function adaptDesktopBridge(bridge: DesktopBridge): DesktopApi {
  const invoke = <M extends DesktopInvokeOperation>(operation: M): DesktopApi[M] => {
    const method = bridge[operation] as (...args: unknown[]) => Promise<unknown>;
    // async: the bridge is still called synchronously (IPC order is kept), and a synchronous throw
    // rejects like a failed call.
    const adapted = async (...args: unknown[]) => {
      try {
        return await method(...args);
      } catch (reason) {
        throw toDesktopApiError(operation, reason);
      }
    };
    return adapted as DesktopApi[M];
  };

  // Typed by the registry: every operation that answers must be adapted here, and only those.
  const invokes: { [M in DesktopInvokeOperation]: DesktopApi[M] } = {
    getSettings: invoke('getSettings'),
    updateSettings: invoke('updateSettings'),
    getCapabilities: invoke('getCapabilities'),
    listLanSessions: invoke('listLanSessions'),
    hostSession: invoke('hostSession'),
    stopHosting: invoke('stopHosting'),
    getHostedSession: invoke('getHostedSession'),
    openExternal: invoke('openExternal'),
    runDoctor: invoke('runDoctor'),
    checkLan: invoke('checkLan'),
    testNotification: invoke('testNotification'),
    rotateCertificate: invoke('rotateCertificate'),
    pairWithLanHost: invoke('pairWithLanHost'),
    forgetCertificate: invoke('forgetCertificate'),
    listPinnedCertificates: invoke('listPinnedCertificates'),
  };

  // Sends and subscriptions cannot fail with a code: passed through as they are.
  return {
    platform: bridge.platform,
    appVersion: bridge.appVersion,
    ...invokes,
    onLanSessions: bridge.onLanSessions,
    notify: bridge.notify,
    setUnreadCount: bridge.setUnreadCount,
    onFocusRoom: bridge.onFocusRoom,
    onJoinLink: bridge.onJoinLink,
    onNotice: bridge.onNotice,
    onCertificateRefused: bridge.onCertificateRefused,
    onSystemResume: bridge.onSystemResume,
    onDoctorProgress: bridge.onDoctorProgress,
    onNotificationTestClick: bridge.onNotificationTestClick,
  };
}

function toDesktopApiError<M extends DesktopInvokeOperation>(operation: M, reason: unknown): DesktopApiError<M> {
  // The preload's envelope. Its code is not checked against the registry at run time: main, the
  // preload and this file ship together and take their types from it (as the preload trusts main).
  if (isFailureData(reason)) return new DesktopApiError(operation, reason.code as DesktopApiErrorCode<M>, reason.message);
  // Anything else did not come from main's answer (an Error the bridge reduced to its message).
  const message = reason instanceof Error ? reason.message : String(reason);
  return new DesktopApiError(operation, 'INTERNAL', message || 'The desktop app failed.');
}

function isFailureData(value: unknown): value is { ok: false; code: string; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.ok === false && typeof v.code === 'string' && typeof v.message === 'string';
}

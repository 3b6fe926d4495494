/**
 * The desktop's diagnostics wired to Electron and the app: the connection doctor (server/doctor, run
 * from 'desktop'), the LAN checks (a fresh mDNS instance on the same interface discovery uses), and
 * the notification self-test (Electron's Notification, through main/notifications.ts's rules).
 */
import { networkInterfaces } from 'node:os';
import { IpcChannel, type CheckResult, type DoctorOptions, type DoctorReport, type HostedSession, type LanCheckId, type NotificationTestResult } from '../../protocol/index';
import { runDoctor } from '../../server/doctor/index';
import { createDoctorService } from '../diagnostics/doctor-service';
import { runLanChecks } from '../diagnostics/lan-checks';
import { createBonjour } from '../discovery/bonjour-adapter';
import type { Translate } from '../i18n/index';
import type { NotificationPrefs } from '../notifications';
import type { ElectronMain } from './electron-api';
import { createTestNotifier } from './notifier';
import type { RendererChannel } from './renderer-channel';

export interface DiagnosticsDeps {
  Notification: ElectronMain['Notification'];
  channel: RendererChannel;
  prefs: () => NotificationPrefs;
  t: () => Translate;
  hosted: () => HostedSession | null;
  /** The service name this app advertises its session under, so the LAN checks can tell it from others'. */
  ownServiceName: string;
  mdnsInterface: string | undefined;
  /** A test notification was clicked: bring the window forward. */
  showWindow: () => void;
  /** The certificate this app trusts at a LAN https origin (its hosted session's, or a pin), for the doctor's TLS check. */
  trustedFingerprint?: (url: string) => string | undefined;
  log: (msg: string, detail?: object) => void;
}

export interface DiagnosticsServices {
  runDoctor: (url: string, options: DoctorOptions) => Promise<DoctorReport>;
  checkLan: () => Promise<CheckResult<LanCheckId>[]>;
  testNotification: () => NotificationTestResult;
}

export function createDiagnostics(deps: DiagnosticsDeps): DiagnosticsServices {
  const doctor = createDoctorService({
    runDoctor,
    runLanChecks: () =>
      runLanChecks({
        bonjour: (onError) => createBonjour({ onError, interface: deps.mdnsInterface }),
        networkInterfaces,
        hosted: deps.hosted,
        ownServiceName: deps.ownServiceName,
        mdnsInterface: deps.mdnsInterface,
      }),
    onProgress: (check) => deps.channel.post(IpcChannel.doctorProgress, check),
    log: deps.log,
  });
  const testNotification = createTestNotifier(deps.Notification, {
    prefs: deps.prefs,
    text: () => ({ title: deps.t()('notifyTest.title'), body: deps.t()('notifyTest.body') }),
    onClick: (id) => {
      // The page hears of the click before the window comes forward, as for a message's notification.
      deps.channel.post(IpcChannel.notifyTestClicked, { id });
      deps.showWindow();
    },
  });
  return {
    // A LAN host's certificate is self-signed: the doctor checks it against what the app trusts there, as the window's connection does.
    runDoctor: (url, options) => {
      const pinned = options.fingerprint === undefined ? deps.trustedFingerprint?.(url) : undefined;
      return doctor.run(url, pinned ? { ...options, fingerprint: pinned } : options);
    },
    checkLan: () => doctor.lan(),
    testNotification,
  };
}

/**
 * Parley Desktop's main process: wires the plain modules of main/ to Electron's objects and does
 * nothing else. Order matters: the app:// scheme and the single-instance lock come before `ready`.
 * Electron and the process come in as arguments (electron-api.ts), so the desktop test harness runs
 * this very code with stand-ins for Electron's objects.
 */
import { hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { IpcChannel, type DesktopNotice, type LanSession, type SystemResume } from '../../protocol/index';
import { createLogger, createRelay, newJoinCode } from '../../server/index';
import { APP_ENTRY_URL, devServerOrigin, type RendererOrigins } from '../app-origin';
import { desktopCapabilities } from '../capabilities';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, parseDeepLink, type DeepLinkResult } from '../deep-link';
import { createBonjour } from '../discovery/bonjour-adapter';
import { createDiscovery } from '../discovery/discovery';
import { createHostService, sessionFolder } from '../host/host-service';
import { registerIpcHandlers } from '../ipc/handlers';
import { createLoginItem } from '../login-item';
import { createTranslator, type Translate } from '../i18n/index';
import { createExternalOpener } from '../security/external';
import { createSettingsStore } from '../settings/store';
import { boundsToSave } from '../window-state';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import type { DesktopProcess, ElectronMain } from './electron-api';
import { hardenSession, hardenWebContents } from './hardening';
import { createDiagnostics } from './diagnostics';
import { wireCertificates } from './certificates';
import { createNotifier } from './notifier';
import { PRELOAD_PATH, RENDERER_DIR } from './paths';
import { createRendererChannel } from './renderer-channel';
import { createTray, type TrayController } from './tray';
import { createUpdater } from './updater';
import { createMainWindow, focusWindow } from './window';

type Window = InstanceType<ElectronMain['BrowserWindow']>;

const QUIT_TIMEOUT_MS = 3000;

export function startDesktop(electron: ElectronMain, proc: DesktopProcess): void {
  const { app } = electron;
  const logger = createLogger((proc.env.LOG_LEVEL as 'info' | undefined) ?? 'info', 'parley-desktop');
  // Tests and portable setups may point the profile elsewhere; it must happen before the instance
  // lock, which is per profile.
  if (proc.env.PARLEY_USER_DATA_DIR) app.setPath('userData', proc.env.PARLEY_USER_DATA_DIR);
  registerAppScheme(electron.protocol);

  if (!app.requestSingleInstanceLock()) {
    // Another Parley is running: it gets our argv (and any parley:// link) in 'second-instance'.
    app.quit();
    return;
  }
  void run(electron, proc, logger).catch((err: unknown) => {
    logger.fatal({ err }, 'start-up failed');
    app.exit(1);
  });
}

async function run(electron: ElectronMain, proc: DesktopProcess, logger: ReturnType<typeof createLogger>): Promise<void> {
  const { app, BrowserWindow, ipcMain, session, shell } = electron;
  const log = (msg: string, detail?: object) => logger.info(detail ?? {}, msg);
  const origins: RendererOrigins = { devServer: app.isPackaged ? null : devServerOrigin(proc.env.PARLEY_DEV_SERVER_URL) };
  const channel = createRendererChannel();
  const notice = (n: DesktopNotice) => {
    logger.warn({ notice: n }, 'notice');
    channel.post(IpcChannel.notice, n);
  };
  const openExternal = createExternalOpener((url) => shell.openExternal(url), log);
  const hardening = { origins, openExternal, log };
  let win: Window | null = null;
  // The OS's language is known once the app is ready; a link on macOS can come before that.
  let t: Translate = createTranslator('en');

  const deliverLink = (result: DeepLinkResult | null) => {
    if (!result) return;
    if (result.ok) channel.post(IpcChannel.joinLink, result.link);
    else notice({ level: 'warning', message: t('links.ignored', { reason: result.reason }) });
  };

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, hardening));
  app.on('second-instance', (_event, argv) => {
    focusWindow(win);
    deliverLink(deepLinkFromArgv(argv));
  });
  // macOS delivers links as an event, possibly before `ready`.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    focusWindow(win);
    deliverLink(parseDeepLink(url));
  });
  registerProtocolClient(app, proc);

  await app.whenReady();
  t = createTranslator(app.getLocale());
  handleAppProtocol(electron.protocol, RENDERER_DIR);
  hardenSession(session.defaultSession, hardening);

  const settings = createSettingsStore({ dir: app.getPath('userData'), onNotice: notice, t });
  await settings.load();
  // The language chosen on the settings screen, else the OS's (the file's own notices above were
  // told before it could be read, in the OS's).
  const speak = () => createTranslator(settings.get().language ?? app.getLocale());
  t = speak();

  const discovery = createDiscovery({
    bonjour: createBonjour({ onError: (err) => logger.warn({ err: err.message }, 'mDNS error'), interface: proc.env.PARLEY_MDNS_INTERFACE }),
    onChange: (sessions: LanSession[]) => channel.post(IpcChannel.lanChanged, sessions),
    log,
  });
  discovery.start();

  let tray: TrayController | null = null;
  const certificates = wireCertificates(electron, settings, channel, log);
  const host = createHostService({
    createRelay: (options) => createRelay({ ...options, logger: logger.child({ module: 'relay' }) }),
    newJoinCode,
    networkInterfaces,
    hostname,
    nickname: () => settings.get().nickname,
    advertiser: discovery,
    webClientDir: RENDERER_DIR,
    // A renderer from a dev server has that server's origin, not app://parley: the embedded relay
    // must accept it too, or the window could not join its own session.
    extraOrigins: origins.devServer ? [origins.devServer] : [],
    sessionDataDir: (name) => join(app.getPath('userData'), 'sessions', sessionFolder(name)),
    identity: certificates.identity(app.getPath('userData')),
    log,
  });

  const showWindow = () => {
    if (!win || win.isDestroyed()) win = openWindow();
    focusWindow(win);
  };
  const openWindow = () => {
    const w = createMainWindow(electron, {
      preloadPath: PRELOAD_PATH,
      url: origins.devServer ?? APP_ENTRY_URL,
      appVersion: app.getVersion(),
      devTools: !app.isPackaged,
      savedBounds: settings.get().window ?? undefined,
      onSaveBounds: (bounds) => void settings.update({ window: bounds }),
    });
    channel.attach(w);
    w.on('closed', () => {
      if (win === w) win = null;
    });
    return w;
  };

  const notify = createNotifier(electron.Notification, {
    prefs: () => settings.get(),
    windowFocused: () => win?.isFocused() ?? false,
    onClick: (target) => {
      // The page hears where to go before the window gains focus: focus marks the conversation on
      // screen as read, and that must be the clicked one, not whatever server was showing before.
      channel.post(IpcChannel.focusRoom, target);
      showWindow();
    },
  });

  const diagnostics = createDiagnostics({
    Notification: electron.Notification,
    channel,
    prefs: () => settings.get(),
    t: () => t,
    hosted: () => host.current(),
    ownServiceName: discovery.serviceName,
    mdnsInterface: proc.env.PARLEY_MDNS_INTERFACE,
    showWindow,
    trustedFingerprint: (url) => certificates.trusted(url, host.current()),
    log,
  });

  // Settings that act outside the window, applied now and after every change the renderer makes.
  const updates = createUpdater(app, proc, log);
  const loginItem = createLoginItem({
    platform: proc.platform,
    getLoginItemSettings: (options) => app.getLoginItemSettings(options),
    setLoginItemSettings: (options) => app.setLoginItemSettings(options),
    launch: loginLaunch(app, proc),
    log,
  });
  const capabilities = desktopCapabilities(proc.platform, updates.available);
  const applySettings = () => {
    const current = settings.get();
    loginItem.apply(current.startAtLogin);
    updates.apply(current.updates);
  };

  registerIpcHandlers({
    ipcMain,
    origins,
    log,
    services: {
      getSettings: () => settings.desktop(),
      updateSettings: async (patch) => {
        await settings.update(patch);
        applySettings();
        if (patch.language !== undefined) {
          t = speak();
          tray?.setTranslator(t);
        }
        return settings.desktop();
      },
      getCapabilities: () => ({ ...capabilities }),
      listLanSessions: () => discovery.list(),
      hostSession: async (options) => {
        const hosted = await host.start(options);
        if (hosted.fingerprint) certificates.ownSession(hosted.localUrl, hosted.fingerprint);
        tray?.setHosting(hosted.name);
        return hosted;
      },
      stopHosting: async () => {
        await host.stop();
        tray?.setHosting(null);
      },
      getHostedSession: () => host.current(),
      rotateCertificate: () => host.rotateCertificate(),
      ...certificates.services,
      notify,
      setUnreadCount: (count) => tray?.setUnread(count),
      openExternal,
      ...diagnostics,
    },
  });

  tray = createTray(
    electron,
    proc.platform,
    {
      show: showWindow,
      stopHosting: () => void host.stop().then(() => tray?.setHosting(null)),
      quit: () => app.quit(),
    },
    log,
    t,
  );

  // A sleep can kill the page's relay connection without a word; the page checks it at once on wake
  // instead of at the next heartbeat. An unlock counts too: a lock often hides a sleep, and on some
  // systems (modern standby) the network went away during a lock without any 'resume'.
  const woke = (cause: SystemResume['cause']) => () => channel.post(IpcChannel.powerResumed, { cause });
  electron.powerMonitor.on('resume', woke('resume'));
  electron.powerMonitor.on('unlock-screen', woke('unlock-screen'));

  win = openWindow();
  deliverLink(deepLinkFromArgv(proc.argv));
  applySettings();

  // Stop the relay (clients get server:shutdown), say goodbye on mDNS and flush settings before exiting.
  let cleanedUp = false;
  let cleaning = false;
  app.on('before-quit', (event) => {
    if (cleanedUp) return;
    event.preventDefault();
    if (cleaning) return;
    cleaning = true;
    // Windows close only after before-quit, too late for an async write: save the bounds now.
    const bounds = win && !win.isDestroyed() ? boundsToSave(win.getNormalBounds(), win.isMaximized()) : undefined;
    const cleanup = Promise.allSettled([host.stop(), discovery.stop(), bounds ? settings.update({ window: bounds }) : null]).then(() => settings.flush());
    const timeout = new Promise((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS));
    void Promise.race([cleanup, timeout]).finally(() => {
      cleanedUp = true;
      tray?.destroy();
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    if (proc.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) showWindow();
  });
}

/**
 * What Windows starts at login: a packaged app is its own executable (Electron's default); an
 * unpackaged checkout is Electron plus the app folder, which must be absolute since login starts it
 * from another working directory.
 */
function loginLaunch(app: ElectronMain['app'], proc: DesktopProcess): { path: string; args: string[] } | undefined {
  if (app.isPackaged || !proc.argv[1]) return undefined;
  return { path: proc.execPath, args: [resolve(proc.argv[1])] };
}

/**
 * Makes parley:// links open this app. In development (`electron .`) the OS must be told to start
 * Electron with our app folder; registering that on every dev run would rewrite the user's desktop
 * configuration, so it only happens on request (PARLEY_REGISTER_PROTOCOL=1).
 */
function registerProtocolClient(app: ElectronMain['app'], proc: DesktopProcess): void {
  if (app.isPackaged) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  } else if (proc.env.PARLEY_REGISTER_PROTOCOL === '1' && proc.argv[1]) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, proc.execPath, [proc.argv[1]]);
  }
}

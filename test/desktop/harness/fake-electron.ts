/**
 * The one adapter between the desktop app and the harness: Electron's main-process objects for one
 * desktop instance, built from fake-app, fake-window, fake-ipc and fake-os. main/shell/desktop.ts
 * receives this instead of the `electron` module and runs unchanged; nothing else of the app is
 * replaced.
 */
import type { Browser } from '@playwright/test';
import type { ElectronMain } from '../../../main/shell/electron-api';
import { FakeApp } from './fake-app';
import { FakeIpcMain } from './fake-ipc';
import { Menu, nativeImage, osObjects } from './fake-os';
import { windowClass, type FakeWebContents } from './fake-window';
import type { AppHandler, HeadersHook, RendererServer } from './renderer-server';
import { CertificateVerifier, type CertificateVerifyProc } from './cert-verifier';
import { startSessionProxy } from './session-proxy';

/** Electron permission names the app may grant, and what Playwright calls them. */
const PERMISSIONS: Record<string, string> = { notifications: 'notifications', 'clipboard-sanitized-write': 'clipboard-write' };

export interface AdapterOptions {
  browser: Browser;
  renderer: RendererServer;
  preloadSource: string;
  version: string;
  argv: readonly string[];
  platform: NodeJS.Platform;
  dark: boolean;
  /** The profile's web storage between launches (see WindowHost.webStoragePath). */
  webStoragePath: string;
}

export function createFakeElectron(options: AdapterOptions) {
  let permissionCheck: ((contents: unknown, permission: string, origin: string, details: unknown) => boolean) | null = null;
  const pageErrors: string[] = [];
  const ipcMain = new FakeIpcMain();
  const os = osObjects(options.dark);
  // The session's certificate verification and the network path that applies it to every window.
  const verifier = new CertificateVerifier();
  const network = startSessionProxy({ direct: [new URL(options.renderer.origin).host], allowsTls: (hostname, port) => verifier.allows(hostname, port) });

  // eslint-disable-next-line prefer-const -- BrowserWindow needs app, app needs the windows
  let BrowserWindow: ReturnType<typeof windowClass>;
  const app = new FakeApp(options.version, options.argv, async () => {
    await Promise.all(BrowserWindow.getAllWindows().map((w) => w.close()));
  });
  // Electron's network service goes with the app; a relaunch of the profile gets a new one.
  void app.whenQuit.then(() => network.close());
  BrowserWindow = windowClass({
    browser: options.browser,
    ipc: ipcMain,
    preloadSource: options.preloadSource,
    platform: options.platform,
    dark: options.dark,
    webStoragePath: options.webStoragePath,
    proxy: network.contextProxy,
    webContentsCreated: (contents: FakeWebContents) => app.emit('web-contents-created', {}, contents),
    grantedPermissions: (origin) => Object.entries(PERMISSIONS).filter(([electronName]) => permissionCheck?.(null, electronName, origin, {}) === true).map(([, name]) => name),
    allClosed: () => {
      if (app.quitState === 'running') app.emit('window-all-closed');
    },
    pageError: (message) => pageErrors.push(message),
  });

  const privilegedSchemes: unknown[] = [];
  const protocol = {
    registerSchemesAsPrivileged: (schemes: unknown[]) => void privilegedSchemes.push(...schemes),
    handle: (scheme: string, handler: AppHandler) => {
      if (scheme === 'app') options.renderer.useHandler(handler);
    },
  };
  const session = {
    defaultSession: {
      setPermissionRequestHandler: () => undefined,
      setPermissionCheckHandler: (fn: typeof permissionCheck) => void (permissionCheck = fn),
      setDevicePermissionHandler: () => undefined,
      /** Decides every window's TLS connections from now on; null restores Chromium's own verdict. Verdicts already cached stay (cert-verifier.ts). */
      setCertificateVerifyProc: (proc: CertificateVerifyProc | null) => verifier.setProc(proc),
      webRequest: { onHeadersReceived: (hook: HeadersHook) => options.renderer.useHeadersHook(hook) },
    },
  };

  const electron = {
    app,
    BrowserWindow,
    ipcMain,
    protocol,
    session,
    shell: os.shell,
    screen: os.screen,
    nativeTheme: os.nativeTheme,
    powerMonitor: os.powerMonitor,
    nativeImage,
    Menu,
    Tray: os.Tray,
    Notification: os.Notification,
  };
  return {
    // The stand-ins implement what Parley uses of each object, not Electron's whole API.
    electron: electron as unknown as ElectronMain,
    app,
    BrowserWindow,
    notifications: os.shown,
    trays: os.trays,
    opened: os.opened,
    powerMonitor: os.powerMonitor,
    privilegedSchemes,
    pageErrors,
    /** Electron's session.defaultSession stand-in, e.g. for a test to set a certificate verify proc the app does not set yet. */
    session: session.defaultSession,
    /** Every certificate verification the session made (cache hits make none). */
    certificateChecks: verifier.checks,
    /** What the windows' traffic through the session's proxy was (session-proxy.ts). */
    traffic: network.traffic,
  };
}

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

  // eslint-disable-next-line prefer-const -- BrowserWindow needs app, app needs the windows
  let BrowserWindow: ReturnType<typeof windowClass>;
  const app = new FakeApp(options.version, options.argv, async () => {
    await Promise.all(BrowserWindow.getAllWindows().map((w) => w.close()));
  });
  BrowserWindow = windowClass({
    browser: options.browser,
    ipc: ipcMain,
    preloadSource: options.preloadSource,
    platform: options.platform,
    dark: options.dark,
    webStoragePath: options.webStoragePath,
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
  };
}

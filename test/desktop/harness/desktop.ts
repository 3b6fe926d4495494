/**
 * One running Parley Desktop: the built main process (dist/shell/desktop.js, the same code as the
 * app's main bundle minus the line that imports Electron) started with the adapter of
 * fake-electron.ts, its own profile folder, and mDNS on the loopback interface only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, type Browser, type Page } from '@playwright/test';
import type { startDesktop as StartDesktop } from '../../../main/shell/desktop';
import { createFakeElectron } from './fake-electron';
import type { RendererServer } from './renderer-server';

const ROOT = resolve('.');
const SHELL_BUNDLE = join(ROOT, 'dist/shell/desktop.js');
const PRELOAD_BUNDLE = join(ROOT, 'dist/preload/index.cjs');

let startDesktop: typeof StartDesktop | null = null;
async function loadShell(): Promise<typeof StartDesktop> {
  startDesktop ??= ((await import(pathToFileURL(SHELL_BUNDLE).href)) as { startDesktop: typeof StartDesktop }).startDesktop;
  return startDesktop;
}

export interface LaunchOptions {
  browser: Browser;
  renderer: RendererServer;
  /** Reuse a profile folder (a relaunch); a fresh temporary one by default. */
  userData?: string;
  /** Extra command-line arguments, e.g. a parley:// link the OS passes on launch. */
  args?: string[];
  dark?: boolean;
  /**
   * The OS the app believes it runs on (process.platform in the app); 'linux' by default. 'win32'
   * turns on what Electron has only there, such as start at login (see FakeApp.loginItemCalls).
   */
  platform?: NodeJS.Platform;
}

export type Desktop = Awaited<ReturnType<typeof launchDesktop>>;

export async function launchDesktop(options: LaunchOptions) {
  const start = await loadShell();
  const userData = options.userData ?? mkdtempSync(join(tmpdir(), 'parley-desktop-'));
  const argv = ['/opt/Parley/parley', ...(options.args ?? [])];
  const platform = options.platform ?? 'linux';
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const fake = createFakeElectron({
    browser: options.browser,
    renderer: options.renderer,
    preloadSource: readFileSync(PRELOAD_BUNDLE, 'utf8'),
    version,
    argv,
    platform,
    dark: options.dark ?? false,
    webStoragePath: join(userData, 'harness-web-storage.json'),
  });
  start(fake.electron, {
    env: {
      PARLEY_USER_DATA_DIR: userData,
      PARLEY_DEV_SERVER_URL: options.renderer.origin,
      // Discovery between desktops on this machine only: never multicast on a real interface.
      PARLEY_MDNS_INTERFACE: '127.0.0.1',
      LOG_LEVEL: process.env.PARLEY_HARNESS_LOG ?? 'silent',
    },
    argv,
    platform,
    execPath: argv[0]!,
  });

  /** The main window's page once it has loaded (the app opens it at start-up). */
  const page = async (): Promise<Page> => {
    await expect.poll(() => fake.BrowserWindow.getAllWindows()[0]?.page?.url() ?? '', { timeout: 15_000 }).toContain(options.renderer.origin);
    const p = fake.BrowserWindow.getAllWindows()[0]!.page!;
    await p.waitForLoadState('load');
    return p;
  };
  const window = () => {
    const w = fake.BrowserWindow.getAllWindows()[0];
    if (!w) throw new Error('this desktop has no window');
    return w;
  };

  return {
    userData,
    settingsPath: join(userData, 'settings.json'),
    app: fake.app,
    page,
    window,
    notifications: fake.notifications,
    /** The tray icon, once the app has made it. */
    tray: () => {
      const tray = fake.trays[0];
      if (!tray) throw new Error('this desktop has no tray icon');
      return tray;
    },
    opened: fake.opened,
    /** Emit 'resume' or 'unlock-screen' on it to play the computer waking. */
    powerMonitor: fake.powerMonitor,
    pageErrors: fake.pageErrors,
    /** Electron's session.defaultSession stand-in: setCertificateVerifyProc decides the windows' TLS connections. */
    session: fake.session,
    /** Each certificate verification the session made: host, fingerprint, Chromium's verdict, the proc's answer, the decision. */
    certificateChecks: fake.certificateChecks,
    /** The windows' connections and requests through the session's proxy (session-proxy.ts). */
    traffic: fake.traffic,
    /** Quits as the tray's "Quit Parley" or Ctrl+Q would, and waits until the app has finished. */
    async quit(): Promise<void> {
      fake.app.quit();
      await fake.app.whenQuit;
    },
    /** Removes the profile folder (after quitting). */
    dispose(): void {
      rmSync(userData, { recursive: true, force: true });
    },
  };
}

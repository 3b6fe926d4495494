/**
 * The Electron objects the shell wires, passed in as one value instead of imported module by module.
 * index.ts hands over the real ones; the desktop test harness (test/desktop/harness/) hands over its
 * stand-ins, so everything else of the app runs unchanged in both. Types only: nothing here loads
 * Electron.
 */
import type * as Electron from 'electron';

export interface ElectronMain {
  app: Electron.App;
  BrowserWindow: typeof Electron.BrowserWindow;
  ipcMain: Electron.IpcMain;
  protocol: Electron.Protocol;
  session: typeof Electron.session;
  shell: Electron.Shell;
  screen: Electron.Screen;
  nativeTheme: Electron.NativeTheme;
  /** Sleep and wake, lock and unlock; usable once the app is ready. */
  powerMonitor: Electron.PowerMonitor;
  nativeImage: typeof Electron.nativeImage;
  Menu: typeof Electron.Menu;
  Tray: typeof Electron.Tray;
  Notification: typeof Electron.Notification;
}

/** What the shell reads of its process: the real `process` in the app, a per-instance value in the harness. */
export interface DesktopProcess {
  env: NodeJS.ProcessEnv;
  argv: readonly string[];
  platform: NodeJS.Platform;
  execPath: string;
  /** Electron's resources folder (where electron-builder writes app-update.yml); absent outside Electron. */
  resourcesPath?: string;
}

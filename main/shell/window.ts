/** The main window: built from security/window-options.ts, placed from saved bounds, saved on close. */
import type { BrowserWindow } from 'electron';
import type { ElectronMain } from './electron-api';
import { createSecureWindow } from '../security/window-options';
import { boundsToSave, restoreBounds, type WindowBounds } from '../window-state';

export interface MainWindowOptions {
  preloadPath: string;
  url: string;
  appVersion: string;
  devTools: boolean;
  savedBounds: WindowBounds | undefined;
  onSaveBounds: (bounds: WindowBounds) => void;
}

export function createMainWindow({ BrowserWindow, nativeTheme, screen }: Pick<ElectronMain, 'BrowserWindow' | 'nativeTheme' | 'screen'>, opts: MainWindowOptions): BrowserWindow {
  const workAreas = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea);
  const bounds = restoreBounds(opts.savedBounds, workAreas);
  const win = createSecureWindow(BrowserWindow, {
    preloadPath: opts.preloadPath,
    bounds,
    appVersion: opts.appVersion,
    devTools: opts.devTools,
    dark: nativeTheme.shouldUseDarkColors,
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const saved = boundsToSave(win.getNormalBounds(), win.isMaximized());
    if (saved) opts.onSaveBounds(saved);
  });
  void win.loadURL(opts.url);
  return win;
}

export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

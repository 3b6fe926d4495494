/** Tray icon with the unread count (tooltip, red dot), the dock/launcher badge, and a small menu. */
import type { Tray } from 'electron';
import type { ElectronMain } from './electron-api';
import type { Translate } from '../i18n/index';
import { badgeText, clampUnread, trayIconBitmap, trayTooltip } from '../tray';

export interface TrayController {
  setUnread(count: number): void;
  /** The language changed in settings: menu and tooltip in the new one. */
  setTranslator(t: Translate): void;
  setHosting(name: string | null): void;
  destroy(): void;
}

export interface TrayActions {
  show(): void;
  stopHosting(): void;
  quit(): void;
}

export function createTray(
  electron: Pick<ElectronMain, 'app' | 'Menu' | 'nativeImage' | 'Tray'>,
  platform: NodeJS.Platform,
  actions: TrayActions,
  log: (msg: string, detail?: object) => void,
  /** The menu's and tooltip's language (the OS's: main/i18n). */
  t: Translate,
): TrayController {
  const { app, Menu, nativeImage } = electron;
  let unread = 0;
  let hosting: string | null = null;
  let tray: Tray | null = null;
  const icon = (dot: boolean) => {
    const image = nativeImage.createFromBitmap(trayIconBitmap(16, dot), { width: 16, height: 16 });
    image.addRepresentation({ scaleFactor: 2, width: 32, height: 32, buffer: trayIconBitmap(32, dot) });
    return image;
  };
  try {
    tray = new electron.Tray(icon(false));
    tray.on('click', () => actions.show());
  } catch (err) {
    // Some Linux desktops have no status area; the app works without a tray.
    log('tray unavailable', { err: err instanceof Error ? err.message : String(err) });
  }

  const render = () => {
    const text = badgeText(unread);
    app.setBadgeCount(clampUnread(unread));
    if (!tray || tray.isDestroyed()) return;
    tray.setImage(icon(unread > 0));
    tray.setToolTip(trayTooltip(unread, hosting, t));
    if (platform === 'darwin') tray.setTitle(text);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: t('tray.show'), click: () => actions.show() },
        { label: hosting ? t('tray.stopHosting', { name: hosting }) : t('tray.notHosting'), enabled: hosting !== null, click: () => actions.stopHosting() },
        { type: 'separator' },
        { label: t('tray.quit'), click: () => actions.quit() },
      ]),
    );
  };
  render();

  return {
    setUnread(count) {
      unread = clampUnread(count);
      render();
    },
    setHosting(name) {
      hosting = name;
      render();
    },
    setTranslator(next) {
      t = next;
      render();
    },
    destroy() {
      tray?.destroy();
      tray = null;
    },
  };
}

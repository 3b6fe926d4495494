/** electron-updater, only when main/updater.ts says so (off by default). Loaded lazily: a LAN-only run never touches it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'electron';
import type { DesktopProcess } from './electron-api';
import { updaterConfig } from '../updater';

/** The feed electron-builder wrote into the packaged app, if any. */
function bakedFeedFile(resourcesPath: string | undefined): string | null {
  if (!resourcesPath) return null;
  try {
    return readFileSync(join(resourcesPath, 'app-update.yml'), 'utf8');
  } catch {
    return null;
  }
}

export async function startUpdater(app: App, proc: DesktopProcess, setting: boolean, log: (msg: string, detail?: object) => void): Promise<void> {
  const config = updaterConfig(proc.env, setting, app.isPackaged, app.isPackaged ? bakedFeedFile(proc.resourcesPath) : null);
  if (!config.enabled) {
    log('auto-update off', { reason: config.reason });
    return;
  }
  const { default: updater } = await import('electron-updater');
  const { autoUpdater } = updater;
  autoUpdater.autoDownload = true;
  autoUpdater.allowPrerelease = false;
  autoUpdater.setFeedURL(config.feed);
  autoUpdater.on('error', (err: Error) => log('update check failed', { err: err.message }));
  const check = () => void autoUpdater.checkForUpdatesAndNotify().catch((err: unknown) => log('update check failed', { err: String(err) }));
  check();
  setInterval(check, config.intervalMs).unref();
}

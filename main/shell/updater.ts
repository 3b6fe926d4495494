/**
 * electron-updater behind main/update-checks.ts: on only when main/updater.ts says so (off by
 * default), following the `updates` setting while the app runs. Loaded lazily, at the first switch
 * on: a LAN-only run never touches it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'electron';
import type { DesktopProcess } from './electron-api';
import { createUpdateChecks, type AutoUpdaterLike, type UpdateChecks } from '../update-checks';
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

export function createUpdater(app: Pick<App, 'isPackaged'>, proc: DesktopProcess, log: (msg: string, detail?: object) => void): UpdateChecks {
  // Read once: the build's feed does not change while the app runs.
  const baked = app.isPackaged ? bakedFeedFile(proc.resourcesPath) : null;
  return createUpdateChecks({
    config: (setting) => updaterConfig(proc.env, setting, app.isPackaged, baked),
    load: async (): Promise<AutoUpdaterLike> => (await import('electron-updater')).default.autoUpdater,
    log,
  });
}

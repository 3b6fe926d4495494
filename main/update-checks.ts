/**
 * Update checks that follow the `updates` setting while the app runs: turning it on checks at once
 * and then every interval, turning it off stops future checks. Which feed, and whether checks can
 * run at all, is updaterConfig's decision (updater.ts); electron-updater itself comes in through
 * `load`, so this runs in plain Node (main/shell/updater.ts passes the real one).
 */
import type { UpdateFeed, UpdaterConfig } from './updater';

/** What is used of electron-updater's autoUpdater. */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  allowPrerelease: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(feed: UpdateFeed): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export interface UpdateChecksDeps {
  /** updaterConfig for this process and build, given the setting. */
  config: (setting: boolean) => UpdaterConfig;
  load: () => Promise<AutoUpdaterLike>;
  log: (msg: string, detail?: object) => void;
  /** Timers; by default Node's, unref'd so a pending check never keeps the app from quitting. */
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (timer: unknown) => void;
}

export interface UpdateChecks {
  /** Whether checks can run in this build at all (DesktopCapabilities.updates). */
  readonly available: boolean;
  /** Follows the setting: on starts checking (at once, then every interval), off stops. */
  apply(setting: boolean): void;
  /** Whether checks are scheduled now. */
  readonly checking: boolean;
}

export function createUpdateChecks(deps: UpdateChecksDeps): UpdateChecks {
  const every = deps.setInterval ?? ((fn, ms) => setInterval(fn, ms).unref());
  const stopTimer = deps.clearInterval ?? ((t) => clearInterval(t as NodeJS.Timeout));
  // Setting aside: the environment (PARLEY_UPDATES=0, a feed) and the build decide whether it can run.
  const available = deps.config(true).enabled;
  let updater: Promise<AutoUpdaterLike> | null = null;
  let timer: unknown = null;
  let wanted = false;
  // Each apply that turns checks on gets a number; a slow load finishing after an off, or after a
  // newer on, must not start a second schedule.
  let generation = 0;
  let lastReason = '';

  const loaded = (feed: UpdateFeed): Promise<AutoUpdaterLike> => {
    updater ??= deps.load().then((autoUpdater) => {
      autoUpdater.autoDownload = true;
      autoUpdater.allowPrerelease = false;
      autoUpdater.setFeedURL(feed);
      autoUpdater.on('error', (err: Error) => deps.log('update check failed', { err: err.message }));
      return autoUpdater;
    });
    // A failed load (a broken install) is tried again at the next switch on.
    updater.catch(() => (updater = null));
    return updater;
  };

  const start = (config: Extract<UpdaterConfig, { enabled: true }>) => {
    const mine = ++generation;
    loaded(config.feed).then(
      (autoUpdater) => {
        if (mine !== generation || !wanted) return;
        // An update downloaded before the user said no is not installed behind their back.
        autoUpdater.autoInstallOnAppQuit = true;
        const check = () => void autoUpdater.checkForUpdatesAndNotify().catch((err: unknown) => deps.log('update check failed', { err: String(err) }));
        check();
        timer = every(check, config.intervalMs);
        deps.log('update checks on', { everyMs: config.intervalMs });
      },
      (err: unknown) => deps.log('updater could not be loaded', { err: err instanceof Error ? err.message : String(err) }),
    );
  };

  const stop = () => {
    generation++;
    if (timer !== null) stopTimer(timer);
    timer = null;
    void updater?.then((autoUpdater) => (autoUpdater.autoInstallOnAppQuit = false)).catch(() => undefined);
  };

  return {
    available,
    get checking() {
      return timer !== null;
    },
    apply(setting) {
      const config = deps.config(setting);
      if (!config.enabled) {
        if (config.reason !== lastReason) deps.log('auto-update off', { reason: config.reason });
        lastReason = config.reason;
        if (wanted) stop();
        wanted = false;
        return;
      }
      lastReason = '';
      if (wanted) return;
      wanted = true;
      start(config);
    },
  };
}

/**
 * Start at login: the `startAtLogin` setting applied to the OS's login items through Electron's
 * app.setLoginItemSettings, on the platforms that have them (capabilities.ts); elsewhere a no-op.
 * The Electron calls come in as arguments so this runs in plain Node and in the desktop harness.
 *
 * The OS is written only when its state differs from the setting: macOS 13+ tells the user each
 * time an app registers a login item, so re-registering at every start would nag. The setting wins
 * at start, so a login item removed in the OS's own settings comes back while the setting is on.
 */
import { supportsStartAtLogin } from './capabilities';

/** Windows only: what to start at login (an unpackaged checkout is Electron plus the app folder). */
export interface LoginItemLaunch {
  path: string;
  args: string[];
}

export interface LoginItemDeps {
  platform: NodeJS.Platform;
  getLoginItemSettings: (options?: LoginItemLaunch) => { openAtLogin: boolean };
  setLoginItemSettings: (settings: { openAtLogin: boolean } & Partial<LoginItemLaunch>) => void;
  /** Absent: the running executable, as Electron defaults (a packaged app). */
  launch?: LoginItemLaunch;
  log: (msg: string, detail?: object) => void;
}

export interface LoginItem {
  /** Makes the OS start Parley at login or not; cheap to call after every settings change. */
  apply(startAtLogin: boolean): void;
}

export function createLoginItem(deps: LoginItemDeps): LoginItem {
  const supported = supportsStartAtLogin(deps.platform);
  // path and args are Windows-only options of Electron's; macOS identifies the app by its bundle.
  const launch = deps.platform === 'win32' ? deps.launch : undefined;
  let applied: boolean | null = null;

  return {
    apply(startAtLogin) {
      if (!supported || startAtLogin === applied) return;
      applied = startAtLogin;
      try {
        if (current() === startAtLogin) return;
        deps.setLoginItemSettings({ openAtLogin: startAtLogin, ...launch });
        deps.log('start at login changed', { startAtLogin });
      } catch (err) {
        // Try again at the next change rather than believe the OS has it.
        applied = null;
        deps.log('start at login could not be changed', { err: err instanceof Error ? err.message : String(err) });
      }
    },
  };

  // Unknown when the OS cannot say: then it is written, as if it differed.
  function current(): boolean | undefined {
    try {
      return deps.getLoginItemSettings(launch).openAtLogin;
    } catch {
      return undefined;
    }
  }
}

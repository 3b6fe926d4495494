/**
 * Electron's `app` for one desktop instance: paths, the single-instance lock, the quit sequence,
 * the dock/launcher badge and the login item (start at login), whose calls it records. The lock is shared by every instance in this process and keyed by the
 * profile folder, as Electron keys it: a second launch on a held profile hands its argv to the
 * holder in 'second-instance' and quits, which is how a parley:// link reaches a running app.
 */
import { EventEmitter } from 'node:events';
import { preventable } from './preventable';

const lockHolders = new Map<string, FakeApp>();

type QuitState = 'running' | 'quitting' | 'quit';

export class FakeApp extends EventEmitter {
  readonly isPackaged = false;
  badgeCount = 0;
  exitCode: number | null = null;
  readonly protocolClients: unknown[][] = [];
  /**
   * Every app.setLoginItemSettings call, in order. Electron has them on macOS and Windows only, and
   * the app calls them only there: launch the desktop with `platform: 'win32'` to see them.
   */
  readonly loginItemCalls: { openAtLogin: boolean; path?: string; args?: string[] }[] = [];
  /** What the OS has (app.getLoginItemSettings().openAtLogin); a test may set it to play a change made in the OS's settings. */
  openAtLogin = false;
  private state: QuitState = 'running';
  private readonly paths = new Map<string, string>();
  private resolveQuit!: () => void;
  /** Resolves when the quit sequence has finished (every window closed, 'quit' emitted). */
  readonly whenQuit = new Promise<void>((resolve) => (this.resolveQuit = resolve));

  constructor(
    private readonly version: string,
    private readonly argv: readonly string[],
    private readonly closeWindows: () => Promise<void>,
  ) {
    super();
  }

  get quitState(): QuitState {
    return this.state;
  }

  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }

  getPath(name: string): string {
    const value = this.paths.get(name);
    if (value === undefined) throw new Error(`desktop harness: no path '${name}' set`);
    return value;
  }

  requestSingleInstanceLock(): boolean {
    const profile = this.getPath('userData');
    const holder = lockHolders.get(profile);
    if (holder && holder !== this && holder.state !== 'quit') {
      holder.emit('second-instance', { preventDefault() {} }, [...this.argv], process.cwd(), {});
      return false;
    }
    lockHolders.set(profile, this);
    return true;
  }

  whenReady(): Promise<void> {
    return Promise.resolve();
  }

  isReady(): boolean {
    return true;
  }

  getVersion(): string {
    return this.version;
  }

  /** The OS language the main process sees (its tray and notices); the pages get the browser context's, en-US too (playwright.config.ts). */
  getLocale(): string {
    return 'en-US';
  }

  setAsDefaultProtocolClient(...args: unknown[]): boolean {
    this.protocolClients.push(args);
    return true;
  }

  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: this.openAtLogin };
  }

  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void {
    this.loginItemCalls.push({ ...settings });
    this.openAtLogin = settings.openAtLogin;
  }

  setBadgeCount(count: number): boolean {
    this.badgeCount = count;
    return true;
  }

  /** Electron's quit: 'before-quit' may be prevented; then windows close, 'will-quit' and 'quit' follow. */
  quit(): void {
    if (this.state !== 'running') return;
    const event = preventable();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.finish();
  }

  exit(code = 0): void {
    this.exitCode = code;
    if (this.state === 'running') this.finish();
  }

  private finish(): void {
    this.state = 'quitting';
    void this.closeWindows()
      .catch(() => undefined)
      .then(() => {
        this.emit('will-quit', { preventDefault() {} });
        this.emit('quit', {}, this.exitCode ?? 0);
        this.state = 'quit';
        for (const [profile, holder] of lockHolders) if (holder === this) lockHolders.delete(profile);
        this.resolveQuit();
      });
  }
}

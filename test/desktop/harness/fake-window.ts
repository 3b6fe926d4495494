/**
 * Electron's BrowserWindow for the harness: each window is a Chromium page in its own browser
 * context (its own storage, like a profile), loaded with the window's preload through page-bridge.ts.
 * webContents.send reaches the preload's ipcRenderer listeners; ipcRenderer calls reach FakeIpcMain
 * with the calling frame as sender. Focus and visibility follow show/hide/focus/blur/minimize as the
 * OS would report them to the page.
 */
import { existsSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { bridgeScript, type BridgeControl, type BridgeNames } from './page-bridge';
import { ipcEvent, type FakeIpcMain } from './fake-ipc';
import { preventable } from './preventable';

export interface WindowHost {
  browser: Browser;
  ipc: FakeIpcMain;
  preloadSource: string;
  platform: string;
  dark: boolean;
  /** Emits 'web-contents-created', as Electron's app does for every new web contents. */
  webContentsCreated(contents: FakeWebContents): void;
  /** Playwright permission names the session's permission handler grants to `origin`. */
  grantedPermissions(origin: string): string[];
  /**
   * Where the page's web storage (localStorage, IndexedDB) is kept between launches of one profile,
   * as Electron keeps it in the user-data folder: read when a window opens, written when it closes.
   */
  webStoragePath: string;
  /**
   * The session's network path (session-proxy.ts), every window's `proxy` option: the session
   * decides each TLS handshake in Chromium's place, as setCertificateVerifyProc decides in Electron.
   */
  proxy(): Promise<{ server: string; bypass: string }>;
  /** Called when the last window closed outside a quit. */
  allClosed(): void;
  pageError(message: string): void;
}

interface WebPreferences {
  preload?: string;
  additionalArguments?: string[];
}

interface WindowOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  show?: boolean;
  webPreferences?: WebPreferences;
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  openHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;

  constructor(private readonly window: FakeBrowserWindowBase) {
    super();
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.openHandler = handler;
  }

  /** main → renderer. In order, like Electron's IPC; dropped if the page is gone. */
  send(channel: string, payload: unknown): void {
    const page = this.window.page;
    if (!page) return;
    const control = this.window.names.control;
    void this.window.toPage(() => page.evaluate(([name, c, p]) => (window as unknown as Record<string, BridgeControl>)[name as string]?.deliver(c as string, p), [control, channel, payload] as const));
  }

  isDestroyed(): boolean {
    return this.window.isDestroyed();
  }
}

export abstract class FakeBrowserWindowBase extends EventEmitter {
  page: Page | null = null;
  readonly names: BridgeNames;
  readonly webContents: FakeWebContents;
  protected abstract readonly host: WindowHost;
  protected context: BrowserContext | null = null;
  protected bounds: { x: number; y: number; width: number; height: number };
  protected visible = false;
  protected focused = false;
  protected minimized = false;
  protected maximized = false;
  protected destroyed = false;
  private shownOnce = false;
  /**
   * What main tells the page (IPC messages) and what the OS does to it (focus, visibility) reach it
   * in the order they happened, as in Electron, where a message sent before win.focus() is handled
   * before the focus event: one queue for both.
   */
  private toPageQueue: Promise<unknown> = Promise.resolve();

  constructor(readonly options: WindowOptions) {
    super();
    const suffix = Math.random().toString(36).slice(2, 10);
    this.names = { invoke: `__parleyInvoke_${suffix}`, send: `__parleySend_${suffix}`, control: `__parleyWindow_${suffix}` };
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 1000, height: options.height ?? 700 };
    this.webContents = new FakeWebContents(this);
  }

  async loadURL(url: string): Promise<void> {
    try {
      const page = this.page ?? (await this.open());
      this.webContents.emit('did-start-loading');
      await page.goto(url);
    } catch (err) {
      if (!this.destroyed) this.host.pageError(`loadURL(${url}) failed: ${String(err)}`);
    }
  }

  private async open(): Promise<Page> {
    const preferences = this.options.webPreferences ?? {};
    const stored = existsSync(this.host.webStoragePath) ? this.host.webStoragePath : undefined;
    const context = await this.host.browser.newContext({
      viewport: { width: this.bounds.width, height: this.bounds.height },
      colorScheme: this.host.dark ? 'dark' : 'light',
      ...(stored ? { storageState: stored } : {}),
      proxy: await this.host.proxy(),
      // Chromium's own certificate check is replaced by the session's decision, made by the proxy.
      ignoreHTTPSErrors: true,
    });
    this.context = context;
    const invoke = this.host.ipc.invoke.bind(this.host.ipc);
    const emit = this.host.ipc.emit.bind(this.host.ipc);
    await context.exposeBinding(this.names.invoke, ({ frame }, channel: string, args: unknown[]) => invoke(ipcEvent(this.webContents, frame), channel, args));
    await context.exposeBinding(this.names.send, ({ frame }, channel: string, args: unknown[]) => emit(ipcEvent(this.webContents, frame), channel, args));
    if (preferences.preload) {
      await context.addInitScript({
        content: bridgeScript({
          names: this.names,
          preloadSource: this.host.preloadSource,
          platform: this.host.platform,
          argv: ['electron', '--type=renderer', ...(preferences.additionalArguments ?? [])],
        }),
      });
    }
    const page = await context.newPage();
    this.page = page;
    page.on('pageerror', (err) => this.host.pageError(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.host.pageError(msg.text());
    });
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.webContents.emit('did-start-loading');
    });
    page.on('load', () => {
      const origin = new URL(page.url()).origin;
      const grants = this.host.grantedPermissions(origin);
      void (grants.length > 0 ? context.grantPermissions(grants, { origin }) : Promise.resolve())
        .then(() => this.pushAttention())
        .then(() => {
          this.webContents.emit('did-finish-load');
          if (!this.shownOnce) {
            this.shownOnce = true;
            this.emit('ready-to-show');
          }
        })
        .catch(() => undefined);
    });
    return page;
  }

  /** Runs `step` after everything queued for the page before it; a failed step (the page went away) is dropped. */
  toPage(step: () => Promise<unknown>): Promise<void> {
    const done = this.toPageQueue.then(step).then(
      () => undefined,
      () => undefined,
    );
    this.toPageQueue = done;
    return done;
  }

  private pushAttention(): Promise<void> {
    const page = this.page;
    if (!page || this.destroyed) return Promise.resolve();
    const state = [this.names.control, this.focused, this.visible && !this.minimized] as const;
    return this.toPage(() => page.evaluate(([name, focused, visible]) => (window as unknown as Record<string, BridgeControl>)[name as string]?.attention(focused as boolean, visible as boolean), state));
  }

  private setAttention(change: Partial<{ visible: boolean; focused: boolean; minimized: boolean }>): Promise<void> {
    Object.assign(this, change);
    return this.pushAttention();
  }

  show(): void {
    void this.setAttention({ visible: true, focused: true, minimized: false });
    this.emit('show');
  }
  hide(): void {
    void this.setAttention({ visible: false, focused: false });
  }
  focus(): void {
    void this.setAttention({ visible: true, focused: true, minimized: false });
    this.emit('focus');
  }
  /** The user switched to another application: still visible, no longer focused. */
  blur(): Promise<void> {
    this.emit('blur');
    return this.setAttention({ focused: false });
  }
  minimize(): Promise<void> {
    return this.setAttention({ minimized: true, focused: false });
  }
  restore(): void {
    void this.setAttention({ minimized: false });
  }
  maximize(): void {
    this.maximized = true;
  }
  isVisible = (): boolean => this.visible && !this.destroyed;
  isFocused = (): boolean => this.focused && !this.destroyed;
  isMinimized = (): boolean => this.minimized;
  isMaximized = (): boolean => this.maximized;
  isDestroyed = (): boolean => this.destroyed;
  getNormalBounds = () => ({ ...this.bounds });
  getBounds = () => ({ ...this.bounds });

  /** Closes like a user or app.quit would: 'close' (preventable), then the page goes, then 'closed'. */
  async close(): Promise<void> {
    if (this.destroyed) return;
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    await this.destroy();
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.focused = false;
    await this.context?.storageState({ path: this.host.webStoragePath, indexedDB: true }).catch(() => undefined);
    await this.context?.close().catch(() => undefined);
    this.page = null;
    this.emit('closed');
  }
}

/** A BrowserWindow class bound to one desktop instance (its browser, IPC and windows). */
export function windowClass(host: WindowHost) {
  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends FakeBrowserWindowBase {
    protected readonly host = host;
    static getAllWindows(): FakeBrowserWindow[] {
      return [...windows];
    }
    static getFocusedWindow(): FakeBrowserWindow | null {
      return windows.find((w) => w.isFocused()) ?? null;
    }
    constructor(options: WindowOptions) {
      super(options);
      windows.push(this);
      this.once('closed', () => {
        windows.splice(windows.indexOf(this), 1);
        if (windows.length === 0) host.allClosed();
      });
      host.webContentsCreated(this.webContents);
    }
  }
  return FakeBrowserWindow;
}

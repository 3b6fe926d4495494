/**
 * Runs main/shell/index.ts — the real wiring — against a fake `electron` module, because no Electron
 * binary is available here. It proves start-up order, IPC registration, hardening hooks, hosting
 * through IPC with a real relay, notifications, deep links and the clean quit. mDNS is replaced by
 * a fake so nothing multicasts on this machine's network. What only a real Electron can show
 * (rendering, the contextBridge, OS integration) is left to test/e2e/electron.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IpcChannel } from '../../../protocol/index';

const h = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  type Fn = (...args: unknown[]) => unknown;
  const calls: Record<string, unknown[][]> = {};
  const record = (name: string) => (...args: unknown[]) => void (calls[name] ??= []).push(args);
  const state = { quit: false, userData: '' };

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    setPath: (name: string, value: string) => {
      if (name === 'userData') state.userData = value;
    },
    getPath: () => state.userData,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getVersion: () => '9.8.7',
    getLocale: () => 'en-US',
    setAsDefaultProtocolClient: record('setAsDefaultProtocolClient'),
    setBadgeCount: record('setBadgeCount'),
    getLoginItemSettings: () => ({ openAtLogin: false }),
    setLoginItemSettings: record('setLoginItemSettings'),
    exit: record('exit'),
    quit: () => {
      const event = { defaultPrevented: false, preventDefault() {
        this.defaultPrevented = true;
      } };
      app.emit('before-quit', event);
      if (!event.defaultPrevented) state.quit = true;
    },
  });

  const windows: FakeWindow[] = [];
  class FakeWebContents extends EventEmitter {
    sent: [string, unknown][] = [];
    openHandler: Fn | null = null;
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    setWindowOpenHandler(fn: Fn) {
      this.openHandler = fn;
    }
  }
  class FakeWindow extends EventEmitter {
    static getAllWindows = () => windows;
    webContents = new FakeWebContents();
    url = '';
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.url = url;
      setTimeout(() => this.webContents.emit('did-finish-load'), 10);
      return Promise.resolve();
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    isVisible = () => true;
    isFocused = () => false;
    isMaximized = () => false;
    getNormalBounds = () => ({ x: 10, y: 20, width: 1000, height: 700 });
    maximize = record('maximize');
    restore = record('restore');
    show = record('show');
    focus = record('focus');
  }

  const handlers = new Map<string, Fn>();
  const listeners = new Map<string, Fn>();
  const ipcMain = {
    handle: (channel: string, fn: Fn) => handlers.set(channel, fn),
    on: (channel: string, fn: Fn) => listeners.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
    removeAllListeners: (channel: string) => listeners.delete(channel),
  };

  const sessionHooks: Record<string, Fn> = {};
  const hook = (name: string) => (fn: Fn) => void (sessionHooks[name] = fn);
  const notifications: (InstanceType<typeof EventEmitter> & { options: unknown })[] = [];
  class FakeNotification extends EventEmitter {
    static isSupported = () => true;
    constructor(readonly options: unknown) {
      super();
    }
    show() {
      notifications.push(this);
    }
  }
  class FakeTray extends EventEmitter {
    setImage = record('tray.setImage');
    setToolTip = record('tray.setToolTip');
    setTitle = record('tray.setTitle');
    setContextMenu = record('tray.setContextMenu');
    isDestroyed = () => false;
    destroy = record('tray.destroy');
  }

  const protocolHandlers = new Map<string, Fn>();
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain,
    protocol: { registerSchemesAsPrivileged: record('registerSchemesAsPrivileged'), handle: (scheme: string, fn: Fn) => protocolHandlers.set(scheme, fn) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: hook('request'),
        setPermissionCheckHandler: hook('check'),
        setDevicePermissionHandler: hook('device'),
        setCertificateVerifyProc: hook('verify'),
        webRequest: { onHeadersReceived: hook('headers') },
      },
    },
    shell: { openExternal: async (url: string) => void record('openExternal')(url) },
    screen: { getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }), getAllDisplays: () => [] },
    nativeTheme: { shouldUseDarkColors: false },
    powerMonitor: new EventEmitter(),
    nativeImage: { createFromBitmap: () => ({ addRepresentation: () => undefined }) },
    Menu: { buildFromTemplate: (t: unknown) => t },
    Tray: FakeTray,
    Notification: FakeNotification,
  };

  const bonjourState = { destroyed: false, published: [] as unknown[] };
  const bonjour = {
    find: () => Object.assign(new EventEmitter(), { stop: () => undefined }),
    publish: (config: unknown) => {
      bonjourState.published.push(config);
      return { stop: (cb?: () => void) => cb?.() };
    },
    destroy: async () => {
      bonjourState.destroyed = true;
    },
  };
  return { electron, calls, state, windows, handlers, listeners, sessionHooks, notifications, protocolHandlers, bonjour, bonjourState };
});

vi.mock('electron', () => h.electron);
vi.mock('../../../main/discovery/bonjour-adapter', () => ({ createBonjour: () => h.bonjour }));

const trusted = { senderFrame: { url: 'app://parley/index.html', parent: null } };
const invoke = (channel: string, ...args: unknown[]) => Promise.resolve(h.handlers.get(channel)?.(trusted, ...args)) as Promise<{ ok: boolean; value?: unknown; code?: string }>;
const until = async (what: string, check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

let profile: string;
let localUrl = '';
const saved = { LOG_LEVEL: process.env.LOG_LEVEL, PARLEY_USER_DATA_DIR: process.env.PARLEY_USER_DATA_DIR };

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'parley-shell-'));
  writeFileSync(join(profile, 'settings.json'), '{ damaged');
  process.env.LOG_LEVEL = 'silent';
  process.env.PARLEY_USER_DATA_DIR = profile;
  await import('../../../main/shell/index');
  await until('the window', () => h.windows.length === 1);
  await until('the page to load', () => h.windows[0]?.webContents.sent.some(([c]) => c === IpcChannel.notice) ?? false);
});

afterAll(async () => {
  if (!h.state.quit) h.electron.app.quit();
  await until('quit', () => h.state.quit, 8000).catch(() => undefined);
  rmSync(profile, { recursive: true, force: true });
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('main/shell/index.ts with a fake electron', () => {
  it('registers app:// as a standard secure scheme and does not touch the OS protocol registry in development', () => {
    expect(h.calls.registerSchemesAsPrivileged?.[0]?.[0]).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(h.calls.setAsDefaultProtocolClient).toBeUndefined();
    expect(h.protocolHandlers.has('app')).toBe(true);
  });

  it('opens one hardened window on app://parley with the CommonJS preload', () => {
    const win = h.windows[0];
    expect(win?.url).toBe('app://parley/index.html');
    const web = win?.options.webPreferences as Record<string, unknown>;
    expect(web).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, additionalArguments: ['--parley-app-version=9.8.7'] });
    expect(String(web.preload)).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('reports the damaged settings file to the renderer once the page has loaded, and keeps running', () => {
    const notice = h.windows[0]?.webContents.sent.find(([c]) => c === IpcChannel.notice)?.[1];
    expect(notice).toMatchObject({ level: 'warning', message: expect.stringContaining('damaged') });
    expect(readFileSync(join(profile, 'settings.json'), 'utf8')).toContain('"version": 1');
  });

  it('guards navigation and new windows of every web contents', () => {
    const contents = h.windows[0]?.webContents;
    const prevented = vi.fn();
    contents?.emit('will-navigate', { preventDefault: prevented }, 'https://evil.example/');
    contents?.emit('will-navigate', { preventDefault: prevented }, 'app://parley/index.html');
    expect(prevented).toHaveBeenCalledTimes(1);
    const attach = vi.fn();
    contents?.emit('will-attach-webview', { preventDefault: attach });
    expect(attach).toHaveBeenCalled();
    expect(contents?.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents?.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
  });

  it('opens vetted links externally and refuses the rest', async () => {
    expect(await invoke(IpcChannel.openExternal, 'https://example.com/docs')).toEqual({ ok: true, value: true });
    expect(await invoke(IpcChannel.openExternal, 'smb://evil/share')).toEqual({ ok: true, value: false });
    await until('the window-open link', () => (h.calls.openExternal?.length ?? 0) >= 2);
    expect(h.calls.openExternal?.map((c) => c[0])).toEqual(['https://example.com/', 'https://example.com/docs']);
  });

  it('denies permissions except notifications for the app', () => {
    const results: boolean[] = [];
    h.sessionHooks.request?.({}, 'geolocation', (ok: boolean) => results.push(ok), { requestingUrl: 'app://parley/index.html' });
    h.sessionHooks.request?.({}, 'notifications', (ok: boolean) => results.push(ok), { requestingUrl: 'app://parley/index.html' });
    h.sessionHooks.request?.({}, 'notifications', (ok: boolean) => results.push(ok), { requestingUrl: 'https://evil.example/' });
    expect(results).toEqual([false, true, false]);
    expect(h.sessionHooks.check?.({}, 'media', 'app://parley', {})).toBe(false);
    expect(h.sessionHooks.device?.({})).toBe(false);
    const headers = h.sessionHooks.headers as (d: unknown, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void;
    let got: Record<string, string[]> | undefined;
    headers({ resourceType: 'mainFrame', responseHeaders: {} }, (r) => (got = r.responseHeaders));
    expect(got?.['Content-Security-Policy']?.[0]).toContain("script-src 'self'");
  });

  it('serves app:// with the CSP and refuses traversal', async () => {
    const handler = h.protocolHandlers.get('app') as (r: Request) => Promise<Response>;
    const missing = await handler(new Request('app://parley/missing.js'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await handler(new Request('app://parley/..%2f..%2fpackage.json'))).status).toBe(403);
  });

  it('hosts a session through IPC with a real relay, one at a time', async () => {
    const result = await invoke(IpcChannel.relayHost, { name: 'Smoke', lan: false });
    expect(result).toMatchObject({ ok: true, value: { name: 'Smoke', joinCode: null, lanUrls: [] } });
    localUrl = (result.value as { localUrl: string }).localUrl;
    expect((await fetch(`${localUrl}/healthz`)).status).toBe(200);
    expect(await invoke(IpcChannel.relayHost, { name: 'Again', lan: false })).toMatchObject({ ok: false, code: 'ALREADY_HOSTING' });
    expect(await invoke(IpcChannel.relayGet)).toMatchObject({ ok: true, value: { name: 'Smoke' } });
    expect(h.calls['tray.setToolTip']?.at(-1)?.[0]).toContain('hosting "Smoke"');
  });

  it('refuses an untrusted sender', async () => {
    const result = await h.handlers.get(IpcChannel.settingsGet)?.({ senderFrame: { url: 'https://evil.example/', parent: null } });
    expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN_SENDER' });
  });

  it('saves settings changes from the renderer', async () => {
    expect(await invoke(IpcChannel.settingsUpdate, { nickname: 'Ana', theme: 'dark' })).toMatchObject({ ok: true, value: { nickname: 'Ana', theme: 'dark' } });
    expect(JSON.parse(readFileSync(join(profile, 'settings.json'), 'utf8'))).toMatchObject({ nickname: 'Ana', theme: 'dark' });
  });

  it('says what this OS and build support, and applies start at login only where Electron can', async () => {
    const expected = { startAtLogin: process.platform === 'darwin' || process.platform === 'win32', updates: false };
    expect(await invoke(IpcChannel.capabilities)).toEqual({ ok: true, value: expected });
    const result = await invoke(IpcChannel.settingsUpdate, { startAtLogin: true, updates: true, notificationSound: false });
    expect(result).toMatchObject({ ok: true, value: { startAtLogin: true, updates: true, notificationSound: false } });
    expect(JSON.parse(readFileSync(join(profile, 'settings.json'), 'utf8'))).toMatchObject({ startAtLogin: true, updates: true, notificationSound: false });
    if (expected.startAtLogin) expect(h.calls.setLoginItemSettings?.at(-1)?.[0]).toMatchObject({ openAtLogin: true });
    else expect(h.calls.setLoginItemSettings).toBeUndefined();
    expect(await invoke(IpcChannel.settingsUpdate, { notificationSound: true })).toMatchObject({ ok: true });
  });

  it('shows the unread count and focuses the room of a clicked notification', async () => {
    h.listeners.get(IpcChannel.unread)?.(trusted, 120);
    expect(h.calls.setBadgeCount?.at(-1)).toEqual([120]);
    expect(h.calls['tray.setToolTip']?.at(-1)?.[0]).toContain('99+ unread');
    h.listeners.get(IpcChannel.notify)?.(trusted, { title: 'Bob in #design', body: 'look', room: 'design', server: 'http://10.0.0.5:3000' });
    expect(h.notifications).toHaveLength(1);
    expect(h.notifications[0]?.options).toMatchObject({ title: 'Bob in #design', silent: false });
    h.notifications[0]?.emit('click');
    await until('focus-room', () => h.windows[0]?.webContents.sent.some(([c]) => c === IpcChannel.focusRoom) ?? false);
    expect(h.windows[0]?.webContents.sent.find(([c]) => c === IpcChannel.focusRoom)?.[1]).toEqual({ server: 'http://10.0.0.5:3000', room: 'design' });
  });

  it('tells the page when the computer wakes or is unlocked', () => {
    h.electron.powerMonitor.emit('resume');
    h.electron.powerMonitor.emit('unlock-screen');
    h.electron.powerMonitor.emit('lock-screen');
    const wakes = h.windows[0]?.webContents.sent.filter(([c]) => c === IpcChannel.powerResumed).map(([, p]) => p);
    expect(wakes).toEqual([{ cause: 'resume' }, { cause: 'unlock-screen' }]);
  });

  it('forwards a deep link from a second instance, and reports a bad one', async () => {
    const contents = h.windows[0]?.webContents;
    h.electron.app.emit('second-instance', {}, ['/opt/parley', `parley://join?url=${encodeURIComponent('http://10.0.0.5:3000')}&room=lobby`], '/');
    h.electron.app.emit('second-instance', {}, ['/opt/parley', 'parley://join?url=file%3A%2F%2F%2Fetc']);
    await until('join link', () => contents?.sent.some(([c]) => c === IpcChannel.joinLink) ?? false);
    expect(contents?.sent.find(([c]) => c === IpcChannel.joinLink)?.[1]).toEqual({ url: 'http://10.0.0.5:3000', room: 'lobby' });
    expect(contents?.sent.filter(([c]) => c === IpcChannel.notice).at(-1)?.[1]).toMatchObject({ message: expect.stringContaining('Ignored a parley:// link') });
  });

  it('stops the relay, releases mDNS and saves the window before quitting', async () => {
    h.electron.app.quit();
    expect(h.state.quit).toBe(false); // held back until cleanup is done
    await until('quit', () => h.state.quit, 8000);
    await expect(fetch(`${localUrl}/healthz`)).rejects.toThrow();
    expect(h.bonjourState.destroyed).toBe(true);
    expect(JSON.parse(readFileSync(join(profile, 'settings.json'), 'utf8')).window).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });
});

/**
 * Parley Desktop end to end, in a real Electron: the window loads from app://parley with the
 * hardened settings, hosts a session, and chats with a second client (a socket.io-client in this
 * test) through the embedded relay. Runs wherever an Electron binary exists (ELECTRON_PATH, or the
 * electron npm package with its downloaded binary) and a display is available; otherwise every test
 * is skipped with the reason.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ChatMessage, DesktopApi, DesktopNotice, HostedSession } from '../../../protocol/index';
import { closeAllClients, loggedIn, next, request } from '../../helpers/clients';

const require = createRequire(import.meta.url);

declare global {
  interface Window {
    parley?: DesktopApi;
  }
}

/** The Electron executable, or why there is none. */
function findElectron(): { path: string } | { reason: string } {
  const fromEnv = process.env.ELECTRON_PATH;
  if (fromEnv) return existsSync(fromEnv) ? { path: fromEnv } : { reason: `ELECTRON_PATH=${fromEnv} does not exist` };
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron npm package is not installed' };
  }
  // What require('electron') returns in Node: dist/ + the name recorded in path.txt by its installer.
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: `the binary was never downloaded (${pathFile} is missing; offline install?). Set ELECTRON_PATH to use a local Electron` };
  const exe = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? { path: exe } : { reason: `${exe} does not exist` };
}

function unavailable(): string | null {
  const found = findElectron();
  if ('reason' in found) return `Electron binary not available: ${found.reason}`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'Electron needs a display: run under xvfb-run';
  return null;
}

const skipReason = unavailable();
test.skip(skipReason !== null, skipReason ?? '');

const ROOT = resolve('.');
const API_KEYS = ['appVersion', 'checkLan', 'getCapabilities', 'getHostedSession', 'getSettings', 'hostSession', 'listLanSessions', 'notify', 'onDoctorProgress', 'onFocusRoom', 'onJoinLink', 'onLanSessions', 'onNotice', 'onNotificationTestClick', 'onSystemResume', 'openExternal', 'platform', 'runDoctor', 'setUnreadCount', 'stopHosting', 'testNotification', 'updateSettings'];

test.beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/renderer/index.html'))) execFileSync('npm', ['run', 'build:renderer'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-node.mjs', 'main', 'preload'], { cwd: ROOT, stdio: 'inherit' });
});

const profiles: string[] = [];
test.afterEach(() => closeAllClients());
test.afterAll(() => {
  for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
});

async function launch(extraArgs: string[] = [], prepare?: (profile: string) => void): Promise<{ app: ElectronApplication; page: Page; profile: string }> {
  const found = findElectron();
  if (!('path' in found)) throw new Error('unreachable: skipped above');
  const profile = mkdtempSync(join(tmpdir(), 'parley-e2e-profile-'));
  profiles.push(profile);
  // A profile past the first-run nickname prompt unless the test prepares its own (the desktop
  // harness covers the first run: test/desktop/flows/settings.spec.ts).
  if (prepare) prepare(profile);
  else writeFileSync(join(profile, 'settings.json'), JSON.stringify({ version: 1, nickname: 'Ana' }));
  const app = await electron.launch({
    executablePath: found.path,
    cwd: ROOT,
    // Chromium refuses to start as root without --no-sandbox (CI containers). That switch only drops
    // the OS-level process sandbox; the window's sandbox/contextIsolation settings still apply.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '.', ...extraArgs],
    env: { ...process.env, PARLEY_USER_DATA_DIR: profile, LOG_LEVEL: 'warn' },
  });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page, profile };
}

test('the window is hardened and exposes only window.parley', async () => {
  const { app, page } = await launch();
  try {
    expect(page.url()).toBe('app://parley/index.html');
    // getLastWebPreferences is what Electron's own tests use; it is not in the public typings.
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> };
      return contents?.getLastWebPreferences?.() ?? null;
    });
    if (prefs) expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    const surface = await page.evaluate(() => ({
      keys: Object.keys(window.parley ?? {}).sort(),
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      ipc: typeof (globalThis as Record<string, unknown>).ipcRenderer,
    }));
    expect(surface).toEqual({ keys: API_KEYS, require: 'undefined', process: 'undefined', ipc: 'undefined' });

    // No navigation away, no new windows, no file:// or javascript: through openExternal.
    await page.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://parley/index.html');
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
    expect(await page.evaluate(() => window.parley?.openExternal('file:///etc/passwd'))).toBe(false);
    expect(await page.evaluate(() => window.parley?.openExternal('javascript:alert(1)'))).toBe(false);
    // Permissions other than notifications are refused.
    expect(await page.evaluate(() => navigator.permissions.query({ name: 'geolocation' }).then((p) => p.state))).toBe('denied');
  } finally {
    await app.close();
  }
});

test('host a session on this computer and chat with a second client', async () => {
  const { app, page } = await launch();
  let hosted: HostedSession | undefined;
  try {
    await page.getByLabel('Session name').fill('E2E session');
    // Loopback only: the test must not listen on the machine's real network.
    await page.getByLabel('Let others on this network join').uncheck();
    await page.getByRole('button', { name: 'Start hosting' }).click();
    await expect(page.getByText('Hosting')).toBeVisible();
    const session = await page.evaluate(() => window.parley?.getHostedSession() ?? null);
    expect(session).toMatchObject({ name: 'E2E session', joinCode: null, lanUrls: [] });
    hosted = session as HostedSession;
    const url = hosted.localUrl;
    await expect(page.getByLabel('Server address')).toHaveValue(url);

    // Hosting twice is refused with a readable error.
    const second = await page.evaluate(() => window.parley?.hostSession({ name: 'again', lan: false }).then(() => 'ok', (e: Error) => e.message));
    expect(second).toMatch(/Already hosting/);

    await page.getByLabel('Nickname').fill('Ana');
    await page.getByRole('button', { name: 'Join' }).click();
    const box = page.getByLabel('Message', { exact: true });
    await expect(box).toBeVisible();

    const { socket: bob } = await loggedIn(url, 'Bob');
    const incoming = next(bob, 'new message', 10_000);
    await box.fill('Hello from the desktop');
    await box.press('Enter');
    expect((await incoming) as ChatMessage).toMatchObject({ username: 'Ana', message: 'Hello from the desktop' });

    const ack = await request(bob, 'new message', { text: 'Hi **Ana**', room: 'lobby', clientId: 'e2e-client-0001' });
    expect(ack.ok).toBe(true);
    await expect(page.getByRole('log')).toContainText('Hi Ana');

    // The nickname and server were remembered in the settings file.
    expect(await page.evaluate(() => window.parley?.getSettings())).toMatchObject({ nickname: 'Ana', lastServer: url });
  } finally {
    await app.close();
  }
  // Quitting stopped the embedded relay.
  if (hosted) await expect(fetch(`${hosted.localUrl}/healthz`)).rejects.toThrow();
});

test('a parley:// link on the command line prefills the connect screen', async () => {
  const link = `parley://join?url=${encodeURIComponent('http://10.0.0.5:3000')}&code=ABCDEF`;
  const { app, page } = await launch([link]);
  try {
    await expect(page.getByLabel('Server address')).toHaveValue('http://10.0.0.5:3000');
    await expect(page.getByLabel('Join code')).toHaveValue('ABCDEF');
  } finally {
    await app.close();
  }
});

test('a damaged settings file is backed up and reported, not fatal', async () => {
  const { app, page, profile } = await launch([], (dir) => writeFileSync(join(dir, 'settings.json'), '{ not json'));
  try {
    const notice = await page.evaluate(() => new Promise<DesktopNotice>((resolveNotice) => window.parley?.onNotice(resolveNotice)));
    expect(notice).toMatchObject({ level: 'warning', message: expect.stringContaining('damaged') });
    expect(readFileSync(join(profile, 'settings.json'), 'utf8')).toContain('"version": 1');
  } finally {
    await app.close();
  }
});

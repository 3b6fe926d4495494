/**
 * The settings that act on the OS, through the real preload and IPC (no UI: the settings screen's
 * own flow drives the switches): what the app says it supports on each OS, start at login reaching
 * Electron's login items only where Electron has them, and nothing written twice. Auto-update needs
 * a packaged app, which the harness never is, so here it only reports itself unavailable.
 */
import { readFileSync } from 'node:fs';
import type { DesktopCapabilities, DesktopSettings } from '../../../protocol/index';
import { expect, firstRun, joinFromConnect, test } from './support';

type Api = { getCapabilities(): Promise<DesktopCapabilities>; updateSettings(patch: Partial<DesktopSettings>): Promise<DesktopSettings> };

test('start at login: applied on Windows, not offered on Linux; capabilities say which', async ({ launch }) => {
  const win = await launch({ platform: 'win32' });
  const page = await win.page();
  expect(await page.evaluate(() => (window as unknown as { parley: Api }).parley.getCapabilities())).toEqual({ startAtLogin: true, updates: false });
  // Off by default, and the OS already agrees: nothing is written at start.
  expect(win.app.loginItemCalls).toEqual([]);

  const saved = await page.evaluate(() => (window as unknown as { parley: Api }).parley.updateSettings({ startAtLogin: true, notificationSound: false }));
  expect(saved).toMatchObject({ startAtLogin: true, notificationSound: false, updates: false });
  expect(win.app.loginItemCalls).toEqual([{ openAtLogin: true }]);
  // Another change leaves the login item alone; switching it off removes it.
  await page.evaluate(() => (window as unknown as { parley: Api }).parley.updateSettings({ theme: 'dark' }));
  await page.evaluate(() => (window as unknown as { parley: Api }).parley.updateSettings({ startAtLogin: false }));
  expect(win.app.loginItemCalls).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
  expect(JSON.parse(readFileSync(win.settingsPath, 'utf8'))).toMatchObject({ startAtLogin: false, notificationSound: false, theme: 'dark' });

  const linux = await launch();
  const linuxPage = await linux.page();
  expect(await linuxPage.evaluate(() => (window as unknown as { parley: Api }).parley.getCapabilities())).toEqual({ startAtLogin: false, updates: false });
  expect(await linuxPage.evaluate(() => (window as unknown as { parley: Api }).parley.updateSettings({ startAtLogin: true }))).toMatchObject({ startAtLogin: true });
  expect(linux.app.loginItemCalls).toEqual([]);
});

test('the language chosen on the settings screen is the tray’s too, now and at the next start', async ({ launch }) => {
  const first = await launch();
  const page = await first.page();
  await firstRun(page, 'Ana');
  expect(first.tray().menu.map((m) => m.label)).toContain('Quit Parley');
  // Settings is on the server rail, there once a server is open: her own session, on this computer only.
  await page.getByLabel('Let others on this network join').uncheck();
  await page.getByRole('button', { name: 'Start hosting' }).click();
  await joinFromConnect(page);
  await page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: 'Settings' }).click();
  await page.locator('#settings-language').selectOption('de');
  // The page switches at once; the main process follows: its menu is German, and settings.json says so.
  await expect(page.getByRole('heading', { name: 'Sprache' })).toBeVisible();
  await expect.poll(() => first.tray().menu.map((m) => m.label)).toContain('Parley beenden');
  expect(JSON.parse(readFileSync(first.settingsPath, 'utf8'))).toMatchObject({ language: 'de' });
  await first.quit();

  const again = await launch({ userData: first.userData });
  await again.page();
  expect(again.tray().menu.map((m) => m.label)).toContain('Parley beenden');
  expect(again.tray().tooltip).toMatch(/ungelesen/);
});

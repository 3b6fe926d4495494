/**
 * Flow 11: a LAN session and two cloud servers side by side (issue 21). Ana hosts a session on her
 * computer and joins it, then adds two cloud servers from the rail. All three stay connected: what
 * arrives on the others is counted on the rail, in the title and on the badge; a notification names
 * its server and opens it. She manages the servers and every setting from the settings screen
 * (settings.json follows), and at the next start her saved servers open by themselves.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { createRelay, type Relay } from '../../../server/index';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { expect, expectNoPageErrors, firstRun, joinFromConnect, messages, screens, test } from './support';

let cloudA: Relay;
let cloudB: Relay;
const others: ChatClient[] = [];

test.beforeAll(async ({ renderer }) => {
  cloudA = await createRelay({ port: 0, host: '127.0.0.1', allowedOrigins: [renderer.origin], shutdownGraceMs: 20 });
  cloudB = await createRelay({ port: 0, host: '127.0.0.1', allowedOrigins: [renderer.origin], shutdownGraceMs: 20 });
});
test.afterAll(async () => {
  for (const o of others) o.close();
  await cloudA?.close();
  await cloudB?.close();
});

async function someoneOn(relay: Relay, nickname: string): Promise<ChatClient> {
  const client = new ChatClient({ url: relay.url, nickname, key: newUserKey(), transports: ['websocket'] });
  others.push(client);
  await client.start();
  return client;
}

const rail = (page: Page) => page.getByRole('navigation', { name: 'Servers' });
const railButton = (page: Page, name: string) => rail(page).getByRole('button', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });

async function addServer(page: Page, url: string): Promise<void> {
  await rail(page).getByRole('button', { name: 'Add a server' }).click();
  await expect(page.getByRole('heading', { name: 'Add a server' })).toBeVisible();
  await joinFromConnect(page, { server: url });
}

test('11. a LAN session and two cloud servers at once: unread, notifications, settings, and reopened at the next start', async ({ launch }) => {
  const shot = screens('11-servers');
  const hostA = new URL(cloudA.url).host;
  const hostB = new URL(cloudB.url).host;
  const ana = await launch({ platform: 'win32' });
  const page = await ana.page();
  await firstRun(page, 'Ana');

  // Her own LAN session first, then the two clouds.
  await page.getByLabel('Session name').fill('Site office');
  await page.getByRole('button', { name: 'Start hosting' }).click();
  await expect(page.getByRole('group', { name: 'Hosted session' })).toContainText('Hosting Site office');
  await joinFromConnect(page);
  await expect(railButton(page, 'Site office, hosted here')).toHaveAttribute('aria-current', 'page');
  await addServer(page, cloudA.url);
  await addServer(page, cloudB.url);
  await expect(rail(page).getByRole('listitem')).toHaveCount(3);

  // Settings: B gets a name and goes first; both clouds are saved; A is muted; the rest of the switches.
  await rail(page).getByRole('button', { name: 'Settings' }).click();
  const open = page.getByRole('list', { name: 'Open servers' });
  await open.getByRole('button', { name: `Rename ${hostB}` }).click();
  await page.getByLabel(`New name for ${hostB}`).fill('Team cloud');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await open.getByRole('button', { name: 'Move Team cloud up' }).click();
  await open.getByRole('button', { name: 'Move Team cloud up' }).click();
  const row = (name: string) => open.getByRole('listitem').filter({ hasText: name });
  await row('Team cloud').getByLabel('Saved (reopens at start)').check();
  await row(hostA).getByLabel('Saved (reopens at start)').check();
  await row(hostA).getByLabel('Notifications').uncheck();
  // The hosted session is not saved: its address changes each time it is hosted.
  await expect(row('Site office').getByLabel('Saved (reopens at start)')).toHaveCount(0);
  // The default nickname: a bad one is refused with the reason, a good one written.
  await page.getByRole('textbox', { name: 'Default nickname' }).fill('\u202Eevil');
  await page.getByRole('button', { name: 'Save nickname' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByRole('textbox', { name: 'Default nickname' }).fill('Ana M');
  await page.getByRole('button', { name: 'Save nickname' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByLabel('Dark').check();
  await page.getByLabel("Play the system's notification sound").uncheck();
  await page.getByLabel('Start Parley when I log in').check();
  // The harness is no packaged app: no update feed, so the switch is off and says why.
  await expect(page.getByLabel('Check for updates automatically')).toBeDisabled();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, 'settings', 'desktop-settings');

  const stored = () => JSON.parse(readFileSync(ana.settingsPath, 'utf8')) as Record<string, unknown>;
  await expect.poll(() => stored().savedServers).toEqual([
    { name: 'Team cloud', url: cloudB.url },
    { name: hostA, url: cloudA.url, notifications: false },
  ]);
  expect(stored()).toMatchObject({ nickname: 'Ana M', theme: 'dark', notificationSound: false, startAtLogin: true, updates: false });
  expect(ana.app.loginItemCalls).toEqual([{ openAtLogin: true }]);
  await expect(rail(page).getByRole('listitem').first().getByRole('button')).toHaveAttribute('title', 'Team cloud');

  // Back to the chat on A. Cy writes on Team cloud: counted there, in the title and on the badge.
  await page.getByRole('button', { name: 'Done' }).click();
  await railButton(page, hostA).click();
  const cy = await someoneOn(cloudB, 'Cy');
  const dee = await someoneOn(cloudA, 'Dee');
  expect(cy.send('Release notes are out')).toBeNull();
  await expect(railButton(page, 'Team cloud, 1 unread')).toBeVisible();
  await expect(page).toHaveTitle('(1) Parley');
  await expect.poll(() => ana.app.badgeCount).toBe(1);
  await shot(page, 'unread-on-team-cloud', 'desktop-servers');

  // Ana switches to another application. A is muted: Dee's message makes no notification; Cy's does,
  // silently (no sound), naming its server; a click shows Team cloud and its lobby.
  await ana.window().blur();
  expect(dee.send('Muted server speaking')).toBeNull();
  await expect(railButton(page, `${hostA}, 1 unread`)).toBeVisible();
  expect(cy.send('Can you review?')).toBeNull();
  await expect.poll(() => ana.notifications.length).toBe(1);
  expect(ana.notifications[0]?.options).toMatchObject({ title: 'Cy · #lobby · Team cloud', body: 'Can you review?', silent: true });
  await expect.poll(() => ana.app.badgeCount).toBe(3);
  ana.notifications[0]!.click();
  await expect(railButton(page, 'Team cloud')).toHaveAttribute('aria-current', 'page');
  await expect(messages(page, '#lobby')).toContainText('Can you review?');
  await expect(messages(page, '#lobby')).toContainText('Release notes are out');
  await expect.poll(() => ana.app.badgeCount).toBe(1);
  await shot(page, 'notification-opened-team-cloud');
  expectNoPageErrors(ana);

  // The next day: Parley starts with both saved clouds open, in their order; the LAN session ended with the app.
  await ana.quit();
  const again = await launch({ userData: ana.userData, platform: 'win32' });
  const page2 = await again.page();
  await expect(rail(page2).getByRole('listitem')).toHaveCount(2);
  await expect(rail(page2).getByRole('listitem').first().getByRole('button')).toHaveAttribute('title', 'Team cloud');
  await expect(rail(page2).getByRole('listitem').nth(1).getByRole('button')).toHaveAttribute('title', hostA);
  await expect(page2.getByLabel('Message', { exact: true })).toBeVisible();
  await expect(page2.locator('html')).toHaveAttribute('data-theme', 'dark');
  await railButton(page2, hostA).click();
  await expect(messages(page2, '#lobby')).toContainText('Muted server speaking');
  await shot(page2, 'reopened');

  // Removing a server: signed out, off the rail and off the saved list.
  await rail(page2).getByRole('button', { name: 'Settings' }).click();
  await page2.getByRole('list', { name: 'Open servers' }).getByRole('button', { name: `Remove ${hostA}` }).click();
  await expect(rail(page2).getByRole('listitem')).toHaveCount(1);
  await expect.poll(() => (JSON.parse(readFileSync(again.settingsPath, 'utf8')) as { savedServers: unknown }).savedServers).toEqual([{ name: 'Team cloud', url: cloudB.url }]);
  await shot(page2, 'removed');
  expectNoPageErrors(again);
});

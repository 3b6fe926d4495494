/**
 * Flows 2–5 and 9 of a LAN session, in order, as three people would live them: Ana hosts on her
 * desktop, Ben finds her session on his and joins with the code (after getting it wrong), Cleo joins
 * from a browser, they chat, Ben is notified while away, then Ana quits and hosts again.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { launchDesktop, type Desktop } from '../harness/desktop';
import type { RendererServer } from '../harness/renderer-server';
import { trayIconBitmap } from '../../../main/tray';
import { expect, expectNoPageErrors, firstRun, joinFromConnect, messages, openRoom, say, screens, test } from './support';

test.describe.configure({ mode: 'serial' });

let ana: Desktop;
let ben: Desktop;
let anaPage: Page;
let benPage: Page;
let cleo: Page;
let code = '';
let localUrl = '';
let fingerprint = '';
let renderer: RendererServer;
let browser: Browser;
const extra: Desktop[] = [];

test.beforeAll(async ({ browser: b, renderer: r }) => {
  browser = b;
  renderer = r;
  ana = await launchDesktop({ browser, renderer });
  ben = await launchDesktop({ browser, renderer });
  anaPage = await ana.page();
  benPage = await ben.page();
  await firstRun(anaPage, 'Ana');
  await firstRun(benPage, 'Ben');
});

test.afterAll(async () => {
  for (const d of [ana, ben, ...extra]) {
    if (d && d.app.quitState === 'running') await d.quit();
    d?.dispose();
  }
  await cleo?.context().close();
});

const sessionButton = (page: Page, name: string) => page.getByRole('list', { name: 'Sessions on this network' }).getByRole('button', { name: new RegExp(name) });

test('2. Ana hosts a LAN session: the address and the join code are shown and can be copied', async () => {
  const shot = screens('2-host');
  await shot(anaPage, 'connect', 'desktop-connect');
  await anaPage.getByLabel('Session name').fill('Friday review');
  await anaPage.getByRole('button', { name: 'Start hosting' }).click();
  const hosted = anaPage.getByRole('group', { name: 'Hosted session' });
  await expect(hosted).toContainText('Hosting Friday review');
  code = (await hosted.locator('.join-code').textContent()) ?? '';
  expect(code).toMatch(/^[A-Z2-9]{6}$/);
  await shot(anaPage, 'hosting', 'desktop-hosting');

  await anaPage.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: renderer.origin });
  await anaPage.getByRole('button', { name: 'Copy join code' }).click();
  await expect(anaPage.getByRole('button', { name: 'Copy join code' })).toHaveText('Copied');
  expect(await anaPage.evaluate(() => navigator.clipboard.readText())).toBe(code);
  const lanUrl = await hosted.locator('li.copyable .mono').first().textContent();
  if (lanUrl) {
    await anaPage.getByRole('button', { name: `Copy ${lanUrl}` }).click();
    expect(await anaPage.evaluate(() => navigator.clipboard.readText())).toBe(lanUrl);
  }
  // The tray says what is being hosted.
  expect(ana.tray().tooltip).toBe('Parley — no unread messages — hosting "Friday review"');

  // Hosting prefilled the form with this computer's address and the code: Ana joins her own session.
  localUrl = await anaPage.getByLabel('Server address').inputValue();
  // A LAN session is served over TLS, with this computer's certificate (its fingerprint in the invite).
  expect(localUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  fingerprint = ((await hosted.locator('.fingerprint').textContent()) ?? '').replace(/:/g, '').toLowerCase();
  expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  await joinFromConnect(anaPage);
  await shot(anaPage, 'chat');
  expectNoPageErrors(ana);
});

test('3. Ben finds the session on the network and joins with the code; a wrong code is refused first', async () => {
  const shot = screens('3-join-lan');
  await expect(sessionButton(benPage, 'Friday review')).toBeVisible({ timeout: 20_000 });
  await expect(sessionButton(benPage, 'Friday review')).toContainText('Ana · code needed');
  await shot(benPage, 'discovered', 'desktop-discovered');
  await sessionButton(benPage, 'Friday review').click();
  await expect(benPage.getByLabel('Server address')).toHaveValue(localUrl);

  await benPage.getByLabel('Join code').fill('WRONG2');
  await benPage.getByRole('button', { name: 'Join', exact: true }).click();
  // Over TLS a wrong code and a wrong host look alike: the code is proved against the certificate, never sent.
  await expect(benPage.getByRole('alert')).toContainText('The join code did not work with this host’s certificate');
  await shot(benPage, 'wrong-code');

  await joinFromConnect(benPage, { code: code.toLowerCase() }); // codes are read out; case does not matter
  await expect(anaPage.locator('.participants')).toContainText('Ben');
  await shot(benPage, 'joined');
  expectNoPageErrors(ben);
});

test('4. Cleo joins from a browser with the URL and the code (the web client)', async () => {
  // Cleo opens the browser address of Ana's invite (the fingerprint in its fragment) and accepts the
  // browser's warning about a certificate nobody signed, after comparing the fingerprint it shows.
  cleo = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
  const shot = screens('4-browser');
  await cleo.goto(`${localUrl}/#fp=${fingerprint}`);
  await expect(cleo.getByLabel('Server address')).toHaveValue(localUrl);
  await cleo.getByLabel('Nickname').fill('Cleo');
  await cleo.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(cleo.getByRole('alert')).toHaveText('This session needs a join code. Ask the host for it.');
  await shot(cleo, 'code-needed');
  await joinFromConnect(cleo, { code });
  await expect(cleo.locator('.participants')).toContainText('Ana');
  await expect(cleo.locator('.participants')).toContainText('Ben');
  await shot(cleo, 'joined', 'web-client');
});

test('5. all three chat; Ben, away, is notified, the badge counts, and a click opens the right room', async () => {
  const shot = screens('5-chat');
  await say(anaPage, 'Hello from the host');
  await say(benPage, 'Ben here, on the LAN');
  await say(cleo, 'Cleo, in a browser');
  for (const page of [anaPage, benPage, cleo]) {
    for (const text of ['Hello from the host', 'Ben here, on the LAN', 'Cleo, in a browser']) await expect(messages(page, '#lobby')).toContainText(text);
  }
  await shot(anaPage, 'lobby', 'desktop-chat');

  await openRoom(anaPage, 'design');
  await openRoom(benPage, 'design');
  await benPage.getByRole('button', { name: /#lobby/ }).click();
  await expect(benPage.getByRole('heading', { name: '#lobby' })).toBeVisible();

  // Ben switches to another application; Ana writes in #design, Cleo in the lobby.
  await ben.window().blur();
  await say(anaPage, 'Mockups are up in #design');
  await expect.poll(() => ben.notifications.length).toBe(1);
  expect(ben.notifications[0]?.options).toMatchObject({ title: 'Ana · #design · Friday review', body: 'Mockups are up in #design' });
  await say(cleo, 'Lunch at noon?');
  await expect.poll(() => ben.app.badgeCount).toBe(2);
  expect(ben.tray().tooltip).toBe('Parley — 2 unread messages');
  expect(ben.tray().image.bitmap.equals(trayIconBitmap(16, true))).toBe(true);
  await expect(benPage).toHaveTitle('(2) Parley');
  await expect.poll(() => ben.notifications.length).toBe(2);
  await shot(benPage, 'away-with-unread', 'desktop-unread');

  // A click on the #design notification brings Ben's window forward, in #design: that room is read.
  // The lobby's message stays unread, as Ben has not seen it (the window never showed the lobby).
  ben.notifications[0]!.click();
  await expect(benPage.getByRole('heading', { name: '#design' })).toBeVisible();
  await expect(messages(benPage, '#design')).toContainText('Mockups are up in #design');
  expect(ben.window().isFocused()).toBe(true);
  await expect.poll(() => ben.app.badgeCount).toBe(1);
  await expect(benPage).toHaveTitle('(1) Parley');
  await shot(benPage, 'notification-opened-design');
  await benPage.getByRole('button', { name: /#lobby/ }).click();
  await expect(messages(benPage, '#lobby')).toContainText('Lunch at noon?');
  await expect.poll(() => ben.app.badgeCount).toBe(0);
  expect(ben.tray().tooltip).toBe('Parley — no unread messages');
  expect(ben.tray().image.bitmap.equals(trayIconBitmap(16, false))).toBe(true);
  await expect(benPage).toHaveTitle('Parley');
  await shot(benPage, 'lobby-read');
  // Back to #design, where the next flow finds him.
  await benPage.getByRole('button', { name: /#design/ }).click();
  await expect(benPage.getByRole('heading', { name: '#design' })).toBeVisible();
  expectNoPageErrors(ana, ben);
});

test('3. (continued) a guesser is locked out after repeated wrong codes; people already in keep chatting', async () => {
  const shot = screens('3-lockout');
  const guesser = await launchDesktop({ browser, renderer });
  extra.push(guesser);
  const page = await guesser.page();
  await firstRun(page, 'Gus');
  await sessionButton(page, 'Friday review').click();
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Join code').fill(`BAD${i}ZZ`);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('The join code did not work with this host’s certificate');
    await expect(page.getByRole('button', { name: 'Join', exact: true })).toBeEnabled();
  }
  // Locked out now: even the right code is refused for a while.
  await page.getByLabel('Join code').fill(code);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Too many wrong join codes. Wait a minute and try again.');
  await shot(page, 'locked-out');
  await say(cleo, 'Still here');
  await expect(benPage.getByRole('button', { name: /#lobby/ }).getByLabel('1 unread')).toBeVisible();
  await anaPage.getByRole('button', { name: /#lobby/ }).click();
  await expect(messages(anaPage, '#lobby')).toContainText('Still here');
  await guesser.quit();
});

test('9. Ana quits: the others see the session end and it leaves the list; Ana hosts again and Ben rejoins', async () => {
  const shot = screens('9-host-quits');
  await ana.quit();
  await expect(benPage.locator('.banner')).toContainText('The server closed the session.');
  await expect(cleo.locator('.banner')).toContainText('The server closed the session.');
  await shot(benPage, 'session-ended');
  await shot(cleo, 'session-ended-browser');

  await benPage.getByRole('button', { name: 'Sign out' }).click();
  await expect(benPage.getByText('No sessions found yet. Searching…')).toBeVisible();
  await shot(benPage, 'list-empty');

  // The window's place was saved on the way out.
  const bounds = (JSON.parse(readFileSync(ana.settingsPath, 'utf8')) as { window: { width: number; height: number; x?: number; y?: number } }).window;
  expect(bounds).toMatchObject({ width: expect.any(Number), height: expect.any(Number), maximized: false });

  // Ana starts Parley again (same profile: no first-run prompt, the window where it was) and hosts
  // again: new port, new code.
  ana = await launchDesktop({ browser, renderer, userData: ana.userData });
  anaPage = await ana.page();
  expect(ana.window().getNormalBounds()).toMatchObject({ width: bounds.width, height: bounds.height, ...(bounds.x !== undefined ? { x: bounds.x, y: bounds.y } : {}) });
  await expect(anaPage.getByLabel('Nickname')).toHaveValue('Ana');
  await anaPage.getByLabel('Session name').fill('Friday review, take two');
  await anaPage.getByRole('button', { name: 'Start hosting' }).click();
  const newCode = (await anaPage.getByRole('group', { name: 'Hosted session' }).locator('.join-code').textContent()) ?? '';
  await joinFromConnect(anaPage);

  await expect(sessionButton(benPage, 'take two')).toBeVisible({ timeout: 20_000 });
  await sessionButton(benPage, 'take two').click();
  await joinFromConnect(benPage, { code: newCode });
  await say(benPage, 'Back again');
  await expect(messages(anaPage, '#lobby')).toContainText('Back again');
  await shot(benPage, 'rejoined');
  expectNoPageErrors(ana, ben);
});

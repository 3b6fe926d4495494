/**
 * Flows 6 and 7: a saved cloud server (the standalone relay in Redis mode, as deployed) opened from
 * the server list, and parley:// links, both to a running app (a second launch hands its link over)
 * and at a cold start.
 */
import { Redis } from 'ioredis';
import { RelayProcess } from '../../helpers/cluster';
import { RedisServer } from '../../helpers/redis';
import { expect, expectNoPageErrors, firstRun, joinFromConnect, messages, openRoom, say, screens, test } from './support';

let redis: RedisServer;
let cloud: RelayProcess;

test.beforeAll(async ({ renderer }) => {
  redis = await RedisServer.start();
  // The desktop window's origin in the harness is the renderer server's (in the app: app://parley,
  // which relays accept without configuration), so the cloud relay is told to accept it.
  cloud = await RelayProcess.start({ REDIS_URL: redis.url, ALLOWED_ORIGINS: renderer.origin, LOG_LEVEL: 'warn' });
});

test.afterAll(async () => {
  await cloud?.kill('SIGTERM');
  await redis?.stop();
});

test('6. Ben saves the cloud server, and later opens it from his server list', async ({ launch, browser }) => {
  const shot = screens('6-cloud-server');
  const ben = await launch();
  const page = await ben.page();
  await firstRun(page, 'Ben');
  await page.getByLabel('Server address').fill(cloud.url);
  await page.getByRole('button', { name: 'Save the address above' }).click();
  await page.getByLabel(`Name for ${cloud.url}`).fill('Team cloud');
  await shot(page, 'naming');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const saved = page.getByRole('list', { name: 'Saved servers' });
  await expect(saved).toContainText('Team cloud');

  // Another day: Parley starts again and Ben opens the server from the list, one click.
  await ben.quit();
  const again = await launch({ userData: ben.userData });
  const page2 = await again.page();
  await page2.getByLabel('Server address').fill('');
  await shot(page2, 'server-list', 'desktop-saved-servers');
  await page2.getByRole('list', { name: 'Saved servers' }).getByRole('button', { name: /^Team cloud/ }).click();
  await expect(messages(page2, '#lobby')).toBeVisible();

  // Dee is on the same cloud from a browser (the relay's own web client).
  const dee = await (await browser.newContext()).newPage();
  await dee.goto(cloud.url);
  await joinFromConnect(dee, { nickname: 'Dee' });
  await say(dee, 'Hi from the cloud');
  await expect(messages(page2, '#lobby')).toContainText('Hi from the cloud');
  await say(page2, 'Ben on the desktop');
  await expect(messages(dee, '#lobby')).toContainText('Ben on the desktop');
  await shot(page2, 'chatting');

  // It is the Redis deployment: the lobby's history is a stream in Redis.
  const client = new Redis(redis.url);
  try {
    expect((await client.keys('parley:*')).length).toBeGreaterThan(0);
  } finally {
    client.disconnect();
  }
  await dee.context().close();
  expectNoPageErrors(ben, again);
});

test('7. parley:// links: to a running app they open the room; at a cold start they prefill the join', async ({ launch, browser }) => {
  const shot = screens('7-deep-link');
  const dee = await (await browser.newContext()).newPage();
  await dee.goto(cloud.url);
  await joinFromConnect(dee, { nickname: 'Dee2' });
  await openRoom(dee, 'ops');
  await say(dee, 'Ops channel is open');

  const link = `parley://join?url=${encodeURIComponent(cloud.url)}&room=ops`;

  // Running and connected: the OS starts a second Parley with the link; it hands it over and quits.
  const ben = await launch();
  const page = await ben.page();
  await firstRun(page, 'Ben2');
  await joinFromConnect(page, { server: cloud.url });
  await ben.window().minimize();
  const second = await launch({ userData: ben.userData, args: [link] });
  await second.app.whenQuit;
  await expect(page.getByRole('heading', { name: '#ops' })).toBeVisible();
  await expect(messages(page, '#ops')).toContainText('Ops channel is open');
  expect(ben.window().isFocused()).toBe(true);
  await shot(page, 'running-app-opened-room');

  // A link the app refuses is reported, not followed.
  await launch({ userData: ben.userData, args: ['parley://join?url=file%3A%2F%2F%2Fetc%2Fpasswd'] });
  await expect(page.locator('.desktop-notices')).toContainText('Ignored a parley:// link');
  await shot(page, 'bad-link-notice');

  // Cold start with the link: the first-run prompt, then the join form prefilled for #ops.
  const fay = await launch({ args: [link] });
  const fayPage = await fay.page();
  await firstRun(fayPage, 'Fay');
  await expect(fayPage.getByLabel('Server address')).toHaveValue(cloud.url);
  await expect(fayPage.getByText('Opens #ops once you have joined.')).toBeVisible();
  await shot(fayPage, 'cold-start-prefilled', 'desktop-deep-link');
  await joinFromConnect(fayPage);
  await expect(fayPage.getByRole('heading', { name: '#ops' })).toBeVisible();
  await expect(messages(fayPage, '#ops')).toContainText('Ops channel is open');
  await shot(fayPage, 'cold-start-joined');
  await dee.context().close();
  expectNoPageErrors(ben, fay);
});

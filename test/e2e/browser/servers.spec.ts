/**
 * Several servers side by side in the web client (issue 21): the page comes from relay A; B allows
 * A's origin (ALLOWED_ORIGINS), C does not. Ana opens A, adds B from the rail, and both stay
 * connected: a message on B while she reads A shows as a badge on B and in the title, and a click
 * shows it without reconnecting. C is refused with the reason. Settings rename, reorder and remove
 * servers and switch the theme.
 */
import type { Page } from '@playwright/test';
import type { Relay } from '../../../server/index';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { joinAs, test, expect, startWebRelay } from './fixtures';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/e2e/servers/${name}.png` });
const rail = (page: Page) => page.getByRole('navigation', { name: 'Servers' });
const log = (page: Page) => page.getByRole('log', { name: 'Messages in #lobby' });

let a: Relay, b: Relay, c: Relay;
const others: ChatClient[] = [];

test.beforeAll(async () => {
  a = await startWebRelay();
  b = await startWebRelay({ allowedOrigins: [a.url] });
  c = await startWebRelay();
});
test.afterAll(async () => {
  for (const o of others) o.close();
  await Promise.all([a, b, c].map((r) => r?.close()));
});

async function someoneOn(relay: Relay, nickname: string): Promise<ChatClient> {
  const client = new ChatClient({ url: relay.url, nickname, key: newUserKey(), transports: ['websocket'] });
  others.push(client);
  await client.start();
  return client;
}

async function addServer(page: Page, url: string): Promise<void> {
  await rail(page).getByRole('button', { name: 'Add a server' }).click();
  await expect(page.getByRole('heading', { name: 'Add a server' })).toBeVisible();
  await page.getByLabel('Server address').fill(url);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
}

test('two servers open at once: unread on the other one, instant switch, and a server that refuses this page', async ({ browser }) => {
  const page = await joinAs(browser, a.url, 'Ana');
  const hostA = new URL(a.url).host;
  const hostB = new URL(b.url).host;
  await expect(rail(page).getByRole('button', { name: hostA })).toHaveAttribute('aria-current', 'page');

  await addServer(page, b.url);
  await expect(rail(page).getByRole('button', { name: hostB })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('.server-name')).toHaveText(hostB);

  // Back on A; Ben writes on B: A keeps reading, B counts it.
  const ben = await someoneOn(b, 'Ben');
  const cy = await someoneOn(a, 'Cy');
  await rail(page).getByRole('button', { name: hostA }).click();
  expect(ben.send('Deploy is done on B')).toBeNull();
  expect(cy.send('Lunch on A?')).toBeNull();
  await expect(log(page)).toContainText('Lunch on A?');
  await expect(rail(page).getByRole('button', { name: `${hostB}, 1 unread` })).toBeVisible();
  await expect(page).toHaveTitle('(1) Parley');
  await shot(page, '1-unread-on-other-server');

  // Switching shows B at once, with the message, and clears the count.
  await rail(page).getByRole('button', { name: `${hostB}, 1 unread` }).click();
  await expect(log(page)).toContainText('Deploy is done on B');
  await expect(page).toHaveTitle('Parley');
  await expect(rail(page).getByRole('button', { name: hostB, exact: true })).toHaveAttribute('aria-current', 'page');
  await shot(page, '2-switched');

  // C does not allow this page's origin: said plainly, and A and B stay as they were.
  await addServer(page, c.url);
  await expect(page.getByRole('alert')).toContainText(/does not accept connections from this page|Cannot reach/);
  await shot(page, '3-refused-by-cors');
  await page.getByRole('button', { name: 'Cancel' }).click();
  expect(ben.send('Still here')).toBeNull();
  await expect(log(page)).toContainText('Still here');
  await expect(rail(page).getByRole('listitem')).toHaveCount(2);
});

test('settings: rename, reorder and remove servers, and a theme that sticks across a reload', async ({ browser }) => {
  const page = await joinAs(browser, a.url, 'Dee');
  await addServer(page, b.url);
  const hostA = new URL(a.url).host;
  const hostB = new URL(b.url).host;
  // The join ends by showing B; opening Settings before that would be replaced by B's chat.
  await expect(rail(page).getByRole('button', { name: hostB })).toHaveAttribute('aria-current', 'page');

  await rail(page).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  const open = page.getByRole('list', { name: 'Open servers' });
  await open.getByRole('button', { name: `Rename ${hostA}` }).click();
  await page.getByLabel(`New name for ${hostA}`).fill('   ');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Give the server a name.');
  await page.getByLabel(`New name for ${hostA}`).fill('Office');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await open.getByRole('button', { name: `Move ${hostB} up` }).click();
  await expect(rail(page).getByRole('listitem').first().getByRole('button')).toHaveAttribute('title', hostB);
  await expect(rail(page).getByRole('listitem').nth(1).getByRole('button')).toHaveAttribute('title', 'Office');

  await page.getByLabel('Dark').check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, '4-settings');
  await page.getByRole('button', { name: 'Done' }).click();
  await rail(page).getByRole('button', { name: /^Office/ }).click();
  await expect(page.locator('.server-name')).toHaveText('Office');
  await shot(page, '5-renamed-dark');

  // Removing B signs out of it: off the rail, and Office goes on.
  await rail(page).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('list', { name: 'Open servers' }).getByRole('button', { name: `Remove ${hostB}` }).click();
  await expect(rail(page).getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('.server-name')).toHaveText('Office');

  // A new visit starts on the connect screen, already dark.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Parley', exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

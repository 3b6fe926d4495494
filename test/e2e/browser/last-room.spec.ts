/**
 * Coming back to a server opens the conversation last open there: one browser, two servers, each
 * reopened (after a reload, as a new visit) in its own last room rather than the lobby.
 */
import type { Page } from '@playwright/test';
import { test, expect, startWebRelay } from './fixtures';

const heading = (page: Page, title: string) => page.getByRole('heading', { name: title, exact: true });

async function join(page: Page, server: string): Promise<void> {
  await page.getByLabel('Server address').fill(server);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();
}

async function openRoom(page: Page, room: string): Promise<void> {
  await page.getByLabel('Join or create a room').fill(room);
  await page.getByRole('button', { name: 'Join room' }).click();
  await expect(heading(page, `#${room}`)).toBeVisible();
}

test('each server reopens in the room last open there', async ({ browser }) => {
  const a = await startWebRelay();
  // The page comes from A; B lets it connect as a second server would.
  const b = await startWebRelay({ allowedOrigins: [a.url] });
  const page = await (await browser.newContext()).newPage();
  try {
    await page.goto(a.url);
    await page.getByLabel('Nickname').fill('Ana');
    await join(page, a.url);
    await openRoom(page, 'design');
    await page.reload();
    await join(page, b.url);
    await expect(heading(page, '#lobby')).toBeVisible();
    await openRoom(page, 'ops');
    await openRoom(page, 'random');
    await page.getByRole('button', { name: /#ops/ }).click();
    await expect(heading(page, '#ops')).toBeVisible();

    // Another visit: B opens in #ops, A in #design, each after logging in.
    await page.reload();
    await join(page, b.url);
    await expect(heading(page, '#ops')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/last-room-server-b-ops.png' });
    await page.reload();
    await join(page, a.url);
    await expect(heading(page, '#design')).toBeVisible();
    await expect(page.locator('.participants')).toContainText('Ana');
    await page.screenshot({ path: 'test-results/screens/last-room-server-a-design.png' });
  } finally {
    await page.context().close();
    await Promise.all([a.close(), b.close()]);
  }
});

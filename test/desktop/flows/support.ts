/**
 * What the desktop flows share: one renderer server per worker (the app:// stand-in every desktop
 * loads from), screenshots of every screen a flow passes through, and the steps a person takes on
 * the connect and chat screens.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { test as base, expect, type Page } from '@playwright/test';
import { launchDesktop, type Desktop, type LaunchOptions } from '../harness/desktop';
import { startRendererServer, type RendererServer } from '../harness/renderer-server';

export const test = base.extend<{ launch: (options?: Omit<LaunchOptions, 'browser' | 'renderer'>) => Promise<Desktop> }, { renderer: RendererServer }>({
  renderer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const server = await startRendererServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  // Desktops a test launches are quit (if still running) and their profiles removed afterwards.
  launch: async ({ browser, renderer }, use) => {
    const launched: Desktop[] = [];
    await use(async (options = {}) => {
      const desktop = await launchDesktop({ browser, renderer, ...options });
      launched.push(desktop);
      return desktop;
    });
    for (const d of launched) if (d.app.quitState === 'running') await d.quit();
    for (const d of launched) d.dispose();
  },
});
export { expect };

/**
 * Screenshots of one flow, numbered in the order taken: test-results/desktop/<flow>/NN-<step>.png.
 * With PARLEY_GALLERY=<dir> (npm run screenshots), shots named with `gallery` are copied there too.
 */
export function screens(flow: string) {
  let n = 0;
  return async (page: Page, step: string, gallery?: string): Promise<void> => {
    n += 1;
    const path = `test-results/desktop/${flow}/${String(n).padStart(2, '0')}-${step}.png`;
    await page.screenshot({ path });
    const dir = process.env.PARLEY_GALLERY;
    if (dir && gallery) {
      mkdirSync(dir, { recursive: true });
      copyFileSync(path, `${dir}/${gallery}.png`);
    }
  };
}

/** The first-run prompt: a nickname, saved to settings. */
export async function firstRun(page: Page, nickname: string): Promise<void> {
  await page.getByLabel('Your nickname').fill(nickname);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Parley', exact: true })).toBeVisible();
}

/** Presses Join on the connect screen (whatever it is prefilled with) and waits for the chat. */
export async function joinFromConnect(page: Page, fields: { server?: string; nickname?: string; code?: string } = {}): Promise<void> {
  if (fields.server !== undefined) await page.getByLabel('Server address').fill(fields.server);
  if (fields.nickname !== undefined) await page.getByLabel('Nickname').fill(fields.nickname);
  if (fields.code !== undefined) await page.getByLabel('Join code').fill(fields.code);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(messageBox(page)).toBeVisible();
}

export const messageBox = (page: Page) => page.getByLabel('Message', { exact: true });
export const messages = (page: Page, title: string) => page.getByRole('log', { name: `Messages in ${title}` });

export async function say(page: Page, text: string): Promise<void> {
  await messageBox(page).fill(text);
  await messageBox(page).press('Enter');
}

/** Opens (or creates) a room from the sidebar. */
export async function openRoom(page: Page, room: string): Promise<void> {
  await page.getByLabel('Join or create a room').fill(room);
  await page.getByRole('button', { name: 'Join room' }).click();
  await expect(page.getByRole('heading', { name: `#${room}` })).toBeVisible();
}

/**
 * A desktop page shows no script or CSP error: the app ran under its CSP without complaint.
 * Chromium also logs each refused connection to a relay that has gone away (the host quit): those
 * are the network's doing, and what the user sees of them is the banner, so they do not count.
 */
export function expectNoPageErrors(...desktops: Desktop[]): void {
  const network = /net::ERR_CONNECTION_(REFUSED|RESET|CLOSED)/;
  for (const d of desktops) expect(d.pageErrors.filter((e) => !network.test(e)), 'console errors in a desktop window').toEqual([]);
}

/**
 * Two desktops past their first run: the first hosts a LAN session called `session` and opens it,
 * the second finds it on the network and joins with its code (flows 3 and 12 show each step).
 */
export async function hostAndJoin(launch: (options?: Omit<LaunchOptions, 'browser' | 'renderer'>) => Promise<Desktop>, session: string): Promise<{ ana: Desktop; ben: Desktop; anaPage: Page; benPage: Page }> {
  const ana = await launch();
  const ben = await launch();
  const anaPage = await ana.page();
  const benPage = await ben.page();
  await firstRun(anaPage, 'Ana');
  await firstRun(benPage, 'Ben');
  await anaPage.getByLabel('Session name').fill(session);
  await anaPage.getByRole('button', { name: 'Start hosting' }).click();
  const hosted = anaPage.getByRole('group', { name: 'Hosted session' });
  await expect(hosted).toContainText(`Hosting ${session}`);
  const code = (await hosted.locator('.join-code').textContent()) ?? '';
  await joinFromConnect(anaPage);
  const found = benPage.getByRole('list', { name: 'Sessions on this network' }).getByRole('button', { name: new RegExp(session) });
  await expect(found).toBeVisible({ timeout: 20_000 });
  await found.click();
  await joinFromConnect(benPage, { code });
  return { ana, ben, anaPage, benPage };
}

/** Shared setup for browser specs: a real relay serving the built client, and named users in their own browser contexts. */
import { test as base, expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRelay, type Relay, type RelayOptions } from '../../../server/index';

export const CLIENT_DIR = resolve('dist/renderer');

export async function startWebRelay(options: RelayOptions = {}): Promise<Relay> {
  if (!existsSync(`${CLIENT_DIR}/index.html`)) throw new Error('Build the web client first: npm run build');
  return createRelay({ port: 0, host: '127.0.0.1', staticDir: CLIENT_DIR, shutdownGraceMs: 50, presenceFlushMs: 20, ...options });
}

/** Opens the web client in a fresh context (its own localStorage: its own identity) and joins as `nickname`. */
export async function joinAs(browser: Browser, url: string, nickname: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Nickname').fill(nickname);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();
  return page;
}

/**
 * As joinAs, in a context with `options` (a `locale`: the page's navigator.language). Finds the form
 * by its ids, not its English labels, so it works in any language.
 */
export async function joinIn(browser: Browser, url: string, nickname: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('#nickname').fill(nickname);
  await page.locator('form.card button[type="submit"]').click();
  await expect(page.locator('#message')).toBeVisible();
  return page;
}

/** A screenshot in test-results/e2e/<dir>/; with PARLEY_GALLERY=<folder> (npm run screenshots) copied there as <gallery>.png too. */
export async function shot(page: Page, dir: string, name: string, gallery?: string): Promise<void> {
  const path = `test-results/e2e/${dir}/${name}.png`;
  await page.screenshot({ path });
  const folder = process.env.PARLEY_GALLERY;
  if (folder && gallery) {
    mkdirSync(folder, { recursive: true });
    copyFileSync(path, `${folder}/${gallery}.png`);
  }
}

export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

/**
 * Every browser context a test opened (each user is one) is closed after it: an open page whose relay
 * has gone keeps reconnecting in the background, and a worker's later tests would share the CPU with
 * every page of the earlier ones.
 */
export const test = base.extend<{ closeContexts: void }>({
  closeContexts: [
    async ({ browser }, use) => {
      await use();
      await Promise.all(browser.contexts().map((c) => c.close().catch(() => undefined)));
    },
    { auto: true },
  ],
});
export { expect };

/**
 * The history cache in Chromium's real IndexedDB: reopening the client while the relay is down shows
 * the conversation it held, under the reconnecting banner, catches up when the relay is back, and
 * forgets it all on sign-out; the cache holds no more than its per-conversation bound.
 *
 * The page comes from a static server of its own, as the desktop app's does from its bundle: with the
 * relay serving it, a reload with the relay down would have no page to show at all.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from '@playwright/test';
import sirv from 'sirv';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../../protocol/index';
import { DEFAULT_CACHE_LIMITS } from '../../../renderer/model/history-cache';
import { DEFAULT_DB_NAME } from '../../../renderer/model/idb-history-cache';
import { test, expect, startWebRelay, send, CLIENT_DIR } from './fixtures';

/** Serves the built web client on an origin of its own; resolves its URL. */
async function startStaticSite(): Promise<{ url: string; server: Server }> {
  const server = createServer(sirv(CLIENT_DIR, { dev: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Opens the client from `site` in a fresh context and joins the relay at `relayUrl`. */
async function join(browser: Browser, site: string, relayUrl: string, nickname: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(site);
  await page.getByLabel('Server address').fill(relayUrl);
  await page.getByLabel('Nickname').fill(nickname);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();
  return page;
}

/** The texts the page's history cache holds for `room` (read straight from IndexedDB; never creates the database). */
function cachedTexts(page: Page, room = 'lobby'): Promise<string[]> {
  return page.evaluate(
    async ({ dbName, room }) => {
      if (!(await indexedDB.databases()).some((d) => d.name === dbName)) return [];
      return new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction('messages').objectStore('messages').getAll();
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            db.close();
            const records = req.result as { id: string; messages: { message: string }[] }[];
            resolve(records.filter((r) => r.id === room).flatMap((r) => r.messages.map((m) => m.message)));
          };
        };
      });
    },
    { dbName: DEFAULT_DB_NAME, room },
  );
}

test('reopening the client while the relay is down shows the cached conversation', async ({ browser }) => {
  const site = await startStaticSite();
  let relay = await startWebRelay({ allowedOrigins: [site.url] });
  const port = relay.port!;
  try {
    const ana = await join(browser, site.url, relay.url, 'Ana');
    const bob = await join(browser, site.url, relay.url, 'Bob');
    await send(ana, 'Morning! Is the **build** green again?');
    await send(bob, 'Yes, fixed it an hour ago.');
    await send(ana, 'Great, I will cut the release after lunch.');
    await expect(bob.getByRole('log')).toContainText('after lunch');
    await expect.poll(() => cachedTexts(ana)).toContain('Great, I will cut the release after lunch.');

    await relay.close();
    await ana.reload();
    // The connect screen remembers the server and the nickname; joining opens the cached chat.
    await expect(ana.getByLabel('Server address')).toHaveValue(relay.url);
    await ana.getByRole('button', { name: 'Join' }).click();
    const log = ana.getByRole('log');
    await expect(log).toContainText('Yes, fixed it an hour ago.');
    await expect(log.locator('.msg .text')).toHaveText(['Morning! Is the build green again?', 'Yes, fixed it an hour ago.', 'Great, I will cut the release after lunch.']);
    await expect(ana.getByRole('status').filter({ hasText: "Can't reach the server: showing saved messages." })).toBeVisible();
    await expect(ana.getByRole('alert')).toHaveCount(0);
    await expect(ana.getByRole('navigation', { name: 'Conversations' })).toContainText('Ana');
    await ana.screenshot({ path: 'test-results/screens/offline-cache.png' });

    // The relay is back with its store: the client logs in from the cached cursor and catches up, once.
    relay = await startWebRelay({ port, allowedOrigins: [site.url], stores: relay.stores });
    await send(bob, 'Sounds good.');
    // "Retry now" skips the back-off wait, unless the client's own retry already got there (no waiting on the button).
    await ana.evaluate(() => document.querySelector<HTMLButtonElement>('.banner button')?.click());
    await expect(log).toContainText('Sounds good.', { timeout: 20_000 });
    await expect(ana.getByRole('status')).toHaveCount(0);
    await expect(log.locator('.msg .text')).toHaveText(['Morning! Is the build green again?', 'Yes, fixed it an hour ago.', 'Great, I will cut the release after lunch.', 'Sounds good.']);

    // Signing out leaves nothing of the conversation on this device.
    await ana.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => cachedTexts(ana)).toEqual([]);
  } finally {
    await relay.close();
    site.server.close();
  }
});

test('the cache keeps only the newest messages of a conversation', async ({ browser }) => {
  const site = await startStaticSite();
  const unlimited = { capacity: 100_000, perSecond: 100_000 };
  const relay = await startWebRelay({ allowedOrigins: [site.url], limits: { userMessages: unlimited, socketEvents: unlimited } });
  const writer = io(relay.url, { autoConnect: false, transports: ['websocket'], auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: 'writer-key-0123456789abcdef' } });
  try {
    const reader = await join(browser, site.url, relay.url, 'Reader');
    await new Promise<void>((resolve) => writer.once('connect', () => resolve()).connect());
    await writer.emitWithAck('add user', { username: 'Writer' });
    const limit = DEFAULT_CACHE_LIMITS.perConversation;
    const total = limit + 50;
    for (let i = 0; i < total; i++) await writer.emitWithAck('new message', { text: `message ${i}` });
    await expect(reader.getByRole('log')).toContainText(`message ${total - 1}`);

    await expect.poll(async () => (await cachedTexts(reader)).at(-1)).toBe(`message ${total - 1}`);
    const cached = await cachedTexts(reader);
    expect(cached).toHaveLength(limit);
    expect(cached[0]).toBe(`message ${total - limit}`);

    // Still bounded after a reload: the cached copy is read back, not added to.
    await reader.reload();
    await reader.getByRole('button', { name: 'Join' }).click();
    await expect(reader.getByRole('log')).toContainText(`message ${total - 1}`);
    await send(reader, 'one more');
    await expect.poll(async () => (await cachedTexts(reader)).at(-1)).toBe('one more');
    expect(await cachedTexts(reader)).toHaveLength(limit);
  } finally {
    writer.disconnect();
    await relay.close();
    site.server.close();
  }
});

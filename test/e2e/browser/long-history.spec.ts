/**
 * 10,000 messages: the DOM stays capped (windowed list), new messages keep arriving smoothly, and
 * scrolling back through the held messages works without long main-thread stalls.
 */
import { io } from 'socket.io-client';
import { test, expect, startWebRelay, joinAs } from './fixtures';
import { PROTOCOL_VERSION } from '../../../protocol/index';
import { WINDOW_MAX } from '../../../renderer/ui/list-window';

test('10,000 messages stay smooth with a capped DOM', async ({ browser }) => {
  test.setTimeout(120_000);
  const relay = await startWebRelay({ limits: { userMessages: { capacity: 100_000, perSecond: 100_000 }, socketEvents: { capacity: 100_000, perSecond: 100_000 } } });
  try {
    const page = await joinAs(browser, relay.url, 'Reader');
    await page.evaluate(() => {
      (window as unknown as { longTasks: number[] }).longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) (window as unknown as { longTasks: number[] }).longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const writer = io(relay.url, { transports: ['websocket'], auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: 'writer-key-0123456789abcdef' } });
    await new Promise<void>((resolve) => writer.on('connect', () => resolve()));
    await writer.emitWithAck('add user', { username: 'Writer' });
    const total = 10_000;
    for (let i = 0; i < total; i += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, j) => writer.emitWithAck('new message', { text: `message ${i + j} with **some** text` })));
    }
    await expect(page.getByRole('log')).toContainText(`message ${total - 1}`, { timeout: 60_000 });
    const nodes = await page.locator('.messages [data-key]').count();
    expect(nodes).toBeLessThanOrEqual(WINDOW_MAX);

    // Scroll back a long way; the window widens then slides, and the DOM stays capped.
    await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0));
    for (let i = 0; i < 30; i++) {
      await page.locator('.messages').evaluate((el) => (el.scrollTop = 0));
      await page.waitForTimeout(50);
    }
    expect(await page.locator('.messages [data-key]').count()).toBeLessThanOrEqual(WINDOW_MAX);
    const firstShown = await page.locator('.messages .msg .text').first().innerText();
    expect(Number(/message (\d+)/.exec(firstShown)?.[1])).toBeLessThan(total - WINDOW_MAX);
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    // "Without jank": no main-thread task over 200 ms while scrolling through thousands of messages.
    expect(Math.max(0, ...longTasks)).toBeLessThan(200);
    await page.getByRole('button', { name: 'Jump to latest' }).click();
    await expect(page.locator('.messages .msg').last()).toContainText(`message ${total - 1}`);
    writer.disconnect();
  } finally {
    await relay.close();
  }
});

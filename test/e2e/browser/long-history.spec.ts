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
      const w = window as unknown as { longTasks: number[]; addedPerBatch: number[] };
      w.longTasks = [];
      w.addedPerBatch = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
      // List rows ([data-key]) added per mutation batch: the work one update does, whatever the machine's speed.
      new MutationObserver((records) => {
        let added = 0;
        for (const r of records) {
          for (const n of r.addedNodes) if (n instanceof Element) added += (n.matches('[data-key]') ? 1 : 0) + n.querySelectorAll('[data-key]').length;
        }
        w.addedPerBatch.push(added);
      }).observe(document.querySelector('.messages')!, { childList: true, subtree: true });
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
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; addedPerBatch: number[] };
      w.longTasks.splice(0);
      w.addedPerBatch.splice(0);
    });
    // Each poll scrolls to the top again, as a reader dragging up would, until the window has slid
    // back past its own size (an event-paced loop: no fixed pauses tuned to a fast machine).
    const firstShownNumber = async () => Number(/message (\d+)/.exec(await page.locator('.messages .msg .text').first().innerText())?.[1]);
    await expect
      .poll(
        async () => {
          await page.locator('.messages').evaluate((el) => (el.scrollTop = 0));
          return firstShownNumber();
        },
        { timeout: 30_000 },
      )
      .toBeLessThan(total - WINDOW_MAX);
    expect(await page.locator('.messages [data-key]').count()).toBeLessThanOrEqual(WINDOW_MAX);
    const { longTasks, addedPerBatch } = await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; addedPerBatch: number[] };
      return { longTasks: w.longTasks, addedPerBatch: w.addedPerBatch };
    });
    // "Without jank", asserted as bounded work: no update while scrolling adds more than a window's
    // worth of rows (a list that rendered the whole history would add thousands at once).
    // Long tasks are wall-clock and depend on what else the machine runs, so they are printed, not asserted.
    expect(Math.max(0, ...addedPerBatch)).toBeGreaterThan(0);
    expect(Math.max(0, ...addedPerBatch)).toBeLessThanOrEqual(WINDOW_MAX);
    console.log(`[long-history] scrolling: ${addedPerBatch.length} updates, max ${Math.max(0, ...addedPerBatch)} rows added at once; longest main-thread task ${Math.max(0, ...longTasks).toFixed(0)} ms`);
    await page.getByRole('button', { name: 'Jump to latest' }).click();
    await expect(page.locator('.messages .msg').last()).toContainText(`message ${total - 1}`);
    writer.disconnect();
  } finally {
    await relay.close();
  }
});

/** The relay restarts mid-chat: the banner shows it, messages written meanwhile are sent once, in order. */
import { test, expect, startWebRelay, joinAs, send } from './fixtures';

test('messages queued while the relay restarts arrive once, in order', async ({ browser }) => {
  let relay = await startWebRelay();
  const port = relay.port!;
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    const bob = await joinAs(browser, relay.url, 'Bob');
    await send(ana, 'before the restart');
    await expect(bob.getByRole('log')).toContainText('before the restart');

    await relay.close();
    await expect(ana.getByRole('status').filter({ hasText: /Reconnecting|Connection lost/ })).toBeVisible();
    for (const t of ['queued one', 'queued two', 'queued three']) await send(ana, t);
    await expect(ana.locator('.msg.pending')).toHaveCount(3);
    await expect(ana.getByRole('status')).toContainText('3 messages will be sent');
    await ana.screenshot({ path: 'test-results/screens/reconnecting.png' });

    relay = await startWebRelay({ port });
    await expect(ana.locator('.msg.pending')).toHaveCount(0, { timeout: 20_000 });
    const log = bob.getByRole('log');
    await expect(log).toContainText('queued three', { timeout: 20_000 });
    const texts = await bob.locator('.msg .text').allInnerTexts();
    const queued = texts.filter((t) => t.startsWith('queued'));
    expect(queued).toEqual(['queued one', 'queued two', 'queued three']);
    // Stored once each on the new relay.
    const page = await relay.stores.history.page('lobby', { limit: 50 });
    expect(page.messages.map((m) => m.message)).toEqual(['queued one', 'queued two', 'queued three']);
    await expect(ana.getByRole('status')).toHaveCount(0);
  } finally {
    await relay.close();
  }
});

/**
 * User text cannot pass for the app's own: nicknames and message text are isolated for bidi (a
 * right-to-left name cannot reorder the words around it), and in a system line ("… joined") the
 * nickname is a marked-out element of its own, so a nickname such as "Bob left. Eve" cannot imitate
 * a line the app writes.
 */
import { expect, joinAs, send, startWebRelay, test } from './fixtures';

test('nicknames and text are bidi-isolated, and system lines set the nickname apart', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const watcher = await joinAs(browser, relay.url, 'Watcher');
    const sara = await joinAs(browser, relay.url, 'سارة');
    const mimic = await joinAs(browser, relay.url, 'Bob left. Eve');
    await send(sara, 'مرحبا everyone (hello)');

    const log = watcher.getByRole('log');
    await expect(log).toContainText('مرحبا everyone');
    // System lines: the nickname in its own isolated element, the app's words outside it.
    const mimicLine = log.locator('.system', { hasText: 'Bob left. Eve' });
    await expect(mimicLine.locator('bdi.who')).toHaveText('Bob left. Eve');
    expect(await mimicLine.evaluate((el) => el.lastChild?.textContent?.trim())).toBe('joined');
    await expect(log.locator('.system', { hasText: 'سارة' }).locator('bdi.who')).toHaveText('سارة');
    // Authors and participants are isolated; message text takes its own direction.
    await expect(log.locator('.msg bdi.author', { hasText: 'سارة' })).toHaveCount(1);
    await expect(log.locator('.msg .text[dir="auto"]', { hasText: 'مرحبا' })).toHaveCount(1);
    await expect(watcher.locator('.participants bdi', { hasText: 'سارة' })).toHaveCount(1);
    await watcher.screenshot({ path: 'test-results/screens/bidi-and-system-lines.png' });
    for (const p of [watcher, sara, mimic]) await p.context().close();
  } finally {
    await relay.close();
  }
});

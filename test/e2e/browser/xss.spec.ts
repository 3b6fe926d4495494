/** Hostile message text renders as text: no HTML, no script, no javascript: links. */
import { test, expect, startWebRelay, joinAs, send } from './fixtures';

const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(2)</script>',
  '[click me](javascript:alert(3))',
  'javascript:alert(4)',
  '<a href="javascript:alert(5)">x</a>',
  '<svg onload=alert(6)>',
  '**<b onmouseover=alert(7)>bold</b>**',
];

test('XSS payloads are shown as text and run nothing', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    const bob = await joinAs(browser, relay.url, 'Bob');
    const dialogs: string[] = [];
    bob.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    for (const p of PAYLOADS) await send(ana, p);
    await send(ana, 'safe link https://example.com/page');
    const log = bob.getByRole('log');
    await expect(log).toContainText('https://example.com/page');
    for (const p of ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '<svg onload=alert(6)>']) await expect(log).toContainText(p);
    // Nothing became an element, and the only link is the safe http(s) one.
    await expect(bob.locator('.messages img, .messages script, .messages svg, .messages b')).toHaveCount(0);
    const hrefs = await bob.locator('.messages a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs).toEqual(['https://example.com/page']);
    await expect(bob.locator('.messages a')).toHaveAttribute('rel', /noopener/);
    await bob.locator('.messages').hover();
    await bob.waitForTimeout(300);
    expect(dialogs).toEqual([]);
  } finally {
    await relay.close();
  }
});

/** Accessibility: an axe scan of each main screen, in light and dark themes, finds no serious or critical violations. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, startWebRelay, joinAs, send } from './fixtures';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`no serious axe violations (${scheme})`, async ({ browser }) => {
    const relay = await startWebRelay();
    try {
      const context = await browser.newContext({ colorScheme: scheme });
      const connect = await context.newPage();
      await connect.goto(relay.url);
      await expect(connect.getByRole('button', { name: 'Join' })).toBeVisible();
      expect(await seriousViolations(connect)).toEqual([]);
      await connect.screenshot({ path: `test-results/screens/connect-${scheme}.png` });

      const ana = await joinAs(browser, relay.url, 'Ana');
      const bob = await context.newPage();
      await bob.goto(relay.url);
      await bob.getByLabel('Nickname').fill('Bob');
      await bob.getByRole('button', { name: 'Join' }).click();
      await send(ana, 'Welcome **Bob**! Notes: `npm start`, see https://example.com');
      await send(bob, 'Thanks Ana, looks *great*.');
      await expect(bob.getByRole('log')).toContainText('looks great');
      await bob.getByLabel('Message', { exact: true }).fill('typing a reply');
      expect(await seriousViolations(bob)).toEqual([]);
      await bob.screenshot({ path: `test-results/screens/chat-${scheme}.png` });
      // Keyboard: the message field has focus after joining, and Enter sends.
      await expect(bob.getByLabel('Message', { exact: true })).toBeFocused();
    } finally {
      await relay.close();
    }
  });
}

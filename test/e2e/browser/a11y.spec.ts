/**
 * Accessibility: an axe scan of each main screen (connect, chat, editing and search, files and the
 * image lightbox, settings with its notification self-test, the connection doctor with its results),
 * in every language the UI
 * speaks and in light and dark themes, finds no serious or critical violations. The page follows the
 * context's locale (navigator.language), so elements are found by id, not by their English names.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { drawPng } from './file-helpers';
import { test, expect, startWebRelay, joinIn } from './fixtures';

const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP', 'ar'] as const;

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

async function send(page: Page, text: string): Promise<void> {
  await page.locator('#message').fill(text);
  await page.locator('#message').press('Enter');
}

for (const locale of LOCALES) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`no serious axe violations (${locale}, ${scheme})`, async ({ browser }) => {
      const relay = await startWebRelay();
      try {
        const options = { colorScheme: scheme, locale };
        const context = await browser.newContext(options);
        const connect = await context.newPage();
        await connect.goto(relay.url);
        await expect(connect.locator('html')).toHaveAttribute('lang', locale.split('-')[0]!);
        await expect(connect.locator('form.card button[type="submit"]')).toBeVisible();
        expect(await seriousViolations(connect)).toEqual([]);
        await connect.screenshot({ path: `test-results/screens/connect-${locale}-${scheme}.png` });

        const ana = await joinIn(browser, relay.url, 'Ana', options);
        const bob = await context.newPage();
        await bob.goto(relay.url);
        await bob.locator('#nickname').fill('Bob');
        await bob.locator('form.card button[type="submit"]').click();
        await send(ana, 'Welcome **Bob**! Notes: `npm start`, see https://example.com');
        await send(bob, 'Thanks Ana, looks *great*.');
        await expect(bob.getByRole('log')).toContainText('looks great');
        await bob.locator('#message').fill('typing a reply');
        expect(await seriousViolations(bob)).toEqual([]);
        await bob.screenshot({ path: `test-results/screens/chat-${locale}-${scheme}.png` });
        // Keyboard: the message field has focus after joining, and Enter sends.
        await expect(bob.locator('#message')).toBeFocused();

        // Editing a message, and the search panel with a marked hit.
        await bob.locator('#message').fill('');
        const own = bob.locator('.msg.own').last();
        await own.hover();
        await own.locator('.msg-actions button').first().click();
        await expect(bob.locator('.editor textarea')).toBeFocused();
        await bob.locator('.conv-header button').first().click();
        await bob.locator('.search-panel input[type="search"]').fill('great');
        await expect(bob.locator('.search-panel mark')).toHaveText('great');
        expect(await seriousViolations(bob)).toEqual([]);
        await bob.screenshot({ path: `test-results/screens/edit-search-${locale}-${scheme}.png` });

        // Files: a sent image and file, a chip refused in the composer, then the lightbox.
        await bob.locator('.conv-header button').first().click();
        await bob.locator('input[type="file"]').setInputFiles([
          { name: 'photo.png', mimeType: 'image/png', buffer: await drawPng(bob, 400, 250) },
          { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('notes\n') },
        ]);
        await expect(bob.locator('.chip.done')).toHaveCount(2);
        await bob.locator('.composer button[type="submit"]').click();
        await expect(bob.locator('.msg .preview img')).toBeVisible();
        await bob.locator('input[type="file"]').setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
        await expect(bob.locator('.chip.failed')).toBeVisible();
        expect(await seriousViolations(bob)).toEqual([]);
        await bob.screenshot({ path: `test-results/screens/files-${locale}-${scheme}.png` });
        await bob.locator('.msg .preview').click();
        await expect(bob.locator('dialog.lightbox img')).toBeVisible();
        expect(await seriousViolations(bob)).toEqual([]);
        await bob.keyboard.press('Escape');
        await expect(bob.locator('dialog.lightbox')).toHaveCount(0);

        await bob.locator('.rail-btn.tool').nth(1).click();
        await expect(bob.locator('#settings-title')).toBeVisible();
        expect(await seriousViolations(bob)).toEqual([]);

        // The connection doctor, run: every kind of row (ok, not checked) and the copy buttons.
        await bob.locator('section[aria-labelledby="settings-connection"] button').click();
        await bob.locator('.doctor-form button[type="submit"]').click();
        await expect(bob.locator('.doctor button.copy')).toHaveCount(2);
        expect(await seriousViolations(bob)).toEqual([]);
        await bob.screenshot({ path: `test-results/screens/doctor-${locale}-${scheme}.png` });
      } finally {
        await relay.close();
      }
    });
  }
}

/**
 * Every word the web client shows comes from a catalogue. In Chromium's pseudo-locale (en-XA: the
 * browser language of this context) each catalogue value is shown wrapped in ⟦…⟧ with its letters
 * accented (renderer/i18n/pseudo.ts), so any visible text, aria-label, title or placeholder that
 * holds letters and no ⟦ marker was written outside the catalogues, and fails here. What the test
 * itself typed (nicknames, room names, messages, file names) and what Intl writes (<time>, and file
 * sizes in <data>) are the exceptions, with the names of the languages in the language menu, which
 * are each written in their own language, and the connection doctor's findings (`.finding`, marked
 * lang="en"), which are in English on purpose, as the copied report and the CLI write them.
 */
import type { Page } from '@playwright/test';
import { drawPng } from './file-helpers';
import { expect, joinAs, joinIn, startWebRelay, test } from './fixtures';

const USER_TEXT = ['Ana', 'Bob', '#lobby', '#pseudo-room', 'Hello pseudo world', 'Second line from Bob'];

/** Text that holds letters and no pseudo marker, with where it was found. */
async function unmarked(page: Page): Promise<string[]> {
  return page.evaluate((allowed) => {
    const letters = /\p{L}/u;
    const fine = (text: string) => !letters.test(text) || text.includes('⟦') || text.includes('⟧') || allowed.includes(text.trim()) || /^\s*(https?|wss?):\/\//.test(text);
    // User content and Intl's output; the language menu lists each language in its own words.
    const exempt = (el: Element | null) => el?.closest('bdi, .msg .text, time, data, option[lang], noscript, script, style, .finding[lang="en"]') != null;
    const where = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
    const problems: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      if (!fine(text) && !exempt(node.parentElement)) problems.push(`${where(node.parentElement!)}: "${text}"`);
    }
    for (const el of document.body.querySelectorAll('*')) {
      if (exempt(el) && !el.matches('option[lang]')) continue;
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
        const value = el.getAttribute(attr);
        if (value !== null && !fine(value) && !exempt(el)) problems.push(`${where(el)}[${attr}]: "${value}"`);
      }
    }
    if (!fine(document.title)) problems.push(`title: "${document.title}"`);
    return problems;
  }, USER_TEXT);
}

test('every string the web client shows comes from a catalogue (pseudo-locale en-XA)', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    // Notifications allowed up front: the self-test below then shows everything it says after sending
    // (a permission prompt would wait for an answer that never comes in a headless browser).
    const context = await browser.newContext({ locale: 'en-XA', permissions: ['notifications'] });
    const page = await context.newPage();
    await page.goto(relay.url);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA');
    await expect(page.locator('#connect-title')).toHaveText('⟦Þåŕļéý⟧');
    // The connect screen, and one of its errors (an empty nickname: a protocol reason, translated).
    await page.locator('form.card button[type="submit"]').click();
    await expect(page.getByRole('alert')).toContainText('⟦');
    expect(await unmarked(page)).toEqual([]);

    await page.locator('#nickname').fill('Ana');
    await page.locator('form.card button[type="submit"]').click();
    await expect(page.locator('#message')).toBeVisible();
    const bob = await joinAs(browser, relay.url, 'Bob');
    await expect(page.getByRole('log')).toContainText('Bob');
    await page.locator('#message').fill('Hello pseudo world');
    await page.locator('#message').press('Enter');
    await bob.getByLabel('Message', { exact: true }).fill('Second line from Bob');
    await bob.getByLabel('Message', { exact: true }).press('Enter');
    await bob.getByLabel('Message', { exact: true }).pressSequentially('typing');
    await expect(page.locator('.typing-line')).toContainText('⟦');
    await expect(page.locator('.msg.own .delivery').last()).toContainText('1');
    // The chat: rail, sidebar (rooms, the room directory), conversation, receipts, typing, participants.
    expect(await unmarked(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/e2e/i18n/pseudo-chat.png' });

    // Files: chips in the composer, then the preview and the file card of the message, and the lightbox.
    await page.locator('input[type="file"]').setInputFiles([
      { name: 'photo.png', mimeType: 'image/png', buffer: await drawPng(page, 400, 250) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('pseudo notes\n') },
      { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
    ]);
    await expect(page.locator('.chip.done')).toHaveCount(2);
    await expect(page.locator('.chip.failed')).toContainText('⟦');
    expect(await unmarked(page)).toEqual([]);
    await page.locator('.composer button[type="submit"]').click();
    await expect(page.locator('.msg .preview img')).toBeVisible();
    await expect(page.locator('.msg .file-card')).toContainText('notes.txt');
    expect(await unmarked(page)).toEqual([]);
    await page.locator('.msg .preview').click();
    await expect(page.locator('dialog.lightbox img')).toBeVisible();
    expect(await unmarked(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.locator('.chip.failed .chip-actions button').click();

    // A room, then a DM (a conversation of its own kind, with its own participant pane).
    await page.locator('#room-name').fill('pseudo-room');
    await page.locator('.join-room button[type="submit"]').click();
    await expect(page.locator('#conv-title')).toHaveText('#pseudo-room');
    expect(await unmarked(page)).toEqual([]);
    await page.locator('.sidebar button.conv', { hasText: '#lobby' }).click();
    await page.locator('.participants button.link', { hasText: 'Bob' }).click();
    await expect(page.locator('#conv-title')).toHaveText('Bob');
    expect(await unmarked(page)).toEqual([]);

    // "Add a server" and Settings, from the rail.
    await page.locator('.rail-btn.tool').first().click();
    await expect(page.locator('#connect-title')).toContainText('⟦');
    expect(await unmarked(page)).toEqual([]);
    await page.locator('.rail-btn.tool').nth(1).click();
    await expect(page.locator('#settings-title')).toContainText('⟦');
    await page.locator('#settings-language').selectOption('en');
    await page.locator('#settings-language').selectOption('');
    await expect(page.locator('.settings-head [aria-live]')).toContainText('⟦');
    // The window title follows in an effect after the render that switched the language back.
    await expect(page).toHaveTitle(/⟦/);
    expect(await unmarked(page)).toEqual([]);

    // The notification self-test (in Settings), and the connection doctor with its results.
    await page.locator('.notify-test > button').click();
    await expect(page.locator('.notify-test [role="group"]')).toContainText('⟦');
    expect(await unmarked(page)).toEqual([]);
    await page.locator('.notify-test [role="group"] button').first().click();
    await expect(page.locator('.notify-test .notify-works')).toContainText('⟦');
    expect(await unmarked(page)).toEqual([]);
    await page.locator('section[aria-labelledby="settings-connection"] button').click();
    await page.locator('#doctor-idle-seconds').waitFor({ state: 'detached' });
    await page.locator('.doctor-form input[type="checkbox"]').check();
    await page.locator('#doctor-idle-seconds').fill('1');
    await page.locator('.doctor-form button[type="submit"]').click();
    await expect(page.locator('.doctor button.copy')).toHaveCount(2);
    await expect(page.locator('.doctor-summary')).toContainText('⟦');
    expect(await unmarked(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/e2e/i18n/pseudo-doctor.png' });
    await page.locator('.doctor .settings-head button').click();

    // Back in the chat, the relay goes away: the connection banner.
    await page.locator('.settings-head button').click();
    await bob.context().close();
    await relay.close();
    await expect(page.locator('.banner')).toBeVisible({ timeout: 20_000 });
    expect(await unmarked(page)).toEqual([]);
  } finally {
    await relay.close();
  }
});

test('the check itself finds text that is not from a catalogue', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const page = await joinIn(browser, relay.url, 'Ana', { locale: 'en-XA' });
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Written inline';
      p.title = 'Also inline';
      document.querySelector('main')!.append(p);
    });
    expect(await unmarked(page)).toEqual(['p: "Written inline"', 'p[title]: "Also inline"']);
  } finally {
    await relay.close();
  }
});

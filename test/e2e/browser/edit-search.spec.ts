/**
 * Edit, delete and search in the web client (issue 23): the author edits a message in place and the
 * other browser shows the new text with "(edited)"; a deletion leaves a placeholder on both; search
 * finds a message in another room, marks the words, and opens that room at the message, loading the
 * history before it. In German too, to show the new strings are in the catalogues.
 */
import type { Page } from '@playwright/test';
import { joinAs, joinIn, send, shot, test, expect, startWebRelay } from './fixtures';

const message = (page: Page, text: string | RegExp) => page.locator('.msg').filter({ hasText: text });

test('edit and delete a message; the other browser follows', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    const ben = await joinAs(browser, relay.url, 'Ben');
    await send(ana, 'Lunch at 12?');
    await send(ana, 'The door code is 4711');
    await expect(message(ben, 'The door code is 4711')).toBeVisible();

    // Only the author gets the actions (they show on hover and keyboard focus).
    await expect(message(ben, 'Lunch at 12?').getByRole('button', { name: 'Edit' })).toHaveCount(0);
    await message(ana, 'Lunch at 12?').hover();
    await message(ana, 'Lunch at 12?').getByRole('button', { name: 'Edit' }).click();
    const editor = ana.getByRole('textbox', { name: 'Edit your message' });
    await expect(editor).toHaveValue('Lunch at 12?');
    await editor.fill('Lunch at 12:30?');
    await shot(ana, 'edit-search', '1-editing', 'edit-in-place');
    await editor.press('Enter');
    await expect(message(ana, 'Lunch at 12:30?')).toContainText('(edited)');
    await expect(message(ben, 'Lunch at 12:30?')).toContainText('(edited)');
    await expect(ben.getByRole('log')).not.toContainText('Lunch at 12?');

    // Escape leaves an edit without changing anything.
    await message(ana, '4711').hover();
    await message(ana, '4711').getByRole('button', { name: 'Edit' }).click();
    await ana.getByRole('textbox', { name: 'Edit your message' }).press('Escape');
    await expect(message(ana, '4711')).not.toContainText('(edited)');

    await message(ana, '4711').hover();
    await message(ana, '4711').getByRole('button', { name: 'Delete' }).click();
    await expect(ana.getByRole('group', { name: 'Delete this message for everyone?' })).toBeVisible();
    await shot(ana, 'edit-search', '2-confirm-delete');
    await ana.getByRole('group', { name: 'Delete this message for everyone?' }).getByRole('button', { name: 'Delete' }).click();
    await expect(message(ana, 'This message was deleted.')).toBeVisible();
    await expect(message(ben, 'This message was deleted.')).toBeVisible();
    await expect(ben.getByRole('log')).not.toContainText('4711');
    await shot(ben, 'edit-search', '3-others-see-edit-and-delete', 'edit-delete');
  } finally {
    await relay.close();
  }
});

test('search across rooms marks the words and opens the message in its room, with what came before', async ({ browser }) => {
  // Limits raised: the test writes a long history quickly, which the default limits would call a flood.
  const relay = await startWebRelay({ historyLimit: 1000, limits: { userMessages: { capacity: 500, perSecond: 500 }, socketEvents: { capacity: 500, perSecond: 500 } } });
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    await ana.getByLabel('Join or create a room').fill('ops');
    await ana.getByRole('button', { name: 'Join room' }).click();
    await expect(ana.getByRole('heading', { name: '#ops' })).toBeVisible();
    await send(ana, 'The déploiement of release 7 is at noon');
    await expect(message(ana, 'release 7')).toContainText('Sent');
    // Enough after it that the hit is well out of view, and older than the newest window.
    for (let i = 0; i < 120; i++) await send(ana, `status line ${i}`);
    await expect(message(ana, 'status line 119')).toBeVisible();
    await ana.getByRole('button', { name: /#lobby/ }).click();

    await ana.getByRole('button', { name: 'Search' }).click();
    const box = ana.getByRole('searchbox', { name: 'Search messages' });
    await ana.getByRole('radio', { name: 'In all conversations' }).check();
    await box.fill('DEPLOI rel');
    const hit = ana.getByRole('button', { name: /release 7/ });
    await expect(ana.getByText('Disconnected for flooding.')).toHaveCount(0);
    await expect(hit).toBeVisible();
    await expect(ana.getByRole('status')).toHaveText('1 message found');
    // Accents and case folded: "déploiement" matched "DEPLOI", and each matched word is marked.
    await expect(hit.locator('mark')).toHaveText(['déploi', 'rel']);
    await shot(ana, 'edit-search', '4-search-results', 'search');

    await hit.click();
    await expect(ana.getByRole('heading', { name: '#ops' })).toBeVisible();
    const found = ana.locator('.msg.found');
    await expect(found).toContainText('release 7');
    await expect(found).toBeInViewport();
    await expect(found).toBeFocused();
    await shot(ana, 'edit-search', '5-opened-at-hit', 'search-jump');

    // Nothing is found in a conversation the user is not in.
    const ben = await joinAs(browser, relay.url, 'Ben');
    await ben.getByRole('button', { name: 'Search' }).click();
    await ben.getByRole('radio', { name: 'In all conversations' }).check();
    await ben.getByRole('searchbox', { name: 'Search messages' }).fill('release');
    await expect(ben.getByRole('status')).toHaveText('No messages found.');
  } finally {
    await relay.close();
  }
});

test('the new words are translated: edit and search in German', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const ana = await joinIn(browser, relay.url, 'Ana', { locale: 'de-DE' });
    const box = ana.locator('#message');
    await box.fill('Treffen um drei');
    await box.press('Enter');
    await message(ana, 'Treffen um drei').hover();
    await message(ana, 'Treffen um drei').getByRole('button', { name: 'Bearbeiten' }).click();
    await ana.getByRole('textbox', { name: 'Deine Nachricht bearbeiten' }).fill('Treffen um vier');
    await ana.getByRole('textbox', { name: 'Deine Nachricht bearbeiten' }).press('Enter');
    await expect(message(ana, 'Treffen um vier')).toContainText('(bearbeitet)');
    await ana.getByRole('button', { name: 'Suchen' }).click();
    await ana.getByRole('searchbox', { name: 'Nachrichten durchsuchen' }).fill('vier');
    await expect(ana.getByRole('status')).toHaveText('1 Nachricht gefunden');
    await shot(ana, 'edit-search', '6-german', 'search-de');
  } finally {
    await relay.close();
  }
});

/**
 * Flow 12: edit, delete and search on a LAN session (issue 23). Ana hosts a session on her desktop
 * (the embedded relay with its own history database) and Ben joins from his. Ana fixes a typo and
 * takes back a message sent by mistake; Ben's window follows. Ben then searches all his
 * conversations and opens the hit in its room.
 */
import type { Page } from '@playwright/test';
import { expect, expectNoPageErrors, hostAndJoin, messages, openRoom, say, screens, test } from './support';

const message = (page: Page, text: string | RegExp) => page.locator('.msg').filter({ hasText: text });

test('12. on a LAN session: an edit and a deletion reach the other desktop, and search opens a hit in its room', async ({ launch }) => {
  const shot = screens('12-edits');
  const { ana, ben, anaPage, benPage } = await hostAndJoin(launch, 'Retro');

  await openRoom(anaPage, 'planning');
  await say(anaPage, 'Sprint review is on Thursdya');
  await openRoom(benPage, 'planning');
  await expect(messages(benPage, '#planning')).toContainText('Thursdya');
  await benPage.getByRole('button', { name: /#lobby/ }).click();
  await say(anaPage, 'Salary sheet: https://example.com/private');
  await expect(message(anaPage, 'Salary sheet')).toContainText(/Sent|Seen/);

  // The typo, fixed in place.
  await message(anaPage, 'Thursdya').hover();
  await message(anaPage, 'Thursdya').getByRole('button', { name: 'Edit' }).click();
  const editor = anaPage.getByRole('textbox', { name: 'Edit your message' });
  await editor.fill('Sprint review is on Thursday');
  await shot(anaPage, 'editing', 'desktop-editing');
  await editor.press('Enter');
  await expect(message(anaPage, 'on Thursday')).toContainText('(edited)');

  // The link sent to the wrong room, taken back.
  await message(anaPage, 'Salary sheet').hover();
  await message(anaPage, 'Salary sheet').getByRole('button', { name: 'Delete' }).click();
  await anaPage.getByRole('group', { name: 'Delete this message for everyone?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(message(anaPage, 'This message was deleted.')).toBeVisible();

  // Ben, in the lobby meanwhile, finds the review from there and is taken to it.
  await benPage.getByRole('button', { name: 'Search' }).click();
  await benPage.getByRole('radio', { name: 'In all conversations' }).check();
  await benPage.getByRole('searchbox', { name: 'Search messages' }).fill('review thurs');
  const hit = benPage.getByRole('button', { name: /Sprint review is on Thursday/ });
  await expect(hit).toBeVisible();
  await expect(hit.locator('mark')).toHaveText(['review', 'Thurs']);
  await benPage.getByRole('searchbox', { name: 'Search messages' }).fill('salary');
  await expect(benPage.getByRole('status')).toHaveText('No messages found.');
  await benPage.getByRole('searchbox', { name: 'Search messages' }).fill('review thurs');
  await shot(benPage, 'search');
  await benPage.getByRole('button', { name: /Sprint review is on Thursday/ }).click();
  await expect(benPage.getByRole('heading', { name: '#planning' })).toBeVisible();
  await expect(benPage.locator('.msg.found')).toContainText(/Sprint review is on Thursday\s*\(edited\)/);
  await expect(messages(benPage, '#planning')).toContainText('This message was deleted.');
  await expect(messages(benPage, '#planning')).not.toContainText('Salary');
  await shot(benPage, 'opened-at-hit', 'desktop-search');
  expectNoPageErrors(ana, ben);
});

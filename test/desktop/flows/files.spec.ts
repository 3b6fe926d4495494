/**
 * Flow 13: files on a LAN session (issue 24). Ana hosts on her desktop (the embedded relay keeps the
 * files in its data folder) and Ben joins from his. Ana pastes a screenshot and attaches notes with
 * the picker; Ben's window shows the thumbnail, opens it in the lightbox and saves the notes, byte
 * for byte, through the desktop page's CSP (img-src blob:) and the relay's CORS for app://parley.
 */
import { readFileSync } from 'node:fs';
import { drawPng, pasteFiles } from '../../e2e/browser/file-helpers';
import { expect, expectNoPageErrors, hostAndJoin, say, screens, test } from './support';

test('13. on a LAN session: a pasted image and a picked file reach the other desktop, previewed and saved', async ({ launch }) => {
  const shot = screens('13-files');
  const { ana, ben, anaPage, benPage } = await hostAndJoin(launch, 'Studio');
  await say(anaPage, 'Morning!');
  await expect(benPage.getByRole('log', { name: 'Messages in #lobby' })).toContainText('Morning!');

  const notes = Buffer.from('Shot list: wide, close-up, the logo at the end.\n'.repeat(2000));
  const chooser = anaPage.waitForEvent('filechooser');
  await anaPage.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({ name: 'shot-list.txt', mimeType: 'text/plain', buffer: notes });
  await pasteFiles(anaPage, [{ name: 'storyboard.png', type: 'image/png', data: await drawPng(anaPage, 800, 500) }]);
  await anaPage.getByLabel('Message', { exact: true }).fill('Storyboard and the shot list');
  await expect(anaPage.getByRole('progressbar', { name: 'Upload of storyboard.png' })).toHaveAttribute('aria-valuenow', '100');
  await expect(anaPage.getByRole('progressbar', { name: 'Upload of shot-list.txt' })).toHaveAttribute('aria-valuenow', '100');
  await shot(anaPage, 'attached', 'desktop-files-attached');
  await anaPage.getByLabel('Message', { exact: true }).press('Enter');

  const sent = benPage.locator('.msg').filter({ hasText: 'Storyboard and the shot list' });
  const preview = sent.getByRole('button', { name: 'Open storyboard.png' });
  await expect.poll(() => preview.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(sent.locator('.file-card')).toContainText('shot-list.txt');
  await shot(benPage, 'received', 'desktop-files');

  await preview.click();
  const dialog = benPage.getByRole('dialog', { name: 'storyboard.png' });
  await expect.poll(() => dialog.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(800);
  await shot(benPage, 'lightbox');
  await benPage.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  const saved = benPage.waitForEvent('download');
  await sent.getByRole('button', { name: 'Download shot-list.txt' }).click();
  const file = await saved;
  expect(file.suggestedFilename()).toBe('shot-list.txt');
  expect(readFileSync(await file.path()).equals(notes)).toBe(true);
  expectNoPageErrors(ana, ben);
});

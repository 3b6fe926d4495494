/**
 * Sharing files in the web client (issue 24). Ana attaches a file with the picker (uploads slowed
 * down by Chromium's throttling, so its progress shows and can be paused) and pastes an image, writes
 * a caption and sends; Ben sees the image's preview and the file's card, opens the image in the
 * lightbox, leaves it with Escape (focus back where it was) and downloads both, byte for byte. Files
 * dropped on the conversation show where they go; one over the relay's limit says so. In Arabic the
 * chips, previews and cards mirror.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { joinAs, joinIn, shot, test, expect, startWebRelay } from './fixtures';
import { drawPng, dropFiles, pasteFiles, slowUploads } from './file-helpers';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const message = (page: Page, text: string) => page.locator('.msg').filter({ hasText: text });
const percent = async (bar: Locator) => Number(await bar.getAttribute('aria-valuenow'));
/** The image inside has been drawn (a blob: URL whose bytes decoded). */
async function drawn(image: Locator): Promise<number> {
  return image.evaluate((img: HTMLImageElement) => (img.complete && img.src.startsWith('blob:') ? img.naturalWidth : 0));
}

test('Ana shares a file and an image; Ben previews, opens and downloads them', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    const ben = await joinAs(browser, relay.url, 'Ben');
    const notes = Buffer.from('Agenda: budget, launch date, the view from the new office.\n'.repeat(30_000));

    // The picker, with uploads at 400 kB/s: the progress shows, and the upload can be paused.
    const fullSpeed = await slowUploads(ana, 400_000);
    const chooser = ana.waitForEvent('filechooser');
    await ana.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles({ name: 'meeting-notes.txt', mimeType: 'text/plain', buffer: notes });
    const bar = ana.getByRole('progressbar', { name: 'Upload of meeting-notes.txt' });
    await expect.poll(() => percent(bar)).toBeGreaterThan(0);
    await ana.getByRole('button', { name: 'Pause meeting-notes.txt' }).click();
    const resume = ana.getByRole('button', { name: 'Resume meeting-notes.txt' });
    await expect(resume).toBeVisible();
    expect(await percent(bar)).toBeLessThan(100);

    // An image, pasted as a screenshot would be, and a caption.
    const photo = await drawPng(ana, 960, 600);
    await pasteFiles(ana, [{ name: 'view.png', type: 'image/png', data: photo }]);
    await ana.getByLabel('Message', { exact: true }).fill('Notes from today, and the view from the office');
    await expect(ana.getByRole('list', { name: 'Files to send' }).getByRole('listitem')).toHaveCount(2);
    await expect(ana.getByRole('progressbar', { name: 'Upload of view.png' })).toHaveAttribute('aria-valuenow', '100');
    await shot(ana, 'files', '1-chips-progress', 'files-uploading');

    // Sent before the upload is done: the message waits in the timeline, showing its files' progress.
    await resume.click();
    await ana.getByLabel('Message', { exact: true }).press('Enter');
    await expect(ana.getByRole('list', { name: 'Files to send' })).toHaveCount(0);
    const waiting = ana.locator('.msg.pending').filter({ hasText: 'Notes from today' });
    await expect(waiting).toContainText('Uploading files…');
    await expect(waiting.getByRole('button', { name: 'Pause meeting-notes.txt' })).toBeVisible();
    await shot(ana, 'files', '1b-message-waiting', 'files-waiting');
    await fullSpeed();
    await expect(message(ana, 'Notes from today')).toContainText(/Sent|Seen by/);
    await expect(ana.locator('.msg.pending')).toHaveCount(0);

    // Ben: the image's preview and the file's card under the caption.
    const sent = message(ben, 'Notes from today');
    const preview = sent.getByRole('button', { name: 'Open view.png' });
    await expect.poll(() => drawn(preview.locator('img'))).toBeGreaterThan(0);
    await expect(sent.locator('.file-card')).toContainText('meeting-notes.txt');
    await expect(sent.locator('.file-card .file-size')).toHaveText('1.8 MB');
    await shot(ben, 'files', '2-timeline', 'files-timeline');

    // The lightbox: the full image, Download, Escape, and focus back on the preview.
    await preview.click();
    const dialog = ben.getByRole('dialog', { name: 'view.png' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    // Tab goes round the dialog's buttons, never out of it.
    await ben.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Download view.png' })).toBeFocused();
    await ben.keyboard.press('Shift+Tab');
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    await expect.poll(() => drawn(dialog.locator('img'))).toBe(960);
    await shot(ben, 'files', '3-lightbox', 'files-lightbox');
    const imageSaved = ben.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download view.png' }).click();
    const image = await imageSaved;
    expect(image.suggestedFilename()).toBe('view.png');
    expect(readFileSync(await image.path()).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    await ben.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(preview).toBeFocused();
    // And the Close button does the same.
    await preview.click();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(preview).toBeFocused();

    // The file: saved under its name, with exactly the bytes Ana picked.
    const fileSaved = ben.waitForEvent('download');
    await sent.getByRole('button', { name: 'Download meeting-notes.txt' }).click();
    const file = await fileSaved;
    expect(file.suggestedFilename()).toBe('meeting-notes.txt');
    expect(readFileSync(await file.path()).equals(notes)).toBe(true);
  } finally {
    await relay.close();
  }
});

test('files dropped on the conversation; one over the limit says why and stays behind', async ({ browser }) => {
  const relay = await startWebRelay({ uploadMaxBytes: 100_000 });
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    const ben = await joinAs(browser, relay.url, 'Ben');
    const files = [
      { name: 'holiday-video.mp4', type: 'video/mp4', data: Buffer.alloc(250_000, 7) },
      { name: 'checklist.txt', type: 'text/plain', data: Buffer.from('- tickets\n- passports\n') },
      // A name is text, whatever it looks like.
      { name: '<img src=x onerror=alert(1)>.txt', type: 'text/plain', data: Buffer.from('not markup\n') },
    ];
    await dropFiles(ana, files, async () => {
      await expect(ana.getByText('Drop files to share them in #lobby')).toBeVisible();
      await shot(ana, 'files', '4-drop-zone', 'files-drop');
    });
    await expect(ana.getByText('Drop files to share them in #lobby')).toBeHidden();
    const drafts = ana.getByRole('list', { name: 'Files to send' });
    await expect(drafts.getByRole('alert')).toHaveText('Too large: this server takes files up to 100 kB.');
    await expect(drafts.getByRole('progressbar', { name: 'Upload of checklist.txt' })).toHaveAttribute('aria-valuenow', '100');
    await expect(drafts).toContainText('<img src=x onerror=alert(1)>.txt');
    await expect(ana.locator('.chips img')).toHaveCount(0);
    // A refusal is final: no retry, only Remove.
    await expect(drafts.getByRole('button', { name: 'Retry holiday-video.mp4' })).toHaveCount(0);
    await shot(ana, 'files', '5-too-large', 'files-too-large');

    // Sent without the refused file, which stays in the composer until removed.
    await ana.getByRole('button', { name: 'Send' }).click();
    await expect(message(ben, 'checklist.txt').locator('.file-card')).toHaveCount(2);
    await expect(ben.getByRole('log')).not.toContainText('holiday-video.mp4');
    // The relay's sanitised name, shown as text: still no element made of it.
    await expect(message(ben, 'checklist.txt').locator('.file-card').nth(1)).toContainText('onerror=alert(1)');
    await expect(ben.locator('.msg img')).toHaveCount(0);
    await ana.getByRole('button', { name: 'Remove holiday-video.mp4' }).click();
    await expect(drafts).toHaveCount(0);
  } finally {
    await relay.close();
  }
});

test('in Arabic the chips, the preview and the file card mirror', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const ana = await joinIn(browser, relay.url, 'Ana', { locale: 'ar' });
    const ben = await joinIn(browser, relay.url, 'Ben', { locale: 'ar' });
    const photo = await drawPng(ana, 800, 500);
    await ana.locator('input[type="file"]').setInputFiles([
      { name: 'المكتب.png', mimeType: 'image/png', buffer: photo },
      { name: 'تقرير-الربع.txt', mimeType: 'text/plain', buffer: Buffer.from('الإيرادات ارتفعت\n'.repeat(400)) },
    ]);
    await expect(ana.locator('.chip.done')).toHaveCount(2);
    await ana.locator('#message').fill('تقرير الربع وصورة المكتب');
    await ana.locator('#message').press('Enter');
    await expect(message(ben, 'تقرير الربع')).toBeVisible();
    await expect.poll(() => drawn(message(ana, 'تقرير الربع').locator('.preview img'))).toBeGreaterThan(0);

    // A file on its way, paused, next to what was sent.
    const fullSpeed = await slowUploads(ana, 300_000);
    await ana.locator('input[type="file"]').setInputFiles({ name: 'العرض.txt', mimeType: 'text/plain', buffer: Buffer.alloc(2_000_000, 65) });
    const bar = ana.getByRole('progressbar');
    await expect.poll(() => percent(bar)).toBeGreaterThan(0);
    await ana.locator('.chip .chip-actions button').first().click();
    await expect(ana.locator('.chip.paused')).toBeVisible();
    await expect(ana.locator('html')).toHaveAttribute('dir', 'rtl');
    await shot(ana, 'files', '6-arabic', 'files-ar');
    await fullSpeed();
  } finally {
    await relay.close();
  }
});

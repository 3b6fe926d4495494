/** Flows 1 and 8: the first start on a new profile, and a start with a damaged settings file. */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, expectNoPageErrors, screens, test } from './support';

test('1. first run: no settings yet, a nickname prompt, then the settings file holds the nickname', async ({ launch }) => {
  const shot = screens('1-first-run');
  const dana = await launch();
  expect(existsSync(dana.settingsPath)).toBe(false);
  const page = await dana.page();
  await expect(page.getByRole('heading', { name: 'Welcome to Parley' })).toBeVisible();
  await shot(page, 'welcome', 'desktop-first-run');

  // A nickname the relay would refuse is refused here too, with the reason.
  await page.getByLabel('Your nickname').fill('\u202Eevil');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await shot(page, 'invalid-nickname');
  expect(existsSync(dana.settingsPath)).toBe(false);

  await page.getByLabel('Your nickname').fill('Dana');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Parley', exact: true })).toBeVisible();
  await expect(page.getByLabel('Nickname')).toHaveValue('Dana');
  await shot(page, 'connect');
  await expect.poll(() => (existsSync(dana.settingsPath) ? (JSON.parse(readFileSync(dana.settingsPath, 'utf8')) as { nickname?: string }).nickname : undefined)).toBe('Dana');

  // Next start: straight to the connect screen.
  await dana.quit();
  const again = await launch({ userData: dana.userData });
  const page2 = await again.page();
  await expect(page2.getByLabel('Nickname')).toHaveValue('Dana');
  await expect(page2.getByRole('heading', { name: 'Welcome to Parley' })).toHaveCount(0);
  expectNoPageErrors(dana, again);
});

test('8. a damaged settings.json: a notice, the file kept aside, defaults used', async ({ launch }) => {
  const shot = screens('8-corrupt-settings');
  const profile = mkdtempSync(join(tmpdir(), 'parley-desktop-'));
  const damaged = '{ "nickname": "Eve", oops';
  writeFileSync(join(profile, 'settings.json'), damaged);
  const eve = await launch({ userData: profile });
  const page = await eve.page();

  const notice = page.locator('.desktop-notices .notice');
  await expect(notice).toContainText('damaged');
  // Defaults: no nickname, so the first-run prompt.
  await expect(page.getByRole('heading', { name: 'Welcome to Parley' })).toBeVisible();
  await shot(page, 'notice', 'desktop-settings-notice');

  const backups = readdirSync(profile).filter((n) => n.startsWith('settings.json.corrupt-'));
  expect(backups).toHaveLength(1);
  expect(readFileSync(join(profile, backups[0]!), 'utf8')).toBe(damaged);
  expect(JSON.parse(readFileSync(join(profile, 'settings.json'), 'utf8'))).toMatchObject({ version: 1, nickname: '' });

  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await shot(page, 'dismissed');
  expectNoPageErrors(eve);
});

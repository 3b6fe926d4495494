/**
 * Parley in other languages, in a real browser: the page follows the browser's language (the
 * context's `locale` is navigator.language), German reads German with German numbers and times,
 * Arabic is laid out right to left (<html dir="rtl">, the sidebar on the right, the participants on
 * the left), and Settings switches the language at once, without a reload, and keeps it.
 * Screenshots: docs/screenshots/chat-de.png, chat-ar.png, settings-ar.png (npm run screenshots).
 */
import type { Locator, Page } from '@playwright/test';
import { expect, joinIn, shot, startWebRelay, test } from './fixtures';

const box = async (locator: Locator) => (await locator.boundingBox())!;
const html = (page: Page) => page.locator('html');
/** The message field by its id: its label is in the page's language. */
async function send(page: Page, text: string): Promise<void> {
  await page.locator('#message').fill(text);
  await page.locator('#message').press('Enter');
}

test('German: the browser language, German words, numbers and times', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const context = await browser.newContext({ locale: 'de-DE' });
    const connect = await context.newPage();
    await connect.goto(relay.url);
    await expect(html(connect)).toHaveAttribute('lang', 'de');
    await expect(html(connect)).toHaveAttribute('dir', 'ltr');
    await expect(connect.getByText('Chatte in deinem Netzwerk oder in der Cloud.')).toBeVisible();
    await connect.getByRole('button', { name: 'Beitreten' }).click();
    await expect(connect.getByRole('alert')).toHaveText('Der Spitzname ist leer.');
    await connect.getByLabel('Spitzname').fill('Ana');
    await connect.getByRole('button', { name: 'Beitreten' }).click();
    const ana = connect;
    await expect(ana.getByRole('heading', { name: 'Teilnehmende (1)' })).toBeVisible();

    const ben = await joinIn(browser, relay.url, 'Ben', { locale: 'de-DE' });
    await expect(ana.getByRole('log')).toContainText('Ben ist beigetreten');
    await expect(ana.getByRole('heading', { name: 'Teilnehmende (2)' })).toBeVisible();
    await send(ana, 'Hallo Ben, der **Entwurf** ist fertig.');
    await send(ben, 'Danke! Ich schaue ihn mir heute an.');
    await expect(ana.getByRole('log')).toContainText('Ich schaue ihn mir heute an.');
    await expect(ana.locator('.msg.own').last()).toContainText('Gesehen von 1');
    await ben.getByLabel('Nachricht', { exact: true }).pressSequentially('Noch eine Frage');
    await expect(ana.getByText('Ben schreibt…')).toBeVisible();
    // Times through Intl in German: 24-hour "14:05", never "2:05 PM".
    await expect(ana.locator('.msg time').first()).toHaveText(/^\d{2}:\d{2}$/);
    await expect(ana.getByPlaceholder('Nachricht an #lobby')).toBeVisible();
    await expect(ana.getByRole('navigation', { name: 'Unterhaltungen' }).getByRole('heading', { name: 'Räume' })).toBeVisible();
    await shot(ana, 'i18n', 'chat-de', 'chat-de');
  } finally {
    await relay.close();
  }
});

test('Arabic: right to left, the layout mirrored', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const context = await browser.newContext({ locale: 'ar' });
    const page = await context.newPage();
    await page.goto(relay.url);
    await expect(html(page)).toHaveAttribute('lang', 'ar');
    await expect(html(page)).toHaveAttribute('dir', 'rtl');
    await expect(page.getByLabel('عنوان الخادم')).toBeVisible();
    // An address reads left to right even on a right-to-left page.
    await expect(page.locator('#server')).toHaveAttribute('dir', 'ltr');
    await page.getByLabel('الاسم المستعار').fill('سارة');
    await page.getByRole('button', { name: 'انضمام' }).click();
    await expect(page.getByRole('heading', { name: 'المشاركون (1)' })).toBeVisible();

    const omar = await joinIn(browser, relay.url, 'عمر', { locale: 'ar' });
    const ben = await joinIn(browser, relay.url, 'Ben', { locale: 'ar' });
    await expect(page.getByRole('log')).toContainText('انضم Ben');
    await send(page, 'مرحبًا بالجميع! الاجتماع في الساعة **الثالثة**.');
    await send(omar, 'تمام، سأحضر.');
    await send(ben, 'See you at 3 (in English)');
    await expect(page.getByRole('log')).toContainText('See you at 3');
    await expect(page.locator('.msg.own').last()).toContainText('رآها شخصان');

    // Mirrored: rail and conversations on the right, participants on the left, delivery marks at the
    // end of the line (the left).
    const rail = await box(page.locator('nav.rail'));
    const sidebar = await box(page.locator('nav.sidebar'));
    const conversation = await box(page.locator('main.conversation'));
    const participants = await box(page.locator('aside.participants'));
    expect(rail.x).toBeGreaterThan(sidebar.x);
    expect(sidebar.x).toBeGreaterThan(conversation.x);
    expect(conversation.x).toBeGreaterThan(participants.x);
    const mark = await box(page.locator('.msg.own .delivery').last());
    const own = await box(page.locator('.msg.own').last());
    expect(mark.x - own.x).toBeLessThan(own.x + own.width - (mark.x + mark.width));
    // The room's name keeps its own order ("#lobby", not "lobby#") inside Arabic text.
    await expect(page.getByRole('heading', { level: 1 }).locator('bdi')).toHaveText('#lobby');
    await shot(page, 'i18n', 'chat-ar', 'chat-ar');
  } finally {
    await relay.close();
  }
});

test('Settings: another language at once, without a reload, kept for the next visit, and back to the system', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(relay.url);
    await page.getByLabel('Nickname').fill('Dee');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: 'Settings' }).click();
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    const language = page.getByRole('combobox', { name: 'Language' });
    await expect(language.locator('option')).toHaveText(['System default (English)', 'English', 'Deutsch', 'Français', 'Español', '日本語', 'العربية']);
    await language.selectOption('de');
    await expect(page.getByRole('heading', { name: 'Einstellungen', level: 1 })).toBeVisible();
    await expect(html(page)).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('navigation', { name: 'Server', exact: true }).getByRole('button', { name: 'Einstellungen' })).toBeVisible();

    await page.getByRole('combobox', { name: 'Sprache' }).selectOption('ar');
    await expect(page.getByRole('heading', { name: 'الإعدادات', level: 1 })).toBeVisible();
    await expect(html(page)).toHaveAttribute('dir', 'rtl');
    const rail = await box(page.locator('nav.rail'));
    const settings = await box(page.locator('main.settings'));
    expect(rail.x).toBeGreaterThan(settings.x);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await shot(page, 'i18n', 'settings-ar', 'settings-ar');

    // Kept across a visit; the browser still says English.
    await page.reload();
    await expect(html(page)).toHaveAttribute('lang', 'ar');
    await expect(page.getByRole('heading', { name: 'Parley', level: 1 })).toBeVisible();
    await expect(page.getByLabel('الاسم المستعار')).toHaveValue('Dee');
    await page.getByRole('button', { name: 'انضمام' }).click();
    await page.getByRole('navigation', { name: 'الخوادم' }).getByRole('button', { name: 'الإعدادات' }).click();
    await page.getByRole('combobox', { name: 'اللغة' }).selectOption('');
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await expect(html(page)).toHaveAttribute('dir', 'ltr');
  } finally {
    await relay.close();
  }
});

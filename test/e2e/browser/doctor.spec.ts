/**
 * The connection doctor and the notification self-test in the web client (issue 25), against real
 * relays: a healthy relay reports no failure; a stopped one is offered to the doctor from the connect
 * screen's error and from the banner, and the doctor names the failing check; a relay that does not
 * accept this page's origin fails the handshake with the ALLOWED_ORIGINS hint; the copied report (text
 * and JSON) of a relay with a join code holds no code; the screen in Arabic (right to left); and the
 * notification self-test with the permission granted. Screenshots: test-results/e2e/doctor/.
 */
import type { Browser, Page } from '@playwright/test';
import type { Relay } from '../../../server/index';
import { expect, joinIn, shot, startWebRelay, test } from './fixtures';

/** Tall enough that a screenshot holds every check: the doctor scrolls inside the window, not the page. */
const TALL = { viewport: { width: 1100, height: 1900 } };
const joinAs = (browser: Browser, url: string, nickname: string) => joinIn(browser, url, nickname, TALL);
const rail = (page: Page) => page.getByRole('navigation', { name: 'Servers' });
const results = (page: Page) => page.getByRole('list', { name: 'Results' });
const check = (page: Page, id: string) => page.locator(`li.diag[data-check="${id}"]`);

async function openDoctorFromSettings(page: Page): Promise<void> {
  await rail(page).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Connection doctor' }).click();
  await expect(page.getByRole('heading', { name: 'Connection doctor' })).toBeVisible();
}

let relays: Relay[] = [];
test.afterEach(async () => {
  await Promise.all(relays.map((r) => r.close()));
  relays = [];
});
const relay = async (options: Parameters<typeof startWebRelay>[0] = {}) => {
  const r = await startWebRelay(options);
  relays.push(r);
  return r;
};

test('a healthy relay: every check a browser can make passes, each shown with its status in words', async ({ browser }) => {
  const a = await relay();
  const page = await joinAs(browser, a.url, 'Ana');
  await openDoctorFromSettings(page);
  await expect(page.getByLabel('Server address')).toHaveValue(a.url);
  await shot(page, 'doctor', '1-before-run');
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page.locator('.doctor-summary')).toHaveText('No problems found.');
  await expect(results(page).getByRole('listitem')).toHaveCount(13);
  await expect(page.locator('li.diag.fail')).toHaveCount(0);
  for (const id of ['url', 'health', 'polling', 'affinity', 'websocket', 'latency', 'clock', 'protocol', 'join-code']) {
    await expect(check(page, id).locator('.diag-status'), id).toHaveText('OK');
  }
  // What a page cannot check says so, in words and not only by its colour.
  await expect(check(page, 'dns').locator('.diag-status')).toHaveText('Not checked');
  await expect(check(page, 'dns').locator('.diag-detail')).toHaveText('A browser cannot check this; the desktop app and `parley-server doctor` can.');
  await expect(check(page, 'websocket').locator('.diag-detail')).toContainText('A WebSocket to ws://');
  await shot(page, 'doctor', '2-healthy', 'web-doctor');
});

test('a stopped relay: the connect error and the banner offer the doctor, which names the failing check', async ({ browser }) => {
  const a = await relay();
  const gone = await startWebRelay({ allowedOrigins: [a.url] });
  const goneUrl = gone.url;
  await gone.close();

  const page = await (await browser.newContext(TALL)).newPage();
  await page.goto(a.url);
  await page.getByLabel('Server address').fill(goneUrl);
  await page.getByLabel('Nickname').fill('Ana');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Cannot reach the server');
  await page.getByRole('button', { name: 'Diagnose the connection' }).click();
  // Opened from the error, it runs at once on the server that failed.
  await expect(page.getByLabel('Server address')).toHaveValue(goneUrl);
  await expect(page.locator('.doctor-summary')).toHaveText('1 check failed.');
  await expect(check(page, 'health').locator('.diag-status')).toHaveText('Failed');
  await expect(check(page, 'health').locator('.diag-detail')).toContainText('Nothing answered at');
  await expect(check(page, 'health')).toContainText('Troubleshooting guide: docs/troubleshooting.md#health');
  await expect(check(page, 'websocket').locator('.diag-status')).toHaveText('Not checked');
  await shot(page, 'doctor', '3-unreachable-from-connect', 'web-doctor-unreachable');
  // Done goes back to the connect screen as it was left.
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByLabel('Server address')).toHaveValue(goneUrl);
  await expect(page.getByLabel('Nickname')).toHaveValue('Ana');

  // A server that goes away while open: the banner offers the doctor too.
  const b = await relay({ allowedOrigins: [a.url] });
  await page.getByLabel('Server address').fill(b.url);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();
  await b.close();
  await page.locator('.banner').getByRole('button', { name: 'Diagnose' }).click();
  await expect(page.getByLabel('Server address')).toHaveValue(b.url);
  await expect(check(page, 'health').locator('.diag-status')).toHaveText('Failed');
  await shot(page, 'doctor', '4-unreachable-from-banner');
});

test("a relay that does not accept this page's origin: the handshake fails with the ALLOWED_ORIGINS hint", async ({ browser }) => {
  const a = await relay();
  const strict = await relay();
  const page = await joinAs(browser, a.url, 'Ana');
  await openDoctorFromSettings(page);
  await page.getByLabel('Server address').fill(strict.url);
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page.locator('.doctor-summary')).not.toHaveText('Checking…');
  await expect(check(page, 'polling').locator('.diag-status')).toHaveText('Failed');
  await expect(check(page, 'polling').locator('.diag-hint')).toContainText(`Add ${a.url} to the relay's ALLOWED_ORIGINS`);
  // The WebSocket is refused for the same reason, and says so rather than blaming a proxy.
  await expect(check(page, 'websocket').locator('.diag-hint')).toHaveText("Add this page's origin to the relay's ALLOWED_ORIGINS.");
  // Another origin's health and clock cannot be read from a page: said, not failed.
  await expect(check(page, 'health').locator('.diag-status')).toHaveText('Not checked');
  await expect(check(page, 'clock').locator('.diag-status')).toHaveText('Not checked');
  await shot(page, 'doctor', '5-origin-refused');
});

test('the copied report, as text and as JSON, holds no join code', async ({ browser }) => {
  const code = 'K7PM2Q';
  const j = await relay({ joinCode: code });
  const context = await browser.newContext(TALL);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: j.url });
  const page = await context.newPage();
  await page.goto(j.url);
  await page.getByLabel('Nickname').fill('Ana');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByLabel('Join code').fill(code);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();

  await openDoctorFromSettings(page);
  // As a parley:// link would carry it: the code in the query, and credentials for good measure.
  await page.getByLabel('Server address').fill(`${j.url.replace('http://', 'http://ana:secret-pw@')}/?code=${code}`);
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page.locator('.doctor-summary')).not.toHaveText('Checking…');
  await expect(check(page, 'join-code').locator('.diag-detail')).toContainText('This relay needs a join code');
  await expect(page.locator('.doctor')).not.toContainText(code);

  await page.getByRole('button', { name: 'Copy report' }).click();
  await expect(page.locator('.doctor button.copy').first()).toHaveText('Copied');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(text).toMatch(/^Parley connection doctor: http:\/\/127\.0\.0\.1:\d+\/ \(.*, from browser\)\n/);
  expect(text).toMatch(/ok {4}join-code {2}This relay needs a join code/);
  await page.getByRole('button', { name: 'Copy JSON' }).click();
  const json = await page.evaluate(() => navigator.clipboard.readText());
  const report = JSON.parse(json) as { url: string; from: string; checks: { id: string }[] };
  expect(report).toMatchObject({ url: `${j.url}/`, from: 'browser' });
  expect(report.checks.map((c) => c.id)).toContain('join-code');
  for (const copied of [text, json]) {
    expect(copied).not.toContain(code);
    expect(copied.toLowerCase()).not.toContain(code.toLowerCase());
    expect(copied).not.toMatch(/secret-pw|ana:|code=/);
  }
  await shot(page, 'doctor', '6-copied');
});

test('the doctor in Arabic: right to left, every word translated', async ({ browser }) => {
  const a = await relay();
  const context = await browser.newContext({ ...TALL, locale: 'ar' });
  const page = await context.newPage();
  await page.goto(a.url);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.locator('#nickname').fill('Ana');
  await page.locator('form.card button[type="submit"]').click();
  await expect(page.locator('#message')).toBeVisible();
  await page.locator('.rail-btn.tool').nth(1).click();
  await page.locator('#settings-connection').locator('xpath=..').getByRole('button').click();
  await expect(page.locator('#doctor-title')).toHaveText('فاحص الاتصال');
  await page.locator('.doctor-form button[type="submit"]').click();
  await expect(page.locator('.doctor-summary')).toHaveText('لم تُعثر على أي مشكلة.');
  await expect(check(page, 'websocket').locator('.diag-status')).toHaveText('سليم');
  await shot(page, 'doctor', '7-arabic', 'web-doctor-ar');
});

test('the notification self-test in a browser: permission, a test notification, and "Did you see it?"', async ({ browser }) => {
  const a = await relay();
  const context = await browser.newContext(TALL);
  await context.grantPermissions(['notifications'], { origin: a.url });
  const page = await context.newPage();
  await page.goto(a.url);
  await page.getByLabel('Nickname').fill('Ana');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();
  await rail(page).getByRole('button', { name: 'Settings' }).click();

  const test = page.locator('.notify-test');
  await expect(test.locator('.notify-permission')).toHaveText('Notifications here: allowed');
  // The page's own Notification is watched, not replaced: what the test sees is what was asked of it.
  await page.evaluate(() => {
    const shown: string[] = [];
    (window as unknown as { shownNotes: string[] }).shownNotes = shown;
    const Original = window.Notification;
    window.Notification = class extends Original {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(`${title} | ${options?.body ?? ''}`);
      }
    } as typeof Notification;
  });
  await test.getByRole('button', { name: 'Send a test notification' }).click();
  await expect(test.getByRole('status')).toContainText('A test notification was sent.');
  expect(await page.evaluate(() => (window as unknown as { shownNotes: string[] }).shownNotes)).toEqual([
    "Parley notification test | If you can read this, Parley's notifications reach you. Click here to check that clicks reach Parley too.",
  ]);
  await expect(test.getByRole('group', { name: 'Did you see it?' })).toBeVisible();
  await shot(page, 'doctor', '8-notification-sent');
  await test.getByRole('button', { name: 'Yes', exact: true }).click();
  await expect(test).toContainText('Notifications work.');
  await expect(test).toContainText('Click the notification to check that clicks reach Parley.');
  await shot(page, 'doctor', '9-notification-seen', 'web-notification-test');
});

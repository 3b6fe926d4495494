/**
 * Flow 14 (issue 25): the connection doctor and the notification self-test in the desktop app. Ana
 * hosts a LAN session and joins it; from Settings the doctor checks her session through the main
 * process (DNS, TCP and the rest, `doctor:run`) and finds nothing wrong; the copied report holds no
 * join code; a server that is gone fails, and its troubleshooting link goes out through the vetted
 * external-link path. The host panel's "Check the network" runs the LAN checks (`doctor:lan`). The
 * notification self-test shows a notification through the harness's stand-in for Electron's, asks
 * whether it was seen, and hears the click.
 */
import type { Page } from '@playwright/test';
import type { Desktop } from '../harness/desktop';
import { expect, expectNoPageErrors, firstRun, joinFromConnect, screens, test } from './support';

const rail = (page: Page) => page.getByRole('navigation', { name: 'Servers' });
const check = (page: Page, id: string) => page.locator(`li.diag[data-check="${id}"]`);

async function hostAndOpen(launch: () => Promise<Desktop>): Promise<{ ana: Desktop; page: Page; code: string; localUrl: string }> {
  const ana = await launch();
  const page = await ana.page();
  // Tall enough that a screenshot holds every check (the screen scrolls inside the window).
  await page.setViewportSize({ width: 1100, height: 1900 });
  await firstRun(page, 'Ana');
  await page.getByLabel('Session name').fill('Doctor visit');
  await page.getByRole('button', { name: 'Start hosting' }).click();
  const hosted = page.getByRole('group', { name: 'Hosted session' });
  await expect(hosted).toContainText('Hosting Doctor visit');
  const code = (await hosted.locator('.join-code').textContent()) ?? '';
  const localUrl = await page.getByLabel('Server address').inputValue();
  await joinFromConnect(page);
  return { ana, page, code, localUrl };
}

test('14a. the doctor from Settings checks the hosted session from the main process; the report copies without its join code', async ({ launch, renderer }) => {
  const shot = screens('14-doctor');
  const { ana, page, code, localUrl } = await hostAndOpen(launch);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: renderer.origin });

  await rail(page).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Connection doctor' }).click();
  await expect(page.getByLabel('Server address')).toHaveValue(localUrl);
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page.locator('.doctor-summary')).not.toHaveText('Checking…', { timeout: 30_000 });
  await expect(page.locator('.doctor')).toContainText('Checked from this computer by the desktop app.');
  await expect(page.locator('li.diag.fail')).toHaveCount(0);
  // What only the main process can check ran, and passed.
  // The hosted session is served over TLS: checked against its own certificate, as the window connects.
  for (const id of ['url', 'dns', 'tcp', 'tls', 'health', 'polling', 'affinity', 'websocket', 'protocol', 'join-code']) {
    await expect(check(page, id).locator('.diag-status'), id).toHaveText('OK');
  }
  await expect(page.locator('.doctor')).not.toContainText(code);
  await shot(page, 'healthy', 'desktop-doctor');

  await page.getByRole('button', { name: 'Copy report' }).click();
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(text).toMatch(/^Parley connection doctor: https:\/\/127\.0\.0\.1:\d+\//);
  expect(text).toMatch(/tls +trusted through the pinned fingerprint/);
  expect(text).toMatch(/join-code/);
  await page.getByRole('button', { name: 'Copy JSON' }).click();
  const json = await page.evaluate(() => navigator.clipboard.readText());
  expect(JSON.parse(json)).toMatchObject({ from: 'desktop', url: `${localUrl}/` });
  for (const copied of [text, json]) expect(copied.toUpperCase()).not.toContain(code);

  // A server that is gone: the failing check is named, and its guide opens in the system browser.
  await page.getByLabel('Server address').fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page.locator('li.diag.fail').first()).toBeVisible({ timeout: 30_000 });
  await expect(check(page, 'tcp').locator('.diag-status')).toHaveText('Failed');
  await shot(page, 'unreachable');
  await check(page, 'tcp').getByRole('button', { name: 'Troubleshooting guide: Connection (TCP)' }).click();
  await expect.poll(() => ana.opened).toEqual(['https://example.invalid/parley/docs/troubleshooting.md#tcp']);
  expectNoPageErrors(ana);
});

test('14b. the host panel checks the network: mDNS both ways, the interfaces, and the session port', async ({ launch }) => {
  const shot = screens('14-lan-checks');
  const { ana, page } = await hostAndOpen(launch);
  await rail(page).getByRole('button', { name: 'Add a server' }).click();
  const host = page.locator('section[aria-labelledby="host-title"]');
  await host.getByRole('button', { name: 'Check the network' }).click();
  const results = host.getByRole('list', { name: 'Network checks' });
  await expect(results.getByRole('listitem')).toHaveCount(5, { timeout: 20_000 });
  await expect(check(page, 'mdns-browse')).toContainText('Found 1 Parley session: Doctor visit (this computer).');
  await expect(check(page, 'mdns-advertise').locator('.diag-status')).toHaveText('OK');
  await expect(check(page, 'interfaces')).toContainText('mDNS uses 127.0.0.1 only (PARLEY_MDNS_INTERFACE).');
  await expect(check(page, 'host-port').locator('.diag-status')).toHaveText('OK');
  // Alone on the network: the multicast hint says what it would mean if someone else were hosting.
  await expect(check(page, 'multicast').locator('.diag-status')).toHaveText('Warning');
  await expect(check(page, 'multicast').getByRole('button', { name: 'Troubleshooting guide: Multicast' })).toBeVisible();
  await shot(page, 'results', 'desktop-lan-checks');
  expectNoPageErrors(ana);
});

test('14c. the notification self-test: shown through the notification path, "Did you see it?", and the click comes back', async ({ launch }) => {
  const shot = screens('14-notification-test');
  const { ana, page } = await hostAndOpen(launch);
  await rail(page).getByRole('button', { name: 'Settings' }).click();
  const selfTest = page.locator('.notify-test');
  const before = ana.notifications.length;
  await selfTest.getByRole('button', { name: 'Send a test notification' }).click();
  await expect(selfTest.locator('.notify-permission')).toHaveText('Notifications here: supported by this system');
  await expect.poll(() => ana.notifications.length).toBe(before + 1);
  // Shown although the window has focus: the person asked for it.
  expect(ana.notifications.at(-1)?.options).toEqual({
    title: 'Parley notification test',
    body: "If you can read this, Parley's notifications reach you. Click here to check that clicks reach Parley too.",
    silent: false,
  });
  await expect(selfTest.getByRole('group', { name: 'Did you see it?' })).toBeVisible();
  await expect(selfTest).toContainText('Click the notification to check that clicks reach Parley.');
  await shot(page, 'sent');
  await selfTest.getByRole('button', { name: 'No', exact: true }).click();
  await expect(selfTest).toContainText("It did not reach you. Check your system's notification settings for Parley");
  ana.notifications.at(-1)!.click();
  await expect(selfTest).toContainText('Your click on the notification reached Parley.');
  await shot(page, 'clicked', 'desktop-notification-test');
  expectNoPageErrors(ana);
});

/**
 * A browser joining a LAN session served over TLS (docs/lan-tls.md). A browser has no pin store:
 * the person accepted the self-signed certificate's warning, and the invite's address carries the
 * fingerprint (`#fp=`), against which the web client proves the join code, and which the page shows
 * for the person to compare with the certificate their browser accepted. The code is never sent; a
 * page cannot see the certificate, so a man in the middle the person clicked through is caught by
 * that comparison only (the desktop app checks the certificate itself: test/desktop/flows/lan-tls.spec.ts).
 */
import { test, expect, startWebRelay, shot } from './fixtures';
import type { Browser, Page } from '@playwright/test';
import type { Relay } from '../../../server/index';
import type { TlsIdentity } from '../../../server/tls/certificate';
import { identity, manInTheMiddle, type Mitm } from '../../helpers/tls';
import { displayFingerprint } from '../../../protocol/tls';

const CODE = 'K7M2QX';
let host: TlsIdentity;
let relay: Relay;
let mitm: Mitm | undefined;

test.beforeAll(async () => {
  host = await identity('browser-host');
  relay = await startWebRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE });
});
test.afterAll(async () => {
  await mitm?.close();
  await relay?.close();
});

/** Opens `url` as someone who accepted the certificate warning, and tries to join with the code. */
async function joinWithCode(browser: Browser, url: string, nickname: string): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Nickname').fill(nickname);
  await page.getByRole('button', { name: 'Join' }).click();
  // The session asks for its code first; the form then shows the field.
  await page.getByLabel('Join code').fill(CODE.toLowerCase());
  await page.getByRole('button', { name: 'Join' }).click();
  return page;
}

test('the invite address joins: the code is proved against the certificate in its link', async ({ browser }) => {
  const page = await joinWithCode(browser, `${relay.url}/#fp=${host.fingerprint}`, 'Ana');
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();
  await shot(page, 'lan-tls', 'browser-joined');
});

test('through a man in the middle the code never crosses; the page shows the fingerprint to compare, since it cannot see the certificate', async ({ browser }) => {
  mitm = await manInTheMiddle(relay.port!, await identity('browser-intruder'));
  // The invite names the host's certificate; the person clicked through the intruder's. A page cannot
  // tell (the intruder serves the page itself): what protects a browser is comparing the fingerprint
  // the page shows with the one in the browser's certificate details, and the code is safe either way.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(`${mitm.url}/#fp=${host.fingerprint}`);
  await expect(page.locator('.check-fingerprint')).toContainText(displayFingerprint(host.fingerprint));
  await shot(page, 'lan-tls', 'browser-check-fingerprint', 'lan-tls-browser-check');
  await page.getByLabel('Nickname').fill('Ben');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByLabel('Join code').fill(CODE);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();
  expect(mitm.seen()).toContain('/pair');
  expect(mitm.seen()).not.toContain(CODE);
});

test('without the invite’s fingerprint the code is not sent at all, and the page says what to open', async ({ browser }) => {
  const page = await joinWithCode(browser, `${relay.url}/`, 'Cy');
  await expect(page.getByRole('alert')).toContainText('open the invite link');
  await expect(page.getByLabel('Message', { exact: true })).toHaveCount(0);
});

/**
 * Flow 15, a LAN session over TLS (docs/lan-tls.md), between desktops whose every TLS connection is
 * decided by the app's own certificate hook (the harness shows it real certificates: harness/cert-verifier.ts).
 * Ana hosts: the invite shows the fingerprint and a QR code. Ben joins from discovery, proves the code
 * and pins the certificate. Cy meets a man in the middle twice: with the intruder's fingerprint (the
 * code fails, and is never sent) and with the host's (the main process finds the intruder's
 * certificate on its own connection, sends nothing, and says so; the window never meets it). Ana makes a new certificate and hosts again at the same address: Ben's app refuses it until
 * he trusts it, shown both fingerprints, and the code proves the new one.
 */
import type { Page } from '@playwright/test';
import { displayFingerprint } from '../../../protocol/tls';
import { identity, manInTheMiddle, type Mitm } from '../../helpers/tls';
import type { Desktop } from '../harness/desktop';
import { expect, expectNoPageErrors, firstRun, joinFromConnect, messageBox, say, messages, screens, test } from './support';

test.describe.configure({ mode: 'serial' });

const SESSION = 'Secure review';
const found = (page: Page) => page.getByRole('list', { name: 'Sessions on this network' }).getByRole('button', { name: new RegExp(SESSION) });
const pins = (page: Page) => page.evaluate(() => (window as unknown as { parley: { listPinnedCertificates(): Promise<{ origin: string; fingerprint: string }[]> } }).parley.listPinnedCertificates());
const hex = (shown: string | null) => (shown ?? '').replace(/:/g, '').toLowerCase();

let mitm: Mitm | undefined;
test.afterAll(async () => {
  await mitm?.close();
});

async function host(page: Page): Promise<{ code: string; fingerprint: string; url: string }> {
  const hosted = page.getByRole('group', { name: 'Hosted session' });
  await expect(hosted).toContainText(`Hosting ${SESSION}`);
  const invite = page.getByRole('group', { name: 'Invite' });
  await expect(invite.getByRole('img', { name: 'QR code of the invite link' })).toBeVisible();
  return {
    code: (await hosted.locator('.join-code').textContent()) ?? '',
    fingerprint: hex(await invite.locator('.fingerprint').textContent()),
    url: await page.getByLabel('Server address').inputValue(),
  };
}

test('15. encrypted LAN session: invite, pin on first use, a man in the middle refused, a new certificate re-trusted', async ({ launch }) => {
  const shot = screens('15-lan-tls');
  const ana: Desktop = await launch();
  const ben: Desktop = await launch();
  const anaPage = await ana.page();
  const benPage = await ben.page();
  await firstRun(anaPage, 'Ana');
  await firstRun(benPage, 'Ben');

  // Ana hosts; the invite carries the certificate's fingerprint, as text and in the QR code's link.
  await anaPage.getByLabel('Session name').fill(SESSION);
  await anaPage.getByRole('button', { name: 'Start hosting' }).click();
  const first = await host(anaPage);
  expect(first.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  await expect(anaPage.getByRole('group', { name: 'Invite' })).toContainText(displayFingerprint(first.fingerprint));
  await anaPage.getByRole('group', { name: 'Invite' }).getByRole('img').scrollIntoViewIfNeeded();
  await shot(anaPage, 'invite', 'desktop-invite');
  await joinFromConnect(anaPage);

  // Ben finds it (the record carries the fingerprint), proves the code, and the certificate is pinned.
  await expect(found(benPage)).toBeVisible({ timeout: 20_000 });
  await found(benPage).click();
  await joinFromConnect(benPage, { code: first.code });
  // Pinned for the host (this computer's certificate), whatever port its sessions use.
  expect(await pins(benPage)).toEqual([{ origin: 'https://127.0.0.1', fingerprint: first.fingerprint, pinnedAt: expect.any(Number) }]);
  expect(ben.certificateChecks.filter((c) => c.port === Number(new URL(first.url).port))).toEqual(expect.arrayContaining([expect.objectContaining({ procResult: 0, decision: 'accept' })]));
  await say(benPage, 'Encrypted hello');
  await expect(messages(anaPage, '#lobby')).toContainText('Encrypted hello');

  // Cy is sent a forged invite: the intruder's address and certificate, with the real code.
  const intruder = await identity('flow-intruder');
  mitm = await manInTheMiddle(Number(new URL(first.url).port), intruder);
  const forged = `parley://join?url=${encodeURIComponent(mitm.url)}&code=${first.code}&fp=${intruder.fingerprint}`;
  const cy = await launch({ args: [forged] });
  const cyPage = await cy.page();
  await firstRun(cyPage, 'Cy');
  await expect(cyPage.getByLabel('Server address')).toHaveValue(mitm.url);
  await cyPage.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(cyPage.getByRole('alert')).toContainText('this is not the host you were invited to');
  await shot(cyPage, 'forged-invite', 'desktop-mitm-refused');
  expect(mitm.seen()).not.toContain(first.code);
  expect(await pins(cyPage)).toEqual([]);

  // Then an invite with the host's real fingerprint, still through the intruder: his certificate is refused outright.
  const honest = `parley://join?url=${encodeURIComponent(mitm.url)}&code=${first.code}&fp=${first.fingerprint}`;
  // A second launch with the link hands it to the running app, as the OS does with a clicked link.
  const second = await launch({ userData: cy.userData, args: [honest] });
  await second.app.whenQuit;
  await expect(cyPage.getByLabel('Server address')).toHaveValue(mitm.url);
  await cyPage.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(cyPage.locator('form [role="alert"]')).toContainText('showed another certificate than the one expected');
  const refused = cyPage.locator('.certificate-refused');
  await expect(refused).toContainText('it showed a certificate you never trusted');
  await expect(refused).toContainText(displayFingerprint(intruder.fingerprint));
  await expect(messageBox(cyPage)).toHaveCount(0);
  await shot(cyPage, 'intruder-refused', 'desktop-certificate-refused');

  // Then Ana's own invite (the link her host panel shows and its QR code carries): Cy joins.
  const invite = `parley://join?url=${encodeURIComponent(first.url)}&code=${first.code}&fp=${first.fingerprint}`;
  const third = await launch({ userData: cy.userData, args: [invite] });
  await third.app.whenQuit;
  await expect(cyPage.getByLabel('Server address')).toHaveValue(first.url);
  await cyPage.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(messageBox(cyPage)).toBeVisible();
  await expect(messages(cyPage, '#lobby')).toContainText('Encrypted hello');

  // Ana makes a new certificate and hosts again at the same address (same port).
  const port = Number(new URL(first.url).port);
  await mitm.close();
  mitm = undefined;
  await anaPage.evaluate(async () => (window as unknown as { parley: { stopHosting(): Promise<void> } }).parley.stopHosting());
  const rotated = await anaPage.evaluate(async () => (window as unknown as { parley: { rotateCertificate(): Promise<{ fingerprint: string }> } }).parley.rotateCertificate());
  const again = await anaPage.evaluate(
    async (p) => (window as unknown as { parley: { hostSession(o: object): Promise<{ joinCode: string; fingerprint: string; localUrl: string }> } }).parley.hostSession({ name: 'Secure review', lan: true, port: p }),
    port,
  );
  expect(again.fingerprint).toBe(rotated.fingerprint);
  expect(again.localUrl).toBe(first.url);

  // Ben's app reconnects on its own, and refuses the new certificate: it is not the one he pinned.
  await expect(benPage.locator('.certificate-refused')).toContainText(displayFingerprint(rotated.fingerprint), { timeout: 30_000 });
  await shot(benPage, 'pin-refused');

  // He dismisses it, signs out and joins again from discovery: both fingerprints are shown before anything is trusted.
  await benPage.locator('.certificate-refused').getByRole('button', { name: 'Dismiss' }).click();
  await benPage.getByRole('button', { name: 'Sign out' }).click();
  await expect(found(benPage)).toBeVisible({ timeout: 20_000 });
  await found(benPage).click();
  await benPage.getByLabel('Join code').fill(again.joinCode);
  await benPage.getByRole('button', { name: 'Join', exact: true }).click();
  const warning = benPage.getByRole('alertdialog', { name: 'This host’s certificate has changed' });
  await expect(warning).toContainText(displayFingerprint(first.fingerprint));
  await expect(warning).toContainText(displayFingerprint(rotated.fingerprint));
  await shot(benPage, 'certificate-changed', 'desktop-certificate-changed');
  await warning.getByRole('button', { name: 'Trust the new certificate and join' }).click();
  await expect(messageBox(benPage)).toBeVisible();
  expect(await pins(benPage)).toEqual([{ origin: 'https://127.0.0.1', fingerprint: rotated.fingerprint, pinnedAt: expect.any(Number) }]);

  // The pin store is part of the settings: Ben sees the host he trusts, and can forget it.
  await benPage.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: 'Settings' }).click();
  const trusted = benPage.getByRole('list', { name: 'Trusted LAN hosts' });
  await expect(trusted).toContainText('127.0.0.1');
  await expect(trusted).toContainText(displayFingerprint(rotated.fingerprint));
  await trusted.scrollIntoViewIfNeeded();
  await shot(benPage, 'trusted-hosts', 'desktop-trusted-hosts');
  await trusted.getByRole('button', { name: 'Forget the certificate of 127.0.0.1' }).click();
  await expect(benPage.getByRole('region', { name: 'Trusted LAN hosts' })).toContainText('None yet.');
  expect(await pins(benPage)).toEqual([]);
  expectNoPageErrors(ana);
});

/**
 * Read receipts in the web client (issue 22): a DM's marks go Sent → Delivered → Read; a room message
 * shows "Seen by N" with the names; a conversation opened after others wrote in it shows a
 * "New messages" divider where the reader left off; and a user's second browser clears its unread
 * count when the first one reads.
 */
import type { Page } from '@playwright/test';
import { joinAs, send, test, expect, startWebRelay } from './fixtures';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/e2e/receipts/${name}.png` });
const lastOwnMark = (page: Page) => page.locator('.msg.own .delivery').last();

test('DM marks, "Seen by" in a room, and the new-messages divider', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    const ben = await joinAs(browser, relay.url, 'Ben');
    const cy = await joinAs(browser, relay.url, 'Cy');

    // The room: Ben and Cy have the lobby open, so both read Ana's message.
    await send(ana, 'Standup moved to 10:30');
    await expect(lastOwnMark(ana)).toHaveText('Seen by 2');
    await expect(lastOwnMark(ana)).toHaveAccessibleName(/Seen by 2: (Ben, Cy|Cy, Ben)/);
    await shot(ana, '1-seen-by');

    // A DM to Ben while he is in another room: delivered (his page has it), not read.
    await ben.getByLabel('Join or create a room').fill('ops');
    await ben.getByRole('button', { name: 'Join room' }).click();
    await expect(ben.getByRole('heading', { name: '#ops' })).toBeVisible();
    await ana.getByRole('button', { name: 'Message Ben directly' }).click();
    await send(ana, 'Got a minute?');
    await expect(lastOwnMark(ana)).toHaveText('Delivered');
    await shot(ana, '2-dm-delivered');
    await ben.getByRole('button', { name: /^Ana/ }).click();
    await expect(ben.getByRole('log')).toContainText('Got a minute?');
    await expect(lastOwnMark(ana)).toHaveText('Read');
    await shot(ana, '3-dm-read');

    // Cy leaves the lobby for #ops; two messages arrive; back in the lobby, the divider marks them.
    await cy.getByLabel('Join or create a room').fill('ops');
    await cy.getByRole('button', { name: 'Join room' }).click();
    await expect(cy.getByRole('heading', { name: '#ops' })).toBeVisible();
    await ana.getByRole('button', { name: /#lobby/ }).click();
    await send(ana, 'First after you left');
    await send(ana, 'Second after you left');
    await expect(cy.getByRole('button', { name: /#lobby/ }).getByLabel('2 unread')).toBeVisible();
    await cy.getByRole('button', { name: /#lobby/ }).click();
    const divider = cy.getByRole('separator', { name: 'New messages' });
    await expect(divider).toBeVisible();
    // The divider sits right before the first message Cy had not seen.
    await expect(cy.locator('.new-divider + .msg')).toContainText('First after you left');
    await shot(cy, '4-new-messages-divider');
  } finally {
    await relay.close();
  }
});

test("a user's second browser clears its unread count when the first one reads", async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const laptop = await joinAs(browser, relay.url, 'Dee');
    const key = await laptop.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('parley:key:'))?.[1]);
    expect(key).toBeTruthy();
    // The same identity in a second browser profile (as a second device would have it; stored as JSON, as the page stores it).
    const context = await browser.newContext();
    await context.addInitScript(([origin, k]) => localStorage.setItem(`parley:key:${origin}`, k), [new URL(relay.url).origin, key!] as const);
    const phone = await context.newPage();
    await phone.goto(relay.url);
    await phone.getByLabel('Nickname').fill('Dee');
    await phone.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(phone.getByLabel('Message', { exact: true })).toBeVisible();

    // The laptop is in another room; Eve writes in the lobby: both of Dee's browsers count it.
    await laptop.getByLabel('Join or create a room').fill('ops');
    await laptop.getByRole('button', { name: 'Join room' }).click();
    await phone.getByLabel('Join or create a room').fill('ops');
    await phone.getByRole('button', { name: 'Join room' }).click();
    const eve = await joinAs(browser, relay.url, 'Eve');
    await send(eve, 'Lobby news');
    const lobbyBadge = (page: Page) => page.getByRole('button', { name: /#lobby/ }).getByLabel('1 unread');
    await expect(lobbyBadge(laptop)).toBeVisible();
    await expect(lobbyBadge(phone)).toBeVisible();
    await expect(phone).toHaveTitle('(1) Parley');

    // Dee reads it on the laptop; the phone's badge and title clear by themselves.
    await laptop.getByRole('button', { name: /#lobby/ }).click();
    await expect(lobbyBadge(phone)).toHaveCount(0);
    await expect(phone).toHaveTitle('Parley');
    await shot(phone, '5-cleared-on-the-other-device');
  } finally {
    await relay.close();
  }
});

test('"Send read receipts" off: the other person sees Delivered, never Read', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    const ben = await joinAs(browser, relay.url, 'Ben');
    await ben.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: 'Settings' }).click();
    await ben.getByLabel('Send read receipts').uncheck();
    await shot(ben, '6-privacy-setting');
    await ben.getByRole('button', { name: 'Done' }).click();

    await ana.getByRole('button', { name: 'Message Ben directly' }).click();
    await send(ana, 'Private reader?');
    await expect(lastOwnMark(ana)).toHaveText('Delivered');
    await ben.getByRole('button', { name: /^Ana/ }).click();
    await expect(ben.getByRole('log')).toContainText('Private reader?');
    // Ben has read it; his badge is clear; Ana is not told.
    await expect(ben.getByRole('button', { name: /^Ana/ }).getByLabel(/unread/)).toHaveCount(0);
    await send(ana, 'Still there?');
    await expect(ben.getByRole('log')).toContainText('Still there?');
    await expect(lastOwnMark(ana)).toHaveText('Delivered');
    await expect(ana.locator('.msg.own .delivery', { hasText: 'Read' })).toHaveCount(0);
    await shot(ana, '7-delivered-not-read');
  } finally {
    await relay.close();
  }
});

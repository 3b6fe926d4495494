/** The web client as people use it: chatting, typing, participants, rooms, DMs, unread counts, markdown. */
import { test, expect, startWebRelay, joinAs, send } from './fixtures';

test('two users chat, see each other typing and in the participant list', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    const bob = await joinAs(browser, relay.url, 'Bob');
    await expect(ana.getByRole('heading', { name: 'Participants (2)' })).toBeVisible();
    await expect(ana.getByRole('log')).toContainText('Bob joined');

    await bob.getByLabel('Message', { exact: true }).pressSequentially('hel');
    await expect(ana.getByText('Bob is typing…')).toBeVisible();
    await bob.getByLabel('Message', { exact: true }).pressSequentially('lo **Ana**');
    await bob.getByLabel('Message', { exact: true }).press('Enter');
    await expect(ana.getByRole('log')).toContainText('hello Ana');
    await expect(ana.locator('.msg strong', { hasText: 'Ana' })).toBeVisible();
    await expect(ana.getByText('Bob is typing…')).toBeHidden();
    // Own message: distinct, acknowledged, and read by Ana, who has the lobby open.
    await expect(bob.locator('.msg.own').last()).toContainText('Seen by 1');

    // Shift+Enter is a new line, Enter sends; code blocks render as code.
    const box = ana.getByLabel('Message', { exact: true });
    await box.fill('line one');
    await box.press('Shift+Enter');
    await box.pressSequentially('line two');
    await box.press('Enter');
    await expect(bob.locator('.msg').last()).toContainText('line one');
    await expect(bob.locator('.msg').last().locator('br')).toHaveCount(1);
    await send(ana, '```\nconst x = 1;\n```');
    await expect(bob.locator('.msg pre code').last()).toHaveText('const x = 1;');

    await bob.close();
    await expect(ana.getByRole('heading', { name: 'Participants (1)' })).toBeVisible();
    await expect(ana.getByRole('log')).toContainText('Bob left');
  } finally {
    await relay.close();
  }
});

test('rooms: create, join, isolation, unread badges, leave', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    const bob = await joinAs(browser, relay.url, 'Bob');
    await ana.getByLabel('Join or create a room').fill('Design Review');
    await ana.getByRole('button', { name: 'Join room' }).click();
    await expect(ana.getByRole('heading', { name: '#design-review', level: 1 })).toBeVisible();
    await bob.getByLabel('Join or create a room').fill('design-review');
    await bob.getByRole('button', { name: 'Join room' }).click();
    await expect(bob.getByRole('heading', { name: 'Participants (2)' })).toBeVisible();

    // Bob looks at the lobby; a message in #design-review shows as unread there.
    await bob.getByRole('button', { name: '#lobby' }).click();
    await send(ana, 'only for reviewers');
    await expect(bob.getByRole('button', { name: /#design-review/ }).getByLabel('1 unread')).toBeVisible();
    await expect(bob.getByRole('log')).not.toContainText('only for reviewers');
    await bob.getByRole('button', { name: /#design-review/ }).click();
    await expect(bob.getByRole('log')).toContainText('only for reviewers');
    await expect(bob.getByLabel('1 unread')).toHaveCount(0);

    await bob.getByRole('button', { name: 'Leave #design-review' }).click();
    await expect(bob.getByRole('heading', { name: '#lobby', level: 1 })).toBeVisible();
    await expect(ana.getByRole('heading', { name: 'Participants (1)' })).toBeVisible();
  } finally {
    await relay.close();
  }
});

test('direct messages reach only the two people', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    const ana = await joinAs(browser, relay.url, 'Ana');
    const bob = await joinAs(browser, relay.url, 'Bob');
    const cy = await joinAs(browser, relay.url, 'Cy');
    await ana.getByRole('button', { name: 'Message Bob directly' }).click();
    await expect(ana.getByRole('heading', { name: 'Bob', level: 1 })).toBeVisible();
    await send(ana, 'just between us');
    await expect(bob.getByRole('button', { name: /Ana/ }).getByLabel('1 unread')).toBeVisible();
    await bob.getByRole('button', { name: /^Ana/ }).click();
    await expect(bob.getByRole('log')).toContainText('just between us');
    await send(bob, 'agreed');
    await expect(ana.getByRole('log')).toContainText('agreed');
    await expect(cy.getByRole('navigation', { name: 'Conversations' })).not.toContainText('Ana');
    await expect(cy.getByRole('log')).not.toContainText('just between us');
  } finally {
    await relay.close();
  }
});

test('the connect screen explains a taken nickname, an invalid one and an unreachable server', async ({ browser }) => {
  const relay = await startWebRelay();
  try {
    await joinAs(browser, relay.url, 'Ana');
    const page = await (await browser.newContext()).newPage();
    await page.goto(relay.url);
    await expect(page.getByLabel('Server address')).toHaveValue(relay.url);
    await page.getByLabel('Nickname').fill('ANA');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect(page.getByRole('alert')).toContainText('nickname is taken');
    await page.getByLabel('Nickname').fill('   ');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect(page.getByRole('alert')).toContainText('empty');
    await page.getByLabel('Server address').fill('http://127.0.0.1:9');
    await page.getByLabel('Nickname').fill('Zed');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect(page.getByRole('alert')).toContainText('Cannot reach the server');
  } finally {
    await relay.close();
  }
});

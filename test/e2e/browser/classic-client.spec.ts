/**
 * The classic chat example's protocol from a real browser: a jQuery client with no knowledge of
 * Parley, loading /socket.io/socket.io.js from the relay, chats with another classic client and with
 * a Parley web-client user in the lobby.
 */
import { mkdtempSync, cpSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLIENT_DIR, test, expect, joinAs, send, startWebRelay } from './fixtures';

/** The built Parley web client at /, the classic client at /classic/: one relay, one origin. */
function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'classic-site-'));
  cpSync(CLIENT_DIR, dir, { recursive: true });
  cpSync(resolve('test/fixtures/classic-client'), join(dir, 'classic'), { recursive: true });
  copyFileSync(resolve('node_modules/jquery/dist/jquery.min.js'), join(dir, 'classic', 'jquery.min.js'));
  return dir;
}

test('the unchanged classic client chats through the relay, with a Parley user alongside', async ({ browser }) => {
  const relay = await startWebRelay({ staticDir: site() });
  try {
    const pageA = await (await browser.newContext()).newPage();
    const pageB = await (await browser.newContext()).newPage();
    const transports: string[] = [];
    pageA.on('request', (r) => transports.push(new URL(r.url()).searchParams.get('transport') ?? ''));
    await pageA.goto(`${relay.url}/classic/index.html`);
    await pageA.locator('.usernameInput').fill('ana');
    await pageA.locator('.usernameInput').press('Enter');
    await expect(pageA.locator('.participants')).toHaveText("there's 1 participant");
    // Like the classic example, it starts with HTTP long-polling.
    expect(transports).toContain('polling');

    await pageB.goto(`${relay.url}/classic/index.html`);
    await pageB.locator('.usernameInput').fill('bob');
    await pageB.locator('.usernameInput').press('Enter');
    await expect(pageB.locator('.participants')).toHaveText('there are 2 participants');
    await expect(pageA.locator('.messages')).toContainText('bob joined');
    await expect(pageA.locator('.participants')).toHaveText('there are 2 participants');

    // The classic client clears "is typing" 400 ms after the last key, a window a busy machine can
    // miss between two polls: record the line the moment it appears instead of polling for it.
    const sawTyping = pageA.evaluate(
      () =>
        new Promise<string>((resolveTyping) => {
          const check = () => {
            const line = document.querySelector('.typing')?.textContent?.trim();
            if (line) {
              observer.disconnect();
              resolveTyping(line);
            }
          };
          const observer = new MutationObserver(check);
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
          check();
        }),
    );
    await pageB.locator('.inputMessage').pressSequentially('hi');
    expect(await sawTyping).toBe('bob is typing');
    await pageB.locator('.inputMessage').press('Enter');
    await expect(pageA.locator('.messages')).toContainText('bob: hi');
    await expect(pageA.locator('.typing')).toHaveCount(0);

    // A Parley user joins the same lobby from the web client.
    const parley = await joinAs(browser, relay.url, 'Cy');
    await expect(pageA.locator('.messages')).toContainText('Cy joined');
    await expect(pageA.locator('.participants')).toHaveText('there are 3 participants');
    await send(parley, 'hello classic friends');
    await expect(pageA.locator('.messages')).toContainText('Cy: hello classic friends');
    await pageA.locator('.inputMessage').fill('hello Cy');
    await pageA.locator('.inputMessage').press('Enter');
    await expect(parley.getByRole('log')).toContainText('hello Cy');

    await pageB.close();
    await expect(pageA.locator('.messages')).toContainText('bob left');
    await expect(pageA.locator('.participants')).toHaveText('there are 2 participants');
    await expect(parley.getByRole('complementary', { name: 'Participants (2)' })).toBeVisible();
  } finally {
    await relay.close();
  }
});

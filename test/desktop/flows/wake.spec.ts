/**
 * Flow 10: the laptop sleeps through part of a conversation. Its connection dies without a word (a
 * proxy freezes it, both ways, no close), Ben talks on; when the lid opens (powerMonitor 'resume')
 * Ana's window catches up at once, not at the next missed heartbeat 20–45 s later (the relay runs
 * Socket.IO's default heartbeat, server/options.ts).
 */
import { createRelay, type Relay } from '../../../server/index';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { TcpCut } from '../../helpers/tcp-cut';
import { expect, expectNoPageErrors, firstRun, joinFromConnect, messages, screens, test } from './support';

/** Caught up within this long of the freeze: the heartbeat could not have done it (it takes 20 s at least). */
const WELL_BEFORE_HEARTBEAT_MS = 12_000;

let relay: Relay;
let network: TcpCut;
let ben: ChatClient;

test.beforeAll(async ({ renderer }) => {
  relay = await createRelay({ port: 0, host: '127.0.0.1', allowedOrigins: [renderer.origin], shutdownGraceMs: 20 });
  network = await TcpCut.start(relay.port!);
});

test.afterAll(async () => {
  ben?.close();
  await network?.close();
  await relay?.close();
});

const say = (text: string) => {
  expect(ben.send(text)).toBeNull();
};

test('10. after a sleep the window catches up as soon as the computer wakes', async ({ launch }) => {
  const shot = screens('10-wake');
  const ana = await launch();
  const page = await ana.page();
  await firstRun(page, 'Ana');
  await joinFromConnect(page, { server: `http://127.0.0.1:${network.port}` });
  ben = new ChatClient({ url: relay.url, nickname: 'Ben', key: newUserKey(), transports: ['websocket'] });
  await ben.start();
  say('Standup in five minutes');
  await expect(messages(page, '#lobby')).toContainText('Standup in five minutes');

  // The lid closes: Ana's connection goes silent and nobody tells her window.
  network.freeze();
  const slept = Date.now();
  say('Moved to room 2');
  say('Bring the roadmap');
  await expect.poll(() => ben.outbox.queuedCount).toBe(0);
  await expect(page.locator('.banner')).toHaveCount(0);
  await expect(messages(page, '#lobby')).not.toContainText('Bring the roadmap');
  await shot(page, 'asleep-unaware');

  // The lid opens.
  ana.powerMonitor.emit('resume');
  await expect(messages(page, '#lobby')).toContainText('Bring the roadmap', { timeout: WELL_BEFORE_HEARTBEAT_MS - (Date.now() - slept) });
  await expect(messages(page, '#lobby')).toContainText('Moved to room 2');
  expect(Date.now() - slept).toBeLessThan(WELL_BEFORE_HEARTBEAT_MS);
  await shot(page, 'caught-up', 'desktop-wake');
  expectNoPageErrors(ana);
});

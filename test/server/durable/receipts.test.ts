/**
 * Read positions survive a restart of a relay with a data folder (issue 22): a host that quits and
 * hosts again still knows where each user had read to.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createRelay, type Relay } from '../../../server/index';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { until } from '../../helpers/clients';

const dirs: string[] = [];
const relays: Relay[] = [];
const clients: ChatClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(relays.splice(0).map((r) => r.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function relayOn(dataDir: string): Promise<Relay> {
  const relay = await createRelay({ port: 0, host: '127.0.0.1', dataDir, shutdownGraceMs: 10, presenceFlushMs: 10 });
  relays.push(relay);
  return relay;
}

function client(url: string, nickname: string, key = newUserKey()): ChatClient {
  const c = new ChatClient({ url, nickname, key, ackTimeoutMs: 3000 });
  clients.push(c);
  return c;
}

it('read positions and unread counts survive a restart on the same data folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-receipts-'));
  dirs.push(dir);
  const key = newUserKey();
  let relay = await relayOn(dir);
  const ana = client(relay.url, 'Ana', key);
  const ben = client(relay.url, 'Ben');
  await ana.start();
  await ben.start();
  ben.send('one');
  await until(() => ana.unread.get('lobby') === 0 && ana.reads.readPosition('lobby') === ana.conversation('lobby')!.timeline.syncedSeq && ana.reads.readPosition('lobby') > 0, 5000, 'Ana read it');
  const read = ana.reads.readPosition('lobby');
  ana.close();
  ben.send('two');
  ben.send('three');
  await until(() => ben.outbox.queuedCount === 0);
  for (const c of clients.splice(0)) c.close();
  await relays.splice(0)[0]!.close();

  relay = await relayOn(dir);
  const again = client(relay.url, 'Ana', key);
  again.setViewing(false);
  await again.start();
  expect(again.reads.readPosition('lobby')).toBe(read);
  expect(again.unread.get('lobby')).toBe(2);
});

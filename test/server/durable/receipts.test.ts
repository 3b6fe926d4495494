/**
 * Read positions survive a restart of a relay with a data folder (issue 22): a host that quits and
 * hosts again still knows where each user had read to.
 */
import { expect, it } from 'vitest';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { until } from '../../helpers/clients';
import { useDataDirs } from '../../helpers/data-dirs';

const { dir: newDir, relayOn, stop, track } = useDataDirs({ presenceFlushMs: 10 });

function client(url: string, nickname: string, key = newUserKey()): ChatClient {
  return track(new ChatClient({ url, nickname, key, ackTimeoutMs: 3000 }));
}

it('read positions and unread counts survive a restart on the same data folder', async () => {
  const dir = newDir('parley-receipts-');
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
  ben.close();
  await stop(relay);

  relay = await relayOn(dir);
  const again = client(relay.url, 'Ana', key);
  again.setViewing(false);
  await again.start();
  expect(again.reads.readPosition('lobby')).toBe(read);
  expect(again.unread.get('lobby')).toBe(2);
});

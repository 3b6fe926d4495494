/**
 * Edits and deletions on a two-instance Redis deployment (issue 23): a change made through one
 * instance reaches clients of the other live and by catch-up, and a deleted message's words are in
 * no key of Redis afterwards (stream, change overlay, idempotency records).
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { until } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { useRedisSuite } from '../../helpers/redis-suite';
import { held, texts } from '../../helpers/timeline';

const { redis, relays } = useRedisSuite();
const clients: ChatClient[] = [];

function client(url: string, nickname: string, key = newUserKey()): ChatClient {
  const c = new ChatClient({ url, nickname, key, ackTimeoutMs: 3000, transports: ['websocket'] });
  clients.push(c);
  return c;
}


/** Every value Redis holds, as one text. */
async function everything(url: string): Promise<string> {
  const r = new Redis(url);
  try {
    const out: string[] = [];
    for (const key of await r.keys('*')) {
      const type = await r.type(key);
      if (type === 'string') out.push((await r.get(key)) ?? '');
      else if (type === 'stream') out.push(JSON.stringify(await r.xrange(key, '-', '+')));
      else if (type === 'zset') out.push(JSON.stringify(await r.zrange(key, 0, -1)));
      else if (type === 'hash') out.push(JSON.stringify(await r.hgetall(key)));
      else if (type === 'set') out.push(JSON.stringify(await r.smembers(key)));
    }
    return out.join('\n');
  } finally {
    r.disconnect();
  }
}

describe('edits across instances', () => {
  it('a change made on one instance reaches the other live and by catch-up; deleted words leave Redis', async () => {
    try {
      const a = await redisRelay(redis().url);
      const b = await redisRelay(redis().url);
      relays.push(a, b);
      const ana = client(a.url, 'Ana');
      const benKey = newUserKey();
      let ben = client(b.url, 'Ben', benKey);
      await ana.start();
      await ben.start();
      ana.send('meet in room 4');
      ana.send('the wifi password is swordfish');
      await until(() => texts(ben).length === 2, 10_000, 'delivered');

      expect(await ana.editing.edit(held(ana, 'meet in room 4'), 'meet in room 5')).toBeNull();
      await until(() => texts(ben).includes('meet in room 5'), 10_000, 'edit across instances');
      ben.close();

      expect(await ana.editing.edit(held(ana, 'the wifi password is swordfish'), 'the wifi password is swordfish2')).toBeNull();
      expect(await ana.editing.remove(held(ana, 'the wifi password is swordfish2'))).toBeNull();
      ben = client(b.url, 'Ben', benKey);
      await ben.start();
      await until(() => texts(ben).includes('meet in room 5') && texts(ben).includes(''), 10_000, 'caught up');
      expect(texts(ben).join()).not.toContain('swordfish');
      expect(await everything(redis().url)).not.toContain('swordfish');
    } finally {
      for (const c of clients.splice(0)) c.close();
    }
  });
});

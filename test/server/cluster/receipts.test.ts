/**
 * Read receipts on a two-instance Redis deployment (issue 22): cursors are kept in Redis, so a DM's
 * ticks, a user's two devices and a restarted relay all agree whichever instance each client is on.
 */
import { describe, expect, it } from 'vitest';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { until } from '../../helpers/clients';
import { redisRelay } from '../../helpers/cluster';
import { useRedisSuite } from '../../helpers/redis-suite';

const { redis, relays } = useRedisSuite();
const clients: ChatClient[] = [];

function client(url: string, nickname: string, key = newUserKey()): ChatClient {
  const c = new ChatClient({ url, nickname, key, ackTimeoutMs: 3000, transports: ['websocket'] });
  clients.push(c);
  return c;
}

async function twoInstances() {
  const a = await redisRelay(redis().url);
  const b = await redisRelay(redis().url);
  relays.push(a, b);
  return { a, b };
}

describe('read receipts across instances', () => {
  it('a DM sent on one instance is delivered and read on the other, and the sender sees both ticks', async () => {
    try {
      const { a, b } = await twoInstances();
      const ana = client(a.url, 'Ana');
      const ben = client(b.url, 'Ben');
      await ana.start();
      await ben.start();
      ben.setViewing(false);
      ana.openDm({ id: ben.me.value!.userId, username: 'Ben' });
      expect(ana.send('ping across')).toBeNull();
      await until(() => ana.outbox.queuedCount === 0, 5000, 'stored');
      const dm = ana.active.value;
      const seq = ana.conversation(dm)!.timeline.syncedSeq;
      await until(() => ana.reads.deliveryOf(dm, seq) === 'delivered', 10_000, 'delivered');
      ben.setActive(dm);
      ben.setViewing(true);
      await until(() => ana.reads.deliveryOf(dm, seq) === 'read', 10_000, 'read');
    } finally {
      for (const c of clients.splice(0)) c.close();
    }
  });

  it('three users on two instances: the author sees who has read, whichever instance they are on', async () => {
    try {
      const { a, b } = await twoInstances();
      const ana = client(a.url, 'Ana');
      const ben = client(b.url, 'Ben');
      const cy = client(a.url, 'Cy');
      for (const c of [ana, ben, cy]) await c.start();
      cy.setViewing(false);
      expect(ana.send('retro at four')).toBeNull();
      await until(() => ana.outbox.queuedCount === 0, 5000, 'stored');
      const seq = ana.conversation('lobby')!.timeline.syncedSeq;
      const me = ana.me.value!.userId;
      // Ben, on the other instance, has the lobby on screen; Cy not yet.
      await until(() => ana.reads.seenBy('lobby', seq, me).length === 1, 10_000, 'Ben seen');
      expect(ana.reads.seenBy('lobby', seq, me)).toEqual([ben.me.value!.userId]);
      cy.setViewing(true);
      await until(() => ana.reads.seenBy('lobby', seq, me).length === 2, 10_000, 'Cy seen');
    } finally {
      for (const c of clients.splice(0)) c.close();
    }
  });

  it("one user's devices on two instances share the cursor; it survives a restart of both relays", async () => {
    try {
      const { a, b } = await twoInstances();
      const key = newUserKey();
      const laptop = client(a.url, 'Ana', key);
      const phone = client(b.url, 'Ana', key);
      const cy = client(a.url, 'Cy');
      await laptop.start();
      await phone.start();
      await cy.start();
      laptop.setViewing(false);
      phone.setViewing(false);
      cy.send('news 1');
      cy.send('news 2');
      await until(() => laptop.unread.get('lobby') === 2 && phone.unread.get('lobby') === 2, 10_000, 'both count');
      phone.setViewing(true);
      await until(() => laptop.unread.get('lobby') === 0, 10_000, 'the laptop clears');
      const read = phone.reads.readPosition('lobby');
      expect(read).toBeGreaterThan(0);

      // Both relays go; new ones on the same Redis. A fresh device of Ana's logs in: nothing unread,
      // read up to where the phone was; one more message makes one unread.
      for (const c of clients.splice(0)) c.close();
      await Promise.all(relays.splice(0).map((r) => r.close()));
      const c2 = await redisRelay(redis().url);
      relays.push(c2);
      const cy2 = client(c2.url, 'Cy');
      await cy2.start();
      cy2.send('news 3');
      await until(() => cy2.outbox.queuedCount === 0);
      const tablet = client(c2.url, 'Ana', key);
      tablet.setViewing(false);
      await tablet.start();
      expect(tablet.reads.readPosition('lobby')).toBe(read);
      expect(tablet.unread.get('lobby')).toBe(1);
    } finally {
      for (const c of clients.splice(0)) c.close();
    }
  });
});

/**
 * Read receipts end to end in the model (issue 22): real relays, real ChatClients. Two devices of
 * one user share the read position (reading on one clears the other's count); three users in a room
 * see who has read; a DM goes Sent → Delivered → Read; the login ack carries the counts.
 */
import { describe, expect, it } from 'vitest';
import { newUserKey } from '../../../renderer/model/ids';
import { rawRequest, texts, until, useRelaysAndClients } from './support';

const fx = useRelaysAndClients();

describe('read receipts', () => {
  it("two devices of one user: reading on one clears the other's unread count", async () => {
    const relay = await fx.relay();
    const key = newUserKey();
    const laptop = fx.client({ url: relay.url, nickname: 'Ana', key });
    const phone = fx.client({ url: relay.url, nickname: 'Ana', key });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    await laptop.start();
    await phone.start();
    await ben.start();
    // Neither device is being looked at.
    laptop.setViewing(false);
    phone.setViewing(false);

    ben.send('one');
    ben.send('two');
    await until(() => laptop.unread.get('lobby') === 2 && phone.unread.get('lobby') === 2);

    // Ana opens the laptop: it reads, the relay moves her cursor, and the phone hears of it.
    laptop.setViewing(true);
    await until(() => phone.unread.get('lobby') === 0, 5000, 'the phone clears');
    expect(laptop.unread.get('lobby')).toBe(0);
  });

  it('the login ack carries the read position and the unread count, for a device that has no history of its own', async () => {
    const relay = await fx.relay();
    const key = newUserKey();
    const first = fx.client({ url: relay.url, nickname: 'Ana', key });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    await first.start();
    await ben.start();
    ben.send('before');
    await until(() => texts(first).includes('before'));
    // The first device had the lobby on screen: it read 'before', and the relay confirmed it.
    const seen = first.conversation('lobby')!.timeline.syncedSeq;
    await until(() => first.reads.readPosition('lobby') === seen, 5000, 'read confirmed');
    first.close();
    ben.send('while away 1');
    ben.send('while away 2');
    await until(() => ben.outbox.queuedCount === 0);

    // A new device of the same user, logging in: two unread, from the relay's count (it has no history of its own).
    const again = fx.client({ url: relay.url, nickname: 'Ana', key });
    again.setViewing(false);
    await again.start();
    expect(again.unread.get('lobby')).toBe(2);
  });

  it('three users in a room: who has read an own message', async () => {
    const relay = await fx.relay();
    const ana = fx.client({ url: relay.url, nickname: 'Ana' });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    const cy = fx.client({ url: relay.url, nickname: 'Cy' });
    for (const c of [ana, ben, cy]) await c.start();
    cy.setViewing(false);
    expect(ana.send('lunch?')).toBeNull();
    await until(() => ana.outbox.queuedCount === 0);
    const seq = ana.conversation('lobby')!.timeline.syncedSeq;
    // Ben has the lobby open and the window attended: he reads it. Cy does not, yet.
    await until(() => ana.reads.seenBy('lobby', seq, ana.me.value!.userId).length === 1, 5000, 'Ben seen');
    expect(ana.reads.seenBy('lobby', seq, ana.me.value!.userId)).toEqual([ben.me.value!.userId]);
    cy.setViewing(true);
    await until(() => ana.reads.seenBy('lobby', seq, ana.me.value!.userId).length === 2, 5000, 'Cy seen');
  });

  it('a DM goes Sent, then Delivered when it reaches the other device, then Read when looked at', async () => {
    const relay = await fx.relay();
    const ana = fx.client({ url: relay.url, nickname: 'Ana' });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    await ana.start();
    await ben.start();
    ben.setViewing(false);
    const benUser = { id: ben.me.value!.userId, username: 'Ben' };
    ana.openDm(benUser);
    expect(ana.send('are you there?')).toBeNull();
    await until(() => ana.outbox.queuedCount === 0);
    const dm = ana.active.value;
    const seq = ana.conversation(dm)!.timeline.syncedSeq;
    await until(() => ana.reads.deliveryOf(dm, seq) === 'delivered', 5000, 'delivered');
    // Ben opens the conversation and looks at it.
    ben.setActive(dm);
    ben.setViewing(true);
    await until(() => ana.reads.deliveryOf(dm, seq) === 'read', 5000, 'read');
  });

  it('private reads: the user\'s devices agree, nobody else is told, and others\' reads are hidden from them', async () => {
    const relay = await fx.relay();
    const key = newUserKey();
    const ana = fx.client({ url: relay.url, nickname: 'Ana', key });
    const anaPhone = fx.client({ url: relay.url, nickname: 'Ana', key });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    const cy = fx.client({ url: relay.url, nickname: 'Cy' });
    ana.reads.setPrivate(true);
    for (const c of [ana, anaPhone, ben, cy]) await c.start();
    anaPhone.setViewing(false);
    ana.setViewing(false);
    cy.setViewing(false);
    expect(ben.send('did you see this?')).toBeNull();
    await until(() => ben.outbox.queuedCount === 0 && anaPhone.unread.get('lobby') === 1);
    const seq = ben.conversation('lobby')!.timeline.syncedSeq;

    // Ana reads on her laptop: her phone clears, Ben is not told; Cy's (public) read is.
    ana.setViewing(true);
    await until(() => anaPhone.unread.get('lobby') === 0, 5000, "Ana's phone clears");
    cy.setViewing(true);
    const benId = ben.me.value!.userId;
    await until(() => ben.reads.seenBy('lobby', seq, benId).length === 1, 5000, 'Cy seen');
    expect(ben.reads.seenBy('lobby', seq, benId)).toEqual([cy.me.value!.userId]);
    const list = await rawRequest(ben)('receipts:list', { room: 'lobby' });
    expect(list.cursors!.find((c) => c.userId === ana.me.value!.userId)?.read ?? 0).toBeLessThan(seq);
    expect(list.cursors!.some((c) => c.userId.includes('~'))).toBe(false);

    // And Ana, reading privately, is not shown who read hers.
    expect(ana.send('my turn')).toBeNull();
    await until(() => ana.outbox.queuedCount === 0);
    const mine = ana.conversation('lobby')!.timeline.syncedSeq;
    await until(() => ben.reads.readPosition('lobby') >= mine, 5000, 'Ben read it');
    expect(ana.reads.seenBy('lobby', mine, ana.me.value!.userId)).toEqual([]);
  });

  it('a room first seen empty: what is posted there before the next login counts as unread', async () => {
    const relay = await fx.relay();
    const key = newUserKey();
    const first = fx.client({ url: relay.url, nickname: 'Ana', key });
    await first.start();
    first.close();
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    await ben.start();
    ben.send('one');
    ben.send('two');
    await until(() => ben.outbox.queuedCount === 0);
    const again = fx.client({ url: relay.url, nickname: 'Ana', key });
    again.setViewing(false);
    await again.start();
    expect(again.unread.get('lobby')).toBe(2);
  });

  it('reading a conversation that has no messages stores nothing', async () => {
    const relay = await fx.relay();
    const ana = fx.client({ url: relay.url, nickname: 'Ana' });
    await ana.start();
    const request = rawRequest(ana);
    const me = ana.me.value!.userId;
    const other = newUserKey().slice(0, 22).replace(/[^A-Za-z0-9_-]/g, 'a');
    const dm = `dm:${[me, other].sort().join(':')}`;
    expect(await request('read', { room: dm, seq: 5 })).toMatchObject({ ok: true, read: 0 });
    expect(await request('receipts:list', { room: dm })).toMatchObject({ ok: true, cursors: [] });
  });

  it('cursors never go back, and bad input is refused with typed errors', async () => {
    const relay = await fx.relay();
    const ana = fx.client({ url: relay.url, nickname: 'Ana' });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    await ana.start();
    await ben.start();
    ben.send('a');
    ben.send('b');
    await until(() => texts(ana).includes('b'));
    const last = ana.conversation('lobby')!.timeline.syncedSeq;
    const request = rawRequest(ana);
    expect(await request('read', { room: 'lobby', seq: last })).toMatchObject({ ok: true, read: last });
    // Lower: no error, nothing moves.
    expect(await request('read', { room: 'lobby', seq: last - 1 })).toMatchObject({ ok: true, read: last });
    // Past the newest message: held at the newest.
    expect(await request('read', { room: 'lobby', seq: last + 1000 })).toMatchObject({ ok: true, read: last });
    expect(await request('read', { room: 'lobby', seq: 1.5 })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(await request('read', { room: 'lobby', seq: Number.MAX_SAFE_INTEGER + 2 })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(await request('read', { room: 'nowhere', seq: 1 })).toMatchObject({ ok: false, code: 'NOT_IN_ROOM' });
    expect(await request('read', { room: 'dm:not:real', seq: 1 })).toMatchObject({ ok: false, code: 'UNKNOWN_ROOM' });
    expect(await request('receipts:list', { room: 'nowhere' })).toMatchObject({ ok: false, code: 'NOT_IN_ROOM' });
  });
});

describe('readInterval', () => {
  it('is a second for DMs and team rooms, and grows with big rooms', async () => {
    const { readInterval } = await import('../../../renderer/model/read-sync');
    expect(readInterval(2)).toBe(1000);
    expect(readInterval(250)).toBe(1000);
    expect(readInterval(1000)).toBe(4000);
  });
});

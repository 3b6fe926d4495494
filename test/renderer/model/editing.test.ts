/**
 * Edit and delete end to end in the model (issue 23): real relay, real ChatClients. The author's
 * change shows at once on every device and for everyone, a client that was away catches up on it by
 * seq, and a deleted message's words are gone from the others' timelines and caches.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { newUserKey } from '../../../renderer/model/ids';
import { held, texts, until, useCaches, useRelaysAndClients } from './support';

const fx = useRelaysAndClients();
const caches = useCaches(fx, 'editing');

describe('edit and delete', () => {
  it('an edit shows at once for the author, their other device and everyone else; unread counts do not move', async () => {
    const relay = await fx.relay();
    const key = newUserKey();
    const ana = fx.client({ url: relay.url, nickname: 'Ana', key });
    const tablet = fx.client({ url: relay.url, nickname: 'Ana', key });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    for (const c of [ana, tablet, ben]) await c.start();
    ben.setViewing(false);
    ana.send('lunch at 12?');
    await until(() => texts(ben).includes('lunch at 12?') && texts(tablet).includes('lunch at 12?'));
    expect(ben.unread.get('lobby')).toBe(1);

    expect(await ana.editing.edit(held(ana, 'lunch at 12?'), 'lunch at 12:30?')).toBeNull();
    expect(texts(ana)).toContain('lunch at 12:30?');
    await until(() => texts(ben).includes('lunch at 12:30?') && texts(tablet).includes('lunch at 12:30?'), 5000, 'edit delivered');
    expect(texts(ben)).not.toContain('lunch at 12?');
    expect(held(ben, 'lunch at 12:30?').edited).toBeGreaterThan(0);
    expect(ben.unread.get('lobby')).toBe(1);
  });

  it('a deletion leaves a placeholder without the words, also in the cache of a client that was away', async () => {
    const relay = await fx.relay();
    const benKey = newUserKey();
    const ana = fx.client({ url: relay.url, nickname: 'Ana' });
    let ben = fx.client({ url: relay.url, nickname: 'Ben', key: benKey, cache: caches(relay.url, benKey) });
    await ana.start();
    await ben.start();
    ana.send('wrong channel, sorry: the salaries are…');
    ana.send('still here');
    await until(() => texts(ben).includes('still here'));
    await ben.flushCache();
    ben.close();

    expect(await ana.editing.remove(held(ana, 'wrong channel, sorry: the salaries are…'))).toBeNull();
    expect(await ana.editing.edit(held(ana, 'still here'), 'still here (edited while Ben was away)')).toBeNull();

    // Ben comes back with his cache: he catches up from his cursor and applies both changes.
    ben = fx.client({ url: relay.url, nickname: 'Ben', key: benKey, cache: caches(relay.url, benKey) });
    await ben.start();
    await until(() => texts(ben).includes('still here (edited while Ben was away)'), 5000, 'caught up');
    const placeholder = ben.conversation('lobby')!.timeline.entries().find((e) => e.kind === 'message' && e.msg.deleted);
    expect(placeholder?.kind === 'message' && placeholder.msg.message).toBe('');
    expect(texts(ben).join('\n')).not.toContain('salaries');
    await ben.flushCache();
    const cached = await caches(relay.url, benKey).load();
    expect(JSON.stringify(cached)).not.toContain('salaries');
  });

  it('refusals reach the user as text: someone else’s message, an empty edit, and offline', async () => {
    const relay = await fx.relay();
    const ana = fx.client({ url: relay.url, nickname: 'Ana' });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    await ana.start();
    await ben.start();
    ana.send('mine');
    await until(() => texts(ben).includes('mine'));
    const msg = held(ben, 'mine');
    expect(ben.editing.mine(msg)).toBe(false);
    expect(await ben.editing.edit(msg, 'hijacked')).toMatchObject({ code: 'NOT_AUTHOR' });
    expect(await ben.editing.remove(msg)).toMatchObject({ code: 'NOT_AUTHOR' });
    expect(await ana.editing.edit(held(ana, 'mine'), '   ')).toMatchObject({ code: 'EMPTY_MESSAGE' });
    ana.close();
    expect(await ana.editing.edit(held(ana, 'mine'), 'offline edit')).toMatchObject({ code: 'UNAVAILABLE', message: 'Not connected.' });
    expect(texts(ben)).toEqual(['mine']);
  });

  it('knows the relay’s edit window from login, and pages back to a search hit’s context', async () => {
    const relay = await fx.relay({ historyLimit: 1000, limits: { userMessages: { capacity: 1000, perSecond: 1000 } } });
    const ana = fx.client({ url: relay.url, nickname: 'Ana' });
    await ana.start();
    expect(ana.editing.windowMs).toBe(3600_000);
    // 3 KB each: more than the login ack's 1 MiB of history, so a new device gets only the newest.
    const pad = ' '.repeat(3000);
    for (let i = 0; i < 400; i++) ana.send(`line ${i}${i < 10 ? '' : pad}`);
    await until(() => ana.outbox.queuedCount === 0, 20_000, 'all stored');
    const first = held(ana, 'line 0');
    expect(ana.editing.mine(first)).toBe(true);
    expect(ana.editing.mine(first, first.ts + 3600_001)).toBe(false);

    // A fresh device holds only the newest page; a hit near the start makes it page back.
    const other = fx.client({ url: relay.url, nickname: 'Ben' });
    await other.start();
    const lobby = other.conversation('lobby')!.timeline;
    expect(lobby.oldestSeq()).toBeGreaterThan(first.seq + 5);
    await other.loadOlder('lobby', first.seq + 5);
    expect(lobby.oldestSeq()).toBeLessThanOrEqual(first.seq + 5);
    expect(texts(other)).toContain('line 5');
  });
});


/**
 * Several servers side by side (issue 21): two real relays, one ChatClient each in a ServerSet, and
 * other users on each relay talking to them.
 */
import { describe, expect, it } from 'vitest';
import { ServerSet, serverId } from '../../../renderer/model/server-set';
import { MemoryStore } from '../../../renderer/model/storage';
import { texts, until, useRelaysAndClients } from './support';

const fx = useRelaysAndClients();

async function twoServers() {
  const lan = await fx.relay();
  const cloud = await fx.relay();
  const storage = new MemoryStore();
  const me = { lan: fx.client({ url: lan.url, nickname: 'Ana', storage }), cloud: fx.client({ url: cloud.url, nickname: 'Ana', storage }) };
  await me.lan.start();
  await me.cloud.start();
  const set = new ServerSet();
  set.add(me.lan, { name: 'Office LAN' });
  set.add(me.cloud, { name: 'Cloud', activate: false });
  const ben = fx.client({ url: lan.url, nickname: 'Ben' });
  const cy = fx.client({ url: cloud.url, nickname: 'Cy' });
  await ben.start();
  await cy.start();
  return { lan, cloud, me, set, ben, cy, storage };
}

describe('ServerSet', () => {
  it('keeps both servers connected, shows one, and counts unread on the other', async () => {
    const { me, set, ben, cy } = await twoServers();
    expect(set.current()?.name).toBe('Office LAN');
    expect(set.list().map((e) => e.name)).toEqual(['Office LAN', 'Cloud']);

    ben.send('on the LAN');
    cy.send('in the cloud');
    await until(() => texts(me.lan).includes('on the LAN') && texts(me.cloud).includes('in the cloud'));
    // The LAN server is on screen and its lobby open: read. The cloud one is in the background: unread.
    expect(me.lan.unread.total()).toBe(0);
    expect(me.cloud.unread.total()).toBe(1);
    expect(set.totalUnread()).toBe(1);

    // Switching is instant (no reconnect) and reading clears the count; the LAN server now counts.
    set.show(serverId(me.cloud.url)!);
    expect(me.cloud.status.value).toBe('online');
    expect(me.cloud.unread.total()).toBe(0);
    ben.send('while you were away');
    await until(() => me.lan.unread.total() === 1);
    expect(set.totalUnread()).toBe(1);
    expect(me.lan.status.value).toBe('online');
  });

  it('does not count what arrives while the window is unattended as read, on any server', async () => {
    const { me, set, ben, cy } = await twoServers();
    set.setAttended(false);
    ben.send('one');
    cy.send('two');
    await until(() => set.totalUnread() === 2);
    set.setAttended(true);
    // Only the shown server's open conversation is read by looking at the window.
    expect(me.lan.unread.total()).toBe(0);
    expect(set.totalUnread()).toBe(1);
  });

  it('reports each message with the server it came from', async () => {
    const { set, ben, cy } = await twoServers();
    const heard: string[] = [];
    set.incoming.subscribe((entry, _conv, msg) => heard.push(`${entry.name}: ${msg.message}`));
    ben.send('hello LAN');
    cy.send('hello cloud');
    await until(() => heard.length === 2);
    expect(heard.sort()).toEqual(['Cloud: hello cloud', 'Office LAN: hello LAN']);
  });

  it('goes on working with one server while the other is down, and each keeps its own outbox', async () => {
    const { lan, me, set, cy } = await twoServers();
    await lan.close();
    await until(() => me.lan.status.value !== 'online', 10_000, 'the LAN client notices');

    // The LAN server's message waits in its own outbox; the cloud goes on as if nothing happened.
    expect(me.lan.send('queued for the LAN')).toBeNull();
    expect(me.cloud.send('straight to the cloud')).toBeNull();
    await until(() => texts(cy).includes('straight to the cloud'));
    expect(me.cloud.outbox.queuedCount).toBe(0);
    expect(me.lan.outbox.queuedCount).toBe(1);
    expect(set.list()).toHaveLength(2);
  });

  it('reorders, renames and removes; removing the shown server shows the next one and closes only that connection', async () => {
    const { me, set } = await twoServers();
    const lanId = serverId(me.lan.url)!;
    const cloudId = serverId(me.cloud.url)!;
    set.move(cloudId, -1);
    expect(set.list().map((e) => e.id)).toEqual([cloudId, lanId]);
    set.move(cloudId, -5); // already first: stays
    expect(set.list().map((e) => e.id)).toEqual([cloudId, lanId]);
    set.rename(lanId, 'Site A');
    expect(set.get(lanId)?.name).toBe('Site A');

    await set.remove(lanId);
    expect(set.active.value).toBe(cloudId);
    expect(set.list().map((e) => e.id)).toEqual([cloudId]);
    await until(() => me.lan.status.value !== 'online');
    expect(me.cloud.status.value).toBe('online');
    await set.remove(cloudId);
    expect(set.active.value).toBeNull();
  });

  it('replaces the client of a server opened again, closing the old connection', async () => {
    const { lan, me, set } = await twoServers();
    const again = fx.client({ url: `${lan.url}/`, nickname: 'Ana2' });
    await again.start();
    set.add(again);
    expect(set.list()).toHaveLength(2);
    expect(set.find(lan.url)?.client).toBe(again);
    expect(set.find(lan.url)?.name).toBe('Office LAN');
    await until(() => me.lan.status.value !== 'online');
  });
});

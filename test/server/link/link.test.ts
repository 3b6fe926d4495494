/**
 * Two real relays linked room to room (server/link): messages cross both ways once, with their
 * author and `via`, in order; a link cut by a TCP proxy while both sides chat catches up when it
 * returns; a restart carries on from the cursors kept on disk; a link to itself is refused; two
 * links between the same rooms still store each message once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { ChatMessage } from '../../../protocol/index';
import type { Relay } from '../../../server/index';
import { startLink, type Link, type LinkOptions } from '../../../server/link/index';
import { closeAllClients, newKey, until, type TestSocket } from '../../helpers/clients';
import { historyOf, person as personIn, say, settle, textsBy } from '../../helpers/rooms';
import { userIdFromKey } from '../../../protocol/identity';
import { useDataDirs } from '../../helpers/data-dirs';
import { startRelay, useRelayCleanup } from '../../helpers/relay';
import { TcpCut } from '../../helpers/tcp-cut';

const data = useDataDirs();
const links: Link[] = [];
const cuts: TcpCut[] = [];
useRelayCleanup();
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.close()));
  for (const c of cuts.splice(0)) await c.close();
});

const quiet = pino({ level: 'silent' });

const relay = () => startRelay();

async function link(local: Relay, remoteUrl: string, extra: Partial<LinkOptions> = {}): Promise<Link> {
  const l = await startLink({
    local: { url: local.url },
    remote: { url: remoteUrl },
    rooms: [{ local: 'ops', remote: 'site-a' }],
    key: newKey(),
    name: 'site-a',
    remoteName: 'cloud',
    dir: undefined,
    log: quiet,
    sweepMs: 1000,
    ...extra,
  });
  links.push(l);
  return l;
}

async function person(r: Relay, name: string, room: string): Promise<TestSocket> {
  return (await personIn(r.url, name, room)).socket;
}

const texts = (ms: ChatMessage[]) => ms.map((m) => m.message);

describe('a link between two relays', () => {
  it('copies each message both ways once, with its author and where it came from', async () => {
    const site = await relay();
    const cloud = await relay();
    const l = await link(site, cloud.url);
    const ana = await person(site, 'Ana', 'ops');
    const ben = await person(cloud, 'Ben', 'site-a');
    await until(() => l.state().local.up && l.state().remote.up, 10_000, 'both sides up');

    const sent = await say(ana, 'ops', 'hello from the site');
    await say(ben, 'site-a', 'hello from the cloud');
    const atCloud = await settle(ben, 'site-a', 2);
    const atSite = await settle(ana, 'ops', 2);

    const crossedUp = atCloud.find((m) => m.message === 'hello from the site')!;
    expect(crossedUp).toMatchObject({ username: 'Ana', via: 'site-a', origin: sent.id, hops: [expect.any(String)] });
    const crossedDown = atSite.find((m) => m.message === 'hello from the cloud')!;
    expect(crossedDown).toMatchObject({ username: 'Ben', via: 'cloud' });
    // Nothing came back to where it was written.
    expect(texts(atSite).filter((t) => t === 'hello from the site')).toHaveLength(1);
    expect(texts(atCloud).filter((t) => t === 'hello from the cloud')).toHaveLength(1);
    // The far relay stores before it acks: the count follows the ack, a moment after the history.
    await until(() => l.state().crossed.out + l.state().crossed.in >= 2, 10_000, 'both acks');
    expect(l.state().crossed).toEqual({ out: 1, in: 1 });
  });

  it('catches up after a cut while both sides chat: every message once, in order', async () => {
    const site = await relay();
    const cloud = await relay();
    const cut = await TcpCut.start(cloud.port!);
    cuts.push(cut);
    const l = await link(site, `http://127.0.0.1:${cut.port}`);
    const ana = await person(site, 'Ana', 'ops');
    const ben = await person(cloud, 'Ben', 'site-a');
    await until(() => l.state().remote.up && l.state().local.up, 10_000, 'both sides up');
    await say(ana, 'ops', 'a0');
    await settle(ben, 'site-a', 1);

    cut.cut();
    await until(() => !l.state().remote.up, 10_000, 'the link to notice the cut');
    for (let i = 1; i <= 5; i++) {
      await say(ana, 'ops', `a${i}`);
      await say(ben, 'site-a', `b${i}`);
    }
    cut.restore();

    const atCloud = await settle(ben, 'site-a', 11);
    const atSite = await settle(ana, 'ops', 11);
    const fromSite = (ms: ChatMessage[]) => texts(ms).filter((t) => t.startsWith('a'));
    const fromCloud = (ms: ChatMessage[]) => texts(ms).filter((t) => t.startsWith('b'));
    expect(fromSite(atCloud)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    expect(fromCloud(atSite)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
    expect(fromSite(atSite)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    expect(fromCloud(atCloud)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
  });

  it('crosses a backlog larger than the far relay lets one user send at once, paced, without being cut off', async () => {
    const site = await relay();
    const cloud = await relay();
    const cut = await TcpCut.start(cloud.port!);
    cuts.push(cut);
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const l = await link(site, `http://127.0.0.1:${cut.port}`, { log });
    const people = await Promise.all(['Ana', 'Bo', 'Cy', 'Di'].map((n) => person(site, n, 'ops')));
    const ben = await person(cloud, 'Ben', 'site-a');
    await until(() => l.state().remote.up && l.state().local.up, 10_000, 'both sides up');
    cut.cut();
    await until(() => !l.state().remote.up, 10_000, 'the link to notice the cut');
    // 60 messages waiting: three times the far relay's burst for one user (20, then 5 a second).
    for (let i = 1; i <= 15; i++) await Promise.all(people.map((p, k) => say(p, 'ops', `${'abcd'[k]}${i}`)));
    lines.length = 0;
    cut.restore();
    const atCloud = await settle(ben, 'site-a', 60, 60_000);
    for (const [k, name] of ['Ana', 'Bo', 'Cy', 'Di'].entries()) {
      expect(textsBy(atCloud, name)).toEqual(Array.from({ length: 15 }, (_, i) => `${'abcd'[k]}${i + 1}`));
    }
    // Never disconnected as a flooder on the way, and nothing passed over.
    expect(lines.filter((line) => line.includes('link side down') || line.includes('not crossing')).map((l) => l.slice(0, 300))).toEqual([]);
  }, 90_000);

  it('carries on after both relays and the link restart, from the cursors on disk', async () => {
    const siteDir = data.dir();
    const cloudDir = data.dir();
    const linkDir = data.dir('parley-link-');
    const key = newKey();
    let site = await data.relayOn(siteDir);
    let cloud = await data.relayOn(cloudDir);
    let l = await link(site, cloud.url, { dir: linkDir, key });
    let ana = await person(site, 'Ana', 'ops');
    let ben = await person(cloud, 'Ben', 'site-a');
    await say(ana, 'ops', 'before 1');
    await say(ben, 'site-a', 'before 2');
    await settle(ben, 'site-a', 2);
    await settle(ana, 'ops', 2);

    await l.close();
    links.splice(links.indexOf(l), 1);
    closeAllClients();
    // Written while the link is stopped, on the relays before they restart.
    const ana2 = await person(site, 'Ana', 'ops');
    await say(ana2, 'ops', 'while stopped');
    closeAllClients();
    await site.close();
    await cloud.close();

    site = await data.relayOn(siteDir);
    cloud = await data.relayOn(cloudDir, { port: 0 });
    l = await link(site, cloud.url, { dir: linkDir, key });
    ana = await person(site, 'Ana', 'ops');
    ben = await person(cloud, 'Ben', 'site-a');
    await say(ben, 'site-a', 'after');
    const atCloud = await settle(ben, 'site-a', 4);
    const atSite = await settle(ana, 'ops', 4);
    // The cursors came back from disk: only what was new crossed (a link starting from nothing
    // would have sent 'before 1' and 'before 2' again, answered as duplicates but counted).
    // The far relay stores before it acks: the count follows the ack, a moment after the history.
    await until(() => l.state().crossed.out + l.state().crossed.in >= 2, 10_000, 'both acks');
    expect(l.state().crossed).toEqual({ out: 1, in: 1 });
    // Each side's own order holds; how the two interleave depends on when the link ran.
    const bySite = (ms: ChatMessage[]) => texts(ms.filter((m) => m.username === 'Ana'));
    const byCloud = (ms: ChatMessage[]) => texts(ms.filter((m) => m.username === 'Ben'));
    expect(bySite(atCloud)).toEqual(['before 1', 'while stopped']);
    expect(byCloud(atCloud)).toEqual(['before 2', 'after']);
    expect(bySite(atSite)).toEqual(['before 1', 'while stopped']);
    expect(byCloud(atSite)).toEqual(['before 2', 'after']);
  });

  it('waits, passing nothing over, while the other relay does not accept it, and crosses once it does', async () => {
    const siteDir = data.dir();
    const cloudDir = data.dir();
    const key = newKey();
    const site = await data.relayOn(siteDir);
    let cloud = await data.relayOn(cloudDir, { linkSenders: ['x'.repeat(22)] });
    const refusals: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void (line.includes('LINK_NOT_ACCEPTED') && refusals.push(line)) });
    const l = await link(site, cloud.url, { key, log, dir: data.dir('parley-link-') });
    const ana = await person(site, 'Ana', 'ops');
    await say(ana, 'ops', 'early');
    await until(() => refusals.length > 0, 10_000, 'the refusal');
    expect(l.state().crossed.out).toBe(0);

    // The operator lists the link (its id is userIdFromKey(LINK_KEY)) and restarts the cloud relay.
    await cloud.close();
    cloud = await data.relayOn(cloudDir, { linkSenders: [userIdFromKey(key)], port: Number(new URL(cloud.url).port) });
    const ben = await person(cloud, 'Ben', 'site-a');
    expect(textsBy(await settle(ben, 'site-a', 1), 'Ana')).toEqual(['early']);
  });

  it('refuses a link that leads back to its own relay', async () => {
    const site = await relay();
    const l = await link(site, site.url);
    await until(() => l.state().refused !== undefined, 10_000, 'the refusal');
    expect(l.state().refused).toMatch(/cannot link to itself/);
  });

  it('stores a message once when two links join the same rooms (one each way)', async () => {
    const site = await relay();
    const cloud = await relay();
    const ana = await person(site, 'Ana', 'ops');
    const ben = await person(cloud, 'Ben', 'site-a');
    const one = await link(site, cloud.url);
    const other = await link(cloud, site.url, { rooms: [{ local: 'site-a', remote: 'ops' }], name: 'cloud-2', remoteName: 'site-2' });
    await until(() => [one, other].every((l) => l.state().local.up && l.state().remote.up), 10_000, 'both links up');
    await say(ana, 'ops', 'from ana');
    await say(ben, 'site-a', 'from ben');
    await settle(ben, 'site-a', 2);
    await settle(ana, 'ops', 2);
    // Each message is crossed by both links, the second answered as a duplicate (acks count as
    // crossed): four in all once every pump has looked at both messages.
    const seen = (l: Link) => l.state().crossed.out + l.state().crossed.in;
    await until(() => seen(one) + seen(other) === 4, 10_000, 'both links to cross both messages');
    expect(texts(await historyOf(ben, 'site-a')).sort()).toEqual(['from ana', 'from ben']);
    expect(texts(await historyOf(ana, 'ops')).sort()).toEqual(['from ana', 'from ben']);
  });
});

/**
 * A site relay linked to a cloud deployment in Redis mode (two instances on one real redis-server,
 * behind one address as a load balancer gives them): both instances share one relay id, and when
 * the instance the link is on is killed, the link comes back through the other and every message
 * ends up on each side once, in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createRelay, type Relay } from '../../../server/index';
import { startLink, type Link } from '../../../server/link/index';
import { newKey, until } from '../../helpers/clients';
import { person as personIn, say, settle, textsBy } from '../../helpers/rooms';
import { redisRelay } from '../../helpers/cluster';
import { useRedisSuite } from '../../helpers/redis-suite';
import { TcpCut } from '../../helpers/tcp-cut';

const suite = useRedisSuite();
const links: Link[] = [];
const fronts: TcpCut[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.close()));
  for (const f of fronts.splice(0)) await f.close();
});

const person = (r: Relay, name: string, room: string) => personIn(r.url, name, room);

describe('a link to a cloud deployment in Redis mode', () => {
  it('survives the loss of the instance it is on: every message once on each side, in order', async () => {
    const url = suite.redis().url;
    const one = await redisRelay(url);
    const two = await redisRelay(url);
    suite.relays.push(one, two);
    const site = await createRelay({ port: 0, host: '127.0.0.1', shutdownGraceMs: 10 });
    suite.relays.push(site);
    // One address in front of the instances, as a load balancer gives them.
    const front = await TcpCut.start(one.port!);
    fronts.push(front);
    const link = await startLink({
      local: { url: site.url },
      remote: { url: `http://127.0.0.1:${front.port}` },
      rooms: [{ local: 'ops', remote: 'site-a' }],
      key: newKey(),
      name: 'site-a',
      remoteName: 'cloud',
      dir: undefined,
      log: pino({ level: process.env.LINK_LOG ?? 'silent' }),
      sweepMs: 1000,
    });
    links.push(link);

    const ana = (await person(site, 'Ana', 'ops')).socket;
    const ben = await person(two, 'Ben', 'site-a');
    const cy = await person(one, 'Cy', 'site-a');
    // One deployment, one id, whichever instance answers.
    expect(ben.login.relay).toBe(cy.login.relay);
    await until(() => link.state().remote.up, 10_000, 'the link on instance one');

    await say(ana, 'ops', 'a1');
    await say(ben.socket, 'site-a', 'b1');
    await say(cy.socket, 'site-a', 'c1');
    await settle(ben.socket, 'site-a', 3);
    await settle(ana, 'ops', 3);

    // Instance one dies; the front sends new connections to instance two.
    front.retarget(two.port!);
    suite.relays.splice(suite.relays.indexOf(one), 1);
    await one.close();
    await say(ana, 'ops', 'a2');
    await say(ben.socket, 'site-a', 'b2');
    await until(() => link.state().remote.up, 20_000, 'the link back through instance two');
    await say(ana, 'ops', 'a3');

    const atCloud = await settle(ben.socket, 'site-a', 6);
    const atSite = await settle(ana, 'ops', 6);
    const by = textsBy;
    for (const view of [atCloud, atSite]) {
      expect(by(view, 'Ana')).toEqual(['a1', 'a2', 'a3']);
      expect(by(view, 'Ben')).toEqual(['b1', 'b2']);
      expect(by(view, 'Cy')).toEqual(['c1']);
    }
  });
});

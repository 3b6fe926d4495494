/**
 * ChatClient.resume() against a real relay with Socket.IO's default heartbeat (server/options.ts:
 * pingInterval 25 s, pingTimeout 20 s): a connection that died without a word, as in a laptop's sleep,
 * is replaced at once and what was said meanwhile arrives, long before the heartbeat would notice; a
 * live one is left alone; a lost one is retried without waiting out the back-off.
 */
import { describe, expect, it } from 'vitest';
import { TcpCut } from '../../helpers/tcp-cut';
import { texts, until, useRelaysAndClients } from './support';

/**
 * With the default heartbeat a silently dead connection is noticed 20–45 s after it died (the client
 * gives up pingInterval + pingTimeout after the last ping it received). Caught up within this bound
 * after the freeze means resume() did it.
 */
const WELL_BEFORE_HEARTBEAT_MS = 12_000;

const fixtures = useRelaysAndClients();
const proxies: TcpCut[] = [];
fixtures.afterClients(async () => {
  for (const p of proxies.splice(0)) await p.close();
});

// No ping options: the relay's defaults are what a sleeping laptop meets.
const relayOn = (port = 0) => fixtures.relay({ port });
const client = (url: string, nickname: string) => fixtures.client({ url, nickname, transports: ['websocket'] });

describe('ChatClient.resume', () => {
  it('replaces a connection that died silently and catches up at once', { timeout: 30_000 }, async () => {
    const relay = await relayOn();
    const network = await TcpCut.start(relay.port!);
    proxies.push(network);
    const ana = client(`http://127.0.0.1:${network.port}`, 'ana');
    const bob = client(relay.url, 'bob');
    await ana.start();
    await bob.start();
    await ana.joinRoom('design', true);
    await bob.joinRoom('design', false);
    bob.setActive('lobby');
    bob.send('before the sleep');
    await until(() => texts(ana).includes('before the sleep'), 3000, 'ana receives');

    // The laptop sleeps: its connection goes silent both ways, and nothing tells it so.
    network.freeze();
    const slept = Date.now();
    bob.send('while ana slept 1');
    bob.setActive('design');
    bob.send('in #design meanwhile');
    bob.setActive('lobby');
    bob.send('while ana slept 2');
    await until(() => bob.outbox.queuedCount === 0 && texts(bob).includes('while ana slept 2'), 3000, 'bob stored');
    expect(ana.status.value).toBe('online');

    const statuses: string[] = [];
    const off = ana.status.subscribe((s) => statuses.push(s));
    expect(await ana.resume()).toBe('reconnecting');
    await until(() => texts(ana).includes('while ana slept 2') && texts(ana, 'design').includes('in #design meanwhile'), WELL_BEFORE_HEARTBEAT_MS - (Date.now() - slept), 'ana caught up');
    off();
    expect(Date.now() - slept).toBeLessThan(WELL_BEFORE_HEARTBEAT_MS);
    expect(statuses).toEqual(['online', 'reconnecting', 'online']);
    expect(texts(ana)).toEqual(['before the sleep', 'while ana slept 1', 'while ana slept 2']);
    // And the new connection is a working one: Ana is heard again.
    ana.setActive('lobby');
    ana.send('back');
    await until(() => texts(bob).includes('back'), 3000, 'bob hears ana');
  });

  it('leaves a live connection alone, and shares one check between calls', async () => {
    const relay = await relayOn();
    const ana = client(relay.url, 'ana');
    await ana.start();
    const statuses: string[] = [];
    const off = ana.status.subscribe((s) => statuses.push(s));
    expect(await Promise.all([ana.resume(), ana.resume(), ana.resume()])).toEqual(['alive', 'alive', 'alive']);
    off();
    expect(statuses).toEqual(['online']);
  });

  it('retries a lost connection now instead of waiting out the back-off', { timeout: 30_000 }, async () => {
    const first = await relayOn();
    const port = first.port!;
    const ana = client(first.url, 'ana');
    await ana.start();
    await first.close();
    // Several failed attempts: the next one is seconds away.
    await until(() => ana.retryAt.value !== null && ana.retryAt.value - Date.now() > 1500, 15_000, 'a long back-off');
    const due = ana.retryAt.value!;
    await relayOn(port);
    expect(await ana.resume()).toBe('reconnecting');
    await until(() => ana.status.value === 'online', 3000, 'online again');
    expect(Date.now()).toBeLessThan(due);
  });
});

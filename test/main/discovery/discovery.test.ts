/** The live list logic against a fake bonjour: up/down, updates, staleness, our own advertisement. */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LanSession } from '../../../protocol/index';
import { createDiscovery, type BonjourLike, type BrowserLike } from '../../../main/discovery/discovery';
import type { DiscoveredService } from '../../../main/discovery/txt';

class FakeBrowser extends EventEmitter implements BrowserLike {
  stopped = false;
  stop() {
    this.stopped = true;
  }
}

function fakeBonjour() {
  const browsers: FakeBrowser[] = [];
  const published: { config: Parameters<BonjourLike['publish']>[0]; stopped: boolean }[] = [];
  let destroyed = false;
  const bonjour: BonjourLike = {
    find: () => {
      const b = new FakeBrowser();
      browsers.push(b);
      return b;
    },
    publish: (config) => {
      const entry = { config, stopped: false };
      published.push(entry);
      return {
        stop: (cb) => {
          entry.stopped = true;
          cb?.();
        },
      };
    },
    destroy: async () => {
      destroyed = true;
    },
  };
  /** Every live browser sees the packet, as on a real network. */
  const emit = (event: string, service: DiscoveredService) => browsers.filter((b) => !b.stopped).forEach((b) => b.emit(event, service));
  return { bonjour, browsers, published, emit, isDestroyed: () => destroyed };
}

const svc = (name: string, over: Partial<DiscoveredService> = {}): DiscoveredService => ({ name, port: 4000, referer: { address: '192.168.1.20' }, txt: { name: `Session ${name}`, host: 'Ana', needsCode: '1', protocol: '1', fp: 'e5'.repeat(32) }, ...over });

describe('discovery', () => {
  let changes: LanSession[][];
  beforeEach(() => {
    vi.useFakeTimers();
    changes = [];
  });
  afterEach(() => vi.useRealTimers());

  const start = (fake = fakeBonjour()) => {
    const d = createDiscovery({ bonjour: fake.bonjour, onChange: (s) => changes.push(s), refreshMs: 1000, staleMs: 3500, serviceName: 'parley-self' });
    d.start();
    return { d, fake };
  };

  it('adds services that come up and removes those that say goodbye, emitting the full list', () => {
    const { d, fake } = start();
    fake.emit('up', svc('a'));
    fake.emit('up', svc('b', { referer: { address: '192.168.1.21' } }));
    expect(d.list().map((s) => s.id)).toEqual(['a', 'b']);
    fake.emit('down', svc('a'));
    expect(changes.map((c) => c.map((s) => s.id))).toEqual([['a'], ['a', 'b'], ['b']]);
  });

  it('updates a session whose TXT changes, and does not emit when nothing changed', () => {
    const { fake } = start();
    fake.emit('up', svc('a'));
    fake.emit('up', svc('a'));
    fake.emit('txt-update', svc('a', { txt: { name: 'Renamed', needsCode: '0', protocol: '1' } }));
    expect(changes).toHaveLength(2);
    expect(changes[1]?.[0]).toMatchObject({ name: 'Renamed', needsCode: false });
  });

  it('never lists its own advertisement', () => {
    const { d, fake } = start();
    d.advertise({ name: 'Mine', host: 'Me', port: 5000, needsCode: true });
    expect(fake.published[0]?.config).toMatchObject({ name: 'parley-self', type: 'parley', port: 5000, txt: { name: 'Mine', host: 'Me', needsCode: '1' } });
    fake.emit('up', svc('parley-self'));
    expect(d.list()).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('drops a host that vanished without a goodbye once it is stale, and re-queries meanwhile', () => {
    const { d, fake } = start();
    fake.emit('up', svc('alive'));
    fake.emit('up', svc('crashed'));
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(1000);
      // Each refresh starts a fresh browser (a new query); only the live host answers it.
      fake.browsers.at(-1)?.emit('up', svc('alive'));
    }
    expect(fake.browsers.length).toBeGreaterThanOrEqual(6);
    expect(fake.browsers.slice(1, -1).every((b) => b.stopped)).toBe(true);
    expect(d.list().map((s) => s.id)).toEqual(['alive']);
    expect(changes.at(-1)?.map((s) => s.id)).toEqual(['alive']);
  });

  it('re-advertising replaces the old advertisement; withdraw and stop say goodbye and release mDNS', async () => {
    const { d, fake } = start();
    d.advertise({ name: 'One', host: '', port: 5000, needsCode: true });
    d.advertise({ name: 'Two', host: '', port: 5001, needsCode: true });
    expect(fake.published.map((p) => p.stopped)).toEqual([true, false]);
    await d.withdraw();
    expect(fake.published[1]?.stopped).toBe(true);
    d.advertise({ name: 'Three', host: '', port: 5002, needsCode: false });
    await d.stop();
    expect(fake.published[2]?.stopped).toBe(true);
    expect(fake.browsers.every((b) => b.stopped)).toBe(true);
    expect(fake.isDestroyed()).toBe(true);
    d.advertise({ name: 'late', host: '', port: 1, needsCode: true });
    expect(fake.published).toHaveLength(3);
  });

  it('withdraw does not hang when the goodbye never completes', async () => {
    const fake = fakeBonjour();
    fake.bonjour.publish = () => ({ stop: () => undefined });
    const { d } = start(fake);
    d.advertise({ name: 'x', host: '', port: 1, needsCode: true });
    const done = d.withdraw();
    vi.advanceTimersByTime(1000);
    await expect(done).resolves.toBeUndefined();
  });

  it('uses a random service name by default', () => {
    const fake = fakeBonjour();
    const a = createDiscovery({ bonjour: fake.bonjour, onChange: () => undefined });
    const b = createDiscovery({ bonjour: fake.bonjour, onChange: () => undefined });
    expect(a.serviceName).toMatch(/^parley-[0-9a-f]{10}$/);
    expect(a.serviceName).not.toBe(b.serviceName);
  });
});

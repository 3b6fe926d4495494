/**
 * LAN discovery over mDNS / DNS-SD: advertises the session this computer hosts and keeps a live list
 * of the others. bonjour-service reports services coming up and saying goodbye, but never notices a
 * host that vanished without a goodbye (crash, Wi-Fi gone): its records live 8 hours. So the list
 * also re-queries every `refreshMs` with a fresh browser, and drops a session not heard from for
 * `staleMs`. Our own advertisement is never listed.
 */
import { randomBytes } from 'node:crypto';
import type { LanSession } from '../../protocol/index';
import type { Advertisement, Advertiser } from '../host/host-service';
import { encodeTxt, sessionFromService, SERVICE_TYPE, type DiscoveredService } from './txt';

export interface BrowserLike {
  on(event: 'up' | 'down' | 'txt-update' | 'srv-update', listener: (service: DiscoveredService) => void): unknown;
  stop(): void;
}

export interface PublishedLike {
  stop(callback?: () => void): void;
}

/** The slice of bonjour-service used here (see bonjour-adapter.ts). */
export interface BonjourLike {
  publish(config: { name: string; type: string; port: number; txt: Record<string, string>; disableIPv6: boolean }): PublishedLike;
  find(config: { type: string }): BrowserLike;
  destroy(): Promise<void>;
}

export interface DiscoveryOptions {
  bonjour: BonjourLike;
  /** Called with the full list whenever it changes. */
  onChange: (sessions: LanSession[]) => void;
  refreshMs?: number;
  staleMs?: number;
  /** Our advertisement's service name; random by default so two hosts never collide. */
  serviceName?: string;
  log?: (msg: string, detail?: object) => void;
}

export interface Discovery extends Advertiser {
  start(): void;
  list(): LanSession[];
  readonly serviceName: string;
  stop(): Promise<void>;
}

const GOODBYE_TIMEOUT_MS = 1000;

export function createDiscovery(options: DiscoveryOptions): Discovery {
  const refreshMs = options.refreshMs ?? 10_000;
  const staleMs = options.staleMs ?? refreshMs * 3 + 5_000;
  const serviceName = options.serviceName ?? `parley-${randomBytes(5).toString('hex')}`;
  const seen = new Map<string, { session: LanSession; lastSeen: number }>();
  let lastEmitted = '[]';
  let listener: BrowserLike | null = null;
  let prober: BrowserLike | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let published: PublishedLike | null = null;
  let stopped = false;

  const list = (): LanSession[] => [...seen.values()].map((e) => ({ ...e.session })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

  const emitIfChanged = () => {
    const sessions = list();
    const key = JSON.stringify(sessions);
    if (key === lastEmitted) return;
    lastEmitted = key;
    options.onChange(sessions);
  };

  const upsert = (service: DiscoveredService) => {
    if (service.name === serviceName) return; // our own advertisement
    const session = sessionFromService(service);
    if (!session) return;
    seen.set(session.id, { session, lastSeen: Date.now() });
    emitIfChanged();
  };
  const remove = (service: DiscoveredService) => {
    if (seen.delete(service.name)) emitIfChanged();
  };
  const sweep = () => {
    const cutoff = Date.now() - staleMs;
    for (const [id, entry] of seen) if (entry.lastSeen < cutoff) seen.delete(id);
    emitIfChanged();
  };

  const watch = (browser: BrowserLike) => {
    browser.on('up', upsert);
    browser.on('txt-update', upsert);
    browser.on('srv-update', upsert);
    browser.on('down', remove);
    return browser;
  };

  const refresh = () => {
    // A fresh browser has no memory, so every live service answers its query with an 'up'.
    prober?.stop();
    prober = watch(options.bonjour.find({ type: SERVICE_TYPE }));
    sweep();
  };

  const withdraw = async () => {
    const service = published;
    published = null;
    if (!service) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, GOODBYE_TIMEOUT_MS);
      service.stop(() => {
        clearTimeout(t);
        resolve();
      });
    });
  };

  return {
    serviceName,
    start() {
      if (listener || stopped) return;
      listener = watch(options.bonjour.find({ type: SERVICE_TYPE }));
      timer = setInterval(refresh, refreshMs);
      timer.unref?.();
    },
    list,
    advertise(ad: Advertisement) {
      if (stopped) return;
      const previous = published;
      published = null;
      previous?.stop();
      published = options.bonjour.publish({ name: serviceName, type: SERVICE_TYPE, port: ad.port, txt: encodeTxt(ad), disableIPv6: true });
      options.log?.('advertising session', { serviceName, port: ad.port });
    },
    withdraw,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      listener?.stop();
      prober?.stop();
      await withdraw();
      await options.bonjour.destroy();
    },
  };
}

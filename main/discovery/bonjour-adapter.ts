/** Adapts bonjour-service to discovery.ts's BonjourLike, and keeps its network errors from crashing the app. */
import { Bonjour } from 'bonjour-service';
import type { BonjourLike } from './discovery';

export interface BonjourAdapterOptions {
  /** Bind/send errors (no network, port 5353 refused): logged, never thrown. */
  onError: (err: Error) => void;
}

export function createBonjour(options: BonjourAdapterOptions): BonjourLike {
  const bonjour = new Bonjour({}, options.onError);
  // bonjour-service forwards reply errors to onError, but multicast-dns emits bind errors (EACCES,
  // EADDRINUSE) as 'error' events on its own emitter, which nobody listens to: an uncaught
  // exception in the main process. Listen there too.
  const mdns = (bonjour as unknown as { server?: { mdns?: { on(event: string, fn: (err: Error) => void): void } } }).server?.mdns;
  mdns?.on('error', options.onError);
  return {
    publish: (config) => {
      const service = bonjour.publish(config);
      service.on('error', options.onError);
      return { stop: (callback) => (service.stop as (cb?: () => void) => void)(callback) };
    },
    find: (config) => bonjour.find(config),
    destroy: () => new Promise<void>((resolve) => bonjour.destroy(() => resolve())),
  };
}

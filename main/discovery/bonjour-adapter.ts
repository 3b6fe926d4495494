/** Adapts bonjour-service to discovery.ts's BonjourLike, and keeps its network errors from crashing the app. */
import { Bonjour } from 'bonjour-service';
import type { BonjourLike } from './discovery';

export interface BonjourAdapterOptions {
  /** Bind/send errors (no network, port 5353 refused): logged, never thrown. */
  onError: (err: Error) => void;
  /**
   * IPv4 address of the one interface to use for mDNS (PARLEY_MDNS_INTERFACE), or every interface
   * when unset. The socket still binds 0.0.0.0: bound to the interface address alone it would
   * receive no multicast at all.
   */
  interface?: string | undefined;
}

export function createBonjour(options: BonjourAdapterOptions): BonjourLike {
  // bonjour-service hands its options to multicast-dns, whose `interface` and `bind` its typings omit.
  const socketOptions = options.interface ? { interface: options.interface, bind: '0.0.0.0' } : {};
  const bonjour = new Bonjour(socketOptions as ConstructorParameters<typeof Bonjour>[0], options.onError);
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

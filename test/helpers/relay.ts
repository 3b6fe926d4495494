/** Starts a real relay in-process on a free loopback port and stops it after the test. */
import { afterEach } from 'vitest';
import { createRelay, type Relay, type RelayOptions } from '../../server/index';
import { closeAllClients } from './clients';

const running: Relay[] = [];

export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const relay = await createRelay({ port: 0, host: '127.0.0.1', shutdownGraceMs: 20, ...options });
  running.push(relay);
  return relay;
}

/** Registers cleanup of clients and relays after each test of the calling file. */
export function useRelayCleanup(): void {
  afterEach(async () => {
    closeAllClients();
    await Promise.all(running.splice(0).map((r) => r.close()));
  });
}

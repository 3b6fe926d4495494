/**
 * For Vitest files that run relays on data folders (the durable store): a folder made per use,
 * relays on them, and after each test the clients closed, then the relays, then the folders deleted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createRelay, type Relay, type RelayOptions } from '../../server/index';
import { closeAllClients } from './clients';

export function useDataDirs(defaults: RelayOptions = {}) {
  const dirs: string[] = [];
  const relays: Relay[] = [];
  const closables: { close(): void }[] = [];
  afterEach(async () => {
    for (const c of closables.splice(0)) c.close();
    closeAllClients();
    await Promise.all(relays.splice(0).map((r) => r.close()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    /** A new, empty data folder, deleted after the test. */
    dir(prefix = 'parley-data-'): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    /** A relay on a free loopback port keeping its state in `dataDir`. */
    async relayOn(dataDir: string, options: RelayOptions = {}): Promise<Relay> {
      const relay = await createRelay({ port: 0, host: '127.0.0.1', shutdownGraceMs: 10, ...defaults, ...options, dataDir });
      relays.push(relay);
      return relay;
    },
    /** Closes a relay now (the first half of a restart); the cleanup leaves it alone. */
    async stop(relay: Relay): Promise<void> {
      relays.splice(relays.indexOf(relay), 1);
      await relay.close();
    },
    /** Something to close before the relays (a ChatClient). */
    track<T extends { close(): void }>(closable: T): T {
      closables.push(closable);
      return closable;
    },
  };
}

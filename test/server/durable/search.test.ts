/**
 * Search on a relay with a data folder (issue 23): edits and deletions are followed as on the other
 * stores, and after a restart the index is built again from disk with the same answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createRelay, type Relay } from '../../../server/index';
import { closeAllClients, loggedIn } from '../../helpers/clients';
import { editAndSearch, found, ROOMY_LIMITS } from '../../helpers/search';

const dirs: string[] = [];
const relays: Relay[] = [];
afterEach(async () => {
  closeAllClients();
  await Promise.all(relays.splice(0).map((r) => r.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function relayOn(dataDir: string): Promise<Relay> {
  const relay = await createRelay({ port: 0, host: '127.0.0.1', dataDir, shutdownGraceMs: 10, limits: ROOMY_LIMITS });
  relays.push(relay);
  return relay;
}

it('finds an edited message by its new words only and a deleted one not at all, before and after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-search-'));
  dirs.push(dir);
  const relay = await relayOn(dir);
  const room = await editAndSearch(relay.url, relay.url);
  closeAllClients();
  await relays.pop()!.close();

  const again = await relayOn(dir);
  const { socket } = await loggedIn(again.url, 'cy', { rooms: [room] });
  expect(await found(socket, 'report')).toEqual(['thanks, reading the report now', 'the quarterly report is ready']);
  expect(await found(socket, 'reprot')).toEqual([]);
  expect(await found(socket, 'swordfish')).toEqual([]);
});

/**
 * Search on a relay with a data folder (issue 23): edits and deletions are followed as on the other
 * stores, and after a restart the index is built again from disk with the same answers.
 */
import { expect, it } from 'vitest';
import { closeAllClients, loggedIn } from '../../helpers/clients';
import { useDataDirs } from '../../helpers/data-dirs';
import { editAndSearch, found, ROOMY_LIMITS } from '../../helpers/search';

const { dir: newDir, relayOn, stop } = useDataDirs({ limits: ROOMY_LIMITS });

it('finds an edited message by its new words only and a deleted one not at all, before and after a restart', async () => {
  const dir = newDir('parley-search-');
  const relay = await relayOn(dir);
  const room = await editAndSearch(relay.url, relay.url);
  closeAllClients();
  await stop(relay);

  const again = await relayOn(dir);
  const { socket } = await loggedIn(again.url, 'cy', { rooms: [room] });
  expect(await found(socket, 'report')).toEqual(['thanks, reading the report now', 'the quarterly report is ready']);
  expect(await found(socket, 'reprot')).toEqual([]);
  expect(await found(socket, 'swordfish')).toEqual([]);
});

/**
 * A relay's public id for links (protocol/link.ts). Links keep their cursors per relay id and
 * refuse to carry a message to a relay it has been on, so a relay with a data folder keeps its id
 * there across restarts; without one (':memory:') it has a new id per run, as it has new history.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { RELAY_ID_PATTERN } from '../protocol/index';
import { keptValue } from './durable-file';

export async function relayIdFor(given: string | undefined, dataDir: string | undefined): Promise<string> {
  if (given !== undefined) {
    if (!RELAY_ID_PATTERN.test(given)) throw new RangeError(`relayId must be 8–40 characters of A–Z a–z 0–9 _ - (got ${JSON.stringify(given)}).`);
    return given;
  }
  const make = () => randomBytes(12).toString('base64url');
  if (dataDir === undefined || dataDir === ':memory:') return make();
  return keptValue(join(dataDir, 'relay-id'), (v) => RELAY_ID_PATTERN.test(v), make);
}

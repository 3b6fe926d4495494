/** Message ids: ULIDs, unique and sortable by time; monotonic within this process even within one ms. */
import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// ulid's default generator asks the crypto module for one byte per character, 16 calls per id,
// which made id generation the largest part of the relay's own work per message. The bytes still
// come from the CSPRNG, a few KiB at a time. byte / 256 is uniform over ulid's 32 symbols.
const pool = Buffer.allocUnsafe(4096);
let taken = pool.length;
function pooledRandom(): number {
  if (taken === pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  return pool[taken++]! / 256;
}

export const newMessageId: () => string = monotonicFactory(pooledRandom);

/**
 * The first seq of a room's history. Seqs start at the creation time in microseconds rather than at 1,
 * so a room re-created after an in-memory relay restart (or a flushed Redis) continues above every seq
 * a client saw before: catch-up by `lastSeq` then returns the new messages instead of skipping them.
 * Safe as a JS integer until the year 2255.
 */
export function seqBase(now: number = Date.now()): number {
  return now * 1000;
}

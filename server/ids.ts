/** Message ids: ULIDs, unique and sortable by time; monotonic within this process even within one ms. */
import { monotonicFactory } from 'ulid';

export const newMessageId: () => string = monotonicFactory();

/**
 * The first seq of a room's history. Seqs start at the creation time in microseconds rather than at 1,
 * so a room re-created after an in-memory relay restart (or a flushed Redis) continues above every seq
 * a client saw before: catch-up by `lastSeq` then returns the new messages instead of skipping them.
 * Safe as a JS integer until the year 2255.
 */
export function seqBase(now: number = Date.now()): number {
  return now * 1000;
}

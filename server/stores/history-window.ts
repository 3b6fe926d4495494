/**
 * The page arithmetic shared by history stores whose kept messages have contiguous seqs
 * (`oldestSeq..lastSeq`): which index range a query selects and what `hasMore` and `gap` mean.
 */
import type { PageQuery } from './types';

export interface Window {
  /** Seqs to return, inclusive; empty when from > to. */
  from: number;
  to: number;
  hasMore: boolean;
  gap: boolean;
}

/**
 * @param oldestSeq seq of the oldest kept message (lastSeq + 1 when none is kept)
 * @param lastSeq   newest seq ever assigned in the room (seqBase when none)
 */
export function selectWindow(oldestSeq: number, lastSeq: number, query: PageQuery): Window {
  let after = query.afterSeq;
  let staleCursor = false;
  if (after !== undefined && after > lastSeq) {
    // The client saw seqs this store never assigned: history was reset. Give the newest page.
    after = undefined;
    staleCursor = true;
  }
  const lo = Math.max(oldestSeq, after === undefined ? oldestSeq : after + 1);
  const hi = Math.min(lastSeq, query.beforeSeq === undefined ? lastSeq : query.beforeSeq - 1);
  const from = Math.max(lo, hi - query.limit + 1);
  // A gap is history the store no longer has (trimmed, or lost with a reset), not a page cut
  // short by `limit`: the rest of those is still there, reachable with `beforeSeq` (hasMore).
  const gap = staleCursor || (after !== undefined && oldestSeq > after + 1);
  return { from, to: hi, hasMore: hi >= lo && from > lo, gap };
}

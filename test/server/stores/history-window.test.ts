/**
 * selectWindow: which seqs a history query returns, and what hasMore and gap mean. Shared by the
 * memory and Redis stores, so a mistake here shows up in both.
 */
import { describe, expect, it } from 'vitest';
import { selectWindow } from '../../../server/stores/history-window';

/** The seqs a window selects. */
function seqs(w: { from: number; to: number }): number[] {
  const out: number[] = [];
  for (let s = w.from; s <= w.to; s++) out.push(s);
  return out;
}

// A room whose seqs 101..110 are all kept.
const OLDEST = 101;
const LAST = 110;

describe('selectWindow: latest page (no cursor)', () => {
  it('returns everything kept when the limit allows', () => {
    const w = selectWindow(OLDEST, LAST, { limit: 50 });
    expect(seqs(w)).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
    expect(w).toMatchObject({ hasMore: false, gap: false });
  });

  it('returns the newest `limit` messages, oldest first, with hasMore', () => {
    const w = selectWindow(OLDEST, LAST, { limit: 3 });
    expect(seqs(w)).toEqual([108, 109, 110]);
    expect(w).toMatchObject({ hasMore: true, gap: false });
  });

  it('has no more when the limit equals what is kept', () => {
    const w = selectWindow(OLDEST, LAST, { limit: 10 });
    expect(seqs(w)).toHaveLength(10);
    expect(w.hasMore).toBe(false);
  });

  it('is empty for a room with nothing kept', () => {
    // oldestSeq = lastSeq + 1 when nothing is kept.
    const w = selectWindow(111, 110, { limit: 10 });
    expect(seqs(w)).toEqual([]);
    expect(w).toMatchObject({ hasMore: false, gap: false });
  });

  it('is empty for a room that never had a message', () => {
    const w = selectWindow(1, 0, { limit: 10 });
    expect(seqs(w)).toEqual([]);
    expect(w).toMatchObject({ hasMore: false, gap: false });
  });
});

describe('selectWindow: catch-up (afterSeq)', () => {
  it('returns only messages after the cursor', () => {
    const w = selectWindow(OLDEST, LAST, { afterSeq: 107, limit: 50 });
    expect(seqs(w)).toEqual([108, 109, 110]);
    expect(w).toMatchObject({ hasMore: false, gap: false });
  });

  it('returns nothing and no gap when the client is up to date', () => {
    const w = selectWindow(OLDEST, LAST, { afterSeq: LAST, limit: 50 });
    expect(seqs(w)).toEqual([]);
    expect(w).toMatchObject({ hasMore: false, gap: false });
  });

  it('reports no gap when the cursor is just before the oldest kept message', () => {
    const w = selectWindow(OLDEST, LAST, { afterSeq: OLDEST - 1, limit: 50 });
    expect(seqs(w)[0]).toBe(OLDEST);
    expect(w.gap).toBe(false);
  });

  it('reports a gap when messages after the cursor were trimmed away', () => {
    // The client saw 95; 96..100 are gone.
    const w = selectWindow(OLDEST, LAST, { afterSeq: 95, limit: 50 });
    expect(seqs(w)).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
    expect(w.gap).toBe(true);
  });

  it('reports a gap when nothing is kept but newer seqs were assigned', () => {
    // History limit 0: seqs advance, nothing is stored.
    const w = selectWindow(111, 110, { afterSeq: 100, limit: 50 });
    expect(seqs(w)).toEqual([]);
    expect(w.gap).toBe(true);
  });

  it('treats a cursor beyond lastSeq as stale: newest page with a gap', () => {
    // The client saw seqs this store never assigned (history was reset).
    const w = selectWindow(OLDEST, LAST, { afterSeq: 500, limit: 4 });
    expect(seqs(w)).toEqual([107, 108, 109, 110]);
    expect(w).toMatchObject({ hasMore: true, gap: true });
  });

  it('treats a stale cursor on an empty room as a gap with nothing to return', () => {
    const w = selectWindow(1, 0, { afterSeq: 5, limit: 10 });
    expect(seqs(w)).toEqual([]);
    expect(w.gap).toBe(true);
  });

  it('afterSeq 0 on an empty room is not a gap', () => {
    const w = selectWindow(1, 0, { afterSeq: 0, limit: 10 });
    expect(w.gap).toBe(false);
  });
});

describe('selectWindow: scroll back (beforeSeq)', () => {
  it('returns the newest `limit` messages before the cursor', () => {
    const w = selectWindow(OLDEST, LAST, { beforeSeq: 106, limit: 3 });
    expect(seqs(w)).toEqual([103, 104, 105]);
    expect(w).toMatchObject({ hasMore: true, gap: false });
  });

  it('reaches the oldest kept message with hasMore false', () => {
    const w = selectWindow(OLDEST, LAST, { beforeSeq: 104, limit: 3 });
    expect(seqs(w)).toEqual([101, 102, 103]);
    expect(w.hasMore).toBe(false);
  });

  it('is empty before the oldest kept message', () => {
    const w = selectWindow(OLDEST, LAST, { beforeSeq: OLDEST, limit: 10 });
    expect(seqs(w)).toEqual([]);
    expect(w).toMatchObject({ hasMore: false, gap: false });
  });

  it('clamps a beforeSeq beyond lastSeq to the newest message', () => {
    const w = selectWindow(OLDEST, LAST, { beforeSeq: 10_000, limit: 2 });
    expect(seqs(w)).toEqual([109, 110]);
  });

  it('combines with afterSeq into an open interval', () => {
    const w = selectWindow(OLDEST, LAST, { afterSeq: 102, beforeSeq: 108, limit: 50 });
    expect(seqs(w)).toEqual([103, 104, 105, 106, 107]);
    expect(w).toMatchObject({ hasMore: false, gap: false });
  });

  it('an empty interval returns nothing', () => {
    const w = selectWindow(OLDEST, LAST, { afterSeq: 105, beforeSeq: 106, limit: 50 });
    expect(seqs(w)).toEqual([]);
    expect(w.hasMore).toBe(false);
  });
});

describe('selectWindow: with trimmed history', () => {
  // Seqs 1..110 were assigned, only 106..110 are kept.
  it('never selects seqs older than the oldest kept', () => {
    const w = selectWindow(106, 110, { limit: 100 });
    expect(seqs(w)).toEqual([106, 107, 108, 109, 110]);
    // hasMore is about what the store can still return, not what it once had.
    expect(w.hasMore).toBe(false);
  });

  it('scrolling back past the kept range returns nothing', () => {
    const w = selectWindow(106, 110, { beforeSeq: 100, limit: 10 });
    expect(seqs(w)).toEqual([]);
  });
});

describe('selectWindow: seqs near the clock-based base', () => {
  it('works with seqs in the 10^15 range', () => {
    const base = 1_700_000_000_000 * 1000;
    const w = selectWindow(base + 1, base + 5, { afterSeq: base + 3, limit: 10 });
    expect(seqs(w)).toEqual([base + 4, base + 5]);
    expect(w.gap).toBe(false);
  });
});

/**
 * Brings a conversation's index up to date with its store, through `HistoryStore.page` only, so it
 * works the same on every store and, in Redis mode, sees what every instance wrote: edits and
 * deletions made anywhere arrive as entries like messages.
 *
 * - New entries: everything after the index's cursor, read newest page first (a page is the newest
 *   `limit` of its range) and applied oldest first.
 * - `gap`: the store no longer holds what follows the cursor (trimmed past it, or a log that was
 *   dropped and re-created): the index is rebuilt from what the store retains.
 * - Trimming: a store keeps a conversation's last `retention` entries, so messages below
 *   `lastSeq - retention + 1` are dropped from the index as the window moves on.
 * - Anything else that took old messages away (the durable store's age limit) shows when the oldest
 *   message the index holds is no longer there: one small read checks it, and the index is rebuilt.
 *   Checked at most every PROBE_EVERY_MS per conversation: such limits are hours or days, and the
 *   check would otherwise double the reads of every search (a round trip each in Redis mode).
 */
import { HISTORY_PAGE_MAX, type ChatMessage } from '../../protocol/index';
import type { HistoryStore } from '../stores/types';
import type { ConversationIndex } from './conversation';

type Pages = Pick<HistoryStore, 'page'>;

export const PROBE_EVERY_MS = 10_000;

interface Batch {
  /** Oldest first. */
  entries: ChatMessage[];
  lastSeq: number;
}

/**
 * Every entry after `after` (0: the whole retained window), or 'gap' when the store no longer holds
 * the one right after it. At most `max` entries: a store never keeps more, so the walk ends even if
 * a misbehaving store kept answering `hasMore`.
 */
async function readAfter(store: Pages, room: string, after: number, max: number): Promise<Batch | 'gap'> {
  const since = after > 0 ? { afterSeq: after } : {};
  let page = await store.page(room, { ...since, limit: HISTORY_PAGE_MAX });
  const lastSeq = page.lastSeq;
  const pages: ChatMessage[][] = [];
  let count = 0;
  for (;;) {
    if (page.gap && after > 0) return 'gap';
    pages.push(page.messages);
    count += page.messages.length;
    const first = page.messages[0];
    if (!page.hasMore || !first || count >= max) break;
    page = await store.page(room, { ...since, beforeSeq: first.seq, limit: HISTORY_PAGE_MAX });
  }
  return { entries: pages.reverse().flat(), lastSeq };
}

async function rebuild(index: ConversationIndex, store: Pages, room: string, retention: number): Promise<void> {
  index.reset();
  const batch = (await readAfter(store, room, 0, retention)) as Batch;
  for (const entry of batch.entries) index.apply(entry);
  index.cursor = batch.lastSeq;
  index.probedAt = Date.now();
}

/** Applies what the store holds beyond the index (see the module comment). */
export async function sync(index: ConversationIndex, store: Pages, room: string, retention: number): Promise<void> {
  const batch = await readAfter(store, room, index.cursor, retention);
  if (batch === 'gap') return rebuild(index, store, room, retention);
  // No log (never written, or expired): nothing to find.
  if (batch.lastSeq === 0) return index.reset();
  // Read cold: all of it is what the store holds now.
  if (index.cursor === 0) index.probedAt = Date.now();
  for (const entry of batch.entries) index.apply(entry);
  index.cursor = Math.max(index.cursor, batch.lastSeq);
  index.trimBelow(batch.lastSeq - retention + 1);
  const oldest = index.oldestSeq();
  if (oldest === undefined || Date.now() - index.probedAt < PROBE_EVERY_MS) return;
  index.probedAt = Date.now();
  const probe = await store.page(room, { afterSeq: oldest - 1, limit: 1 });
  if (probe.gap) await rebuild(index, store, room, retention);
}

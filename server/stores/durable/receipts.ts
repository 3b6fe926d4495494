/**
 * Receipt cursors on disk (`c!<conversation>!<userId>` → { read, delivered }, keys.ts), and all of
 * them in memory: read at start-up, answered from memory after that. A cursor is two numbers per
 * user per conversation, so even many thousands load in a moment, and reading them (at every login,
 * and for every receipt fan-out) never waits for the disk.
 *
 * An advance that moves is written through the group commit and resolves once its batch is durable,
 * as a message does. What the store answers with (`cursors`, `mine`, and the cursor of an advance
 * that did not move) is what is on disk, never a value still being written: a batch can fail (a
 * full disk), and a cursor reported as read must not go back afterwards.
 *
 * Concurrent advances of one cursor: each write carries the whole pair, computed from the highest
 * pair already asked for (`latest`), not from the one on disk. Batches are written in order, so the
 * last put of a key on disk is always the highest, and the cursor never goes back; writes of one turn
 * share a batch. An advance that would not raise `latest` but finds writes still in flight waits for
 * them and looks again: if they failed, `latest` went back to the disk's pair and its own seq may
 * move the cursor after all. So a failed write leaves nothing advanced in memory, and its caller gets
 * UNAVAILABLE. (One case keeps a failed advance's effect: a later advance of the same cursor, written
 * in a later batch that succeeded, carried it along. The cursor still only moved forward, and a retry
 * of the failed one answers "not moved".)
 */
import { ErrorCode, ParleyError } from '../../../protocol/index';
import { checkAdvance, isSet, raised } from '../memory-receipts';
import type { CursorKind, CursorPair, ReceiptStore, UserCursors } from '../types';
import type { Database } from './database';
import type { GroupCommit } from './group-commit';
import { reason } from './history';
import { CURSOR, cursorKey, cursorOf, prefixRange } from './keys';

interface Cursor {
  /** The pair on disk (the value of the last put of this key that succeeded). */
  durable: CursorPair;
  /** The highest pair asked for: `durable`, or the pair of the newest write still in flight. */
  latest: CursorPair;
  /** Writes of this key in flight. */
  pending: number;
  /** Settles once the newest write in flight settled and this record reflects it. */
  settled: Promise<unknown>;
}

export class DurableReceiptStore implements ReceiptStore {
  private constructor(
    private readonly convs: Map<string, Map<string, Cursor>>,
    private readonly commit: GroupCommit,
  ) {}

  /** Reads every cursor on disk, a thousand per call into LevelDB. */
  static async load(db: Database, commit: GroupCommit): Promise<DurableReceiptStore> {
    const convs = new Map<string, Map<string, Cursor>>();
    const entries = db.iterator(prefixRange(CURSOR));
    try {
      for (let chunk = await entries.nextv(1000); chunk.length > 0; chunk = await entries.nextv(1000)) {
        for (const [key, value] of chunk) {
          const { conversation, userId } = cursorOf(key);
          const { read, delivered } = value as CursorPair;
          let users = convs.get(conversation);
          if (!users) convs.set(conversation, (users = new Map()));
          users.set(userId, idle({ read, delivered }));
        }
      }
    } finally {
      await entries.close();
    }
    return new DurableReceiptStore(convs, commit);
  }

  async advance(conversation: string, userId: string, kind: CursorKind, seq: number): Promise<{ cursor: CursorPair; moved: boolean }> {
    checkAdvance(kind, seq);
    for (;;) {
      // Looked up again after every wait: the conversation may have been dropped meanwhile.
      const cursor = this.cursor(conversation, userId);
      const next = raised(cursor.latest, kind, seq);
      if (next) return this.write(conversation, userId, cursor, next);
      if (cursor.pending === 0) return { cursor: { ...cursor.durable }, moved: false };
      await cursor.settled;
    }
  }

  private write(conversation: string, userId: string, cursor: Cursor, next: CursorPair): Promise<{ cursor: CursorPair; moved: boolean }> {
    cursor.latest = next;
    cursor.pending++;
    const done = this.commit.write([{ type: 'put', key: cursorKey(conversation, userId), value: next }]).then(
      () => {
        cursor.pending--;
        // Batches settle in the order they were written, so this is the newest pair on disk.
        cursor.durable = next;
        return { cursor: { ...next }, moved: true };
      },
      (err: unknown) => {
        cursor.pending--;
        // Only the newest write goes back: an older one failing leaves `latest` to the newer one in
        // flight, which carries this pair too and will itself succeed or go back.
        if (cursor.latest === next) cursor.latest = cursor.durable;
        throw new ParleyError(ErrorCode.UNAVAILABLE, `The relay could not save the read position (${reason(err)}); try again later.`);
      },
    );
    cursor.settled = done.catch(() => {});
    return done;
  }

  private cursor(conversation: string, userId: string): Cursor {
    let users = this.convs.get(conversation);
    if (!users) this.convs.set(conversation, (users = new Map()));
    let cursor = users.get(userId);
    if (!cursor) users.set(userId, (cursor = idle({ read: 0, delivered: 0 })));
    return cursor;
  }

  async cursors(conversation: string): Promise<UserCursors[]> {
    const out: UserCursors[] = [];
    // A cursor whose first write failed is still listed in memory, at (0, 0): that is no cursor.
    for (const [userId, c] of this.convs.get(conversation) ?? []) if (isSet(c.durable)) out.push({ userId, ...c.durable });
    return out;
  }

  async mine(userId: string, conversations: readonly string[]): Promise<Map<string, CursorPair>> {
    const found = new Map<string, CursorPair>();
    for (const conversation of conversations) {
      const c = this.convs.get(conversation)?.get(userId);
      if (c && isSet(c.durable)) found.set(conversation, { ...c.durable });
    }
    return found;
  }

  /**
   * Forgets a conversation's cursors at once, in memory, and deletes them on disk through the group
   * commit: after any put of them already asked for, so none comes back. Should the delete fail,
   * the keys stay on disk and return at the next start-up: harmless, as a conversation that expired
   * and is used again starts its seqs above the old ones, so an old cursor marks nothing new as read.
   */
  async drop(conversation: string): Promise<void> {
    const users = this.convs.get(conversation);
    if (!users) return;
    this.convs.delete(conversation);
    try {
      await this.commit.write([...users.keys()].map((userId) => ({ type: 'del' as const, key: cursorKey(conversation, userId) })));
    } catch (err) {
      throw new ParleyError(ErrorCode.UNAVAILABLE, `The relay could not delete read positions (${reason(err)}); try again later.`);
    }
  }
}

const SETTLED: Promise<unknown> = Promise.resolve();

function idle(pair: CursorPair): Cursor {
  return { durable: pair, latest: pair, pending: 0, settled: SETTLED };
}

/**
 * Read and delivery cursors in process memory (memory mode), and the rule every backend applies to
 * move one: `raised` here, the same in Lua for Redis (ADVANCE_CURSOR in redis/misc-lua.ts).
 */
import { ErrorCode, ParleyError } from '../../protocol/index';
import type { CursorKind, CursorPair, ReceiptStore, UserCursors } from './types';

/**
 * The pair after moving `kind` up to `seq`, or undefined when that changes nothing. Reading implies
 * delivery, so both kinds lift `delivered`; since every read lifted it, delivered ≥ read always
 * holds and `max(delivered, seq)` is also at least the new read cursor.
 */
export function raised(current: CursorPair, kind: CursorKind, seq: number): CursorPair | undefined {
  const read = kind === 'read' ? Math.max(current.read, seq) : current.read;
  const delivered = Math.max(current.delivered, seq);
  return read === current.read && delivered === current.delivered ? undefined : { read, delivered };
}

/**
 * Refuses what no client can mean, before any backend stores it: Redis would compare a fraction or
 * NaN as Lua numbers, and a seq past 2^53 cannot be compared exactly anywhere.
 */
export function checkAdvance(kind: CursorKind, seq: number): void {
  if (kind !== 'read' && kind !== 'delivered') throw new ParleyError(ErrorCode.INVALID_PAYLOAD, `Unknown cursor kind ${String(kind)}.`);
  if (!Number.isSafeInteger(seq) || seq < 0) throw new ParleyError(ErrorCode.INVALID_PAYLOAD, 'A cursor seq is a non-negative integer.');
}

/** A pair of a cursor that exists (0, 0 is the same as none). */
export const isSet = (pair: CursorPair): boolean => pair.read > 0 || pair.delivered > 0;

export class MemoryReceiptStore implements ReceiptStore {
  /** conversation → userId → cursors; callers get copies. */
  private readonly convs = new Map<string, Map<string, CursorPair>>();

  async advance(conversation: string, userId: string, kind: CursorKind, seq: number): Promise<{ cursor: CursorPair; moved: boolean }> {
    checkAdvance(kind, seq);
    let users = this.convs.get(conversation);
    const current = users?.get(userId) ?? { read: 0, delivered: 0 };
    const next = raised(current, kind, seq);
    if (!next) return { cursor: { ...current }, moved: false };
    if (!users) this.convs.set(conversation, (users = new Map()));
    users.set(userId, next);
    return { cursor: { ...next }, moved: true };
  }

  async cursors(conversation: string): Promise<UserCursors[]> {
    return [...(this.convs.get(conversation) ?? [])].map(([userId, pair]) => ({ userId, ...pair }));
  }

  async mine(userId: string, conversations: readonly string[]): Promise<Map<string, CursorPair>> {
    const found = new Map<string, CursorPair>();
    for (const conversation of conversations) {
      const pair = this.convs.get(conversation)?.get(userId);
      if (pair) found.set(conversation, { ...pair });
    }
    return found;
  }

  async drop(conversation: string): Promise<void> {
    this.convs.delete(conversation);
  }
}

import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/index';
import { GROUP_WINDOW_MS, startsGroup, Timeline, type TimelineEntry } from '../../../renderer/model/timeline';

/** A stored message; ts follows seq unless overridden. */
function msg(seq: number, over: Partial<ChatMessage> = {}): ChatMessage {
  return { username: 'ana', message: `m${seq}`, id: `id-${seq}`, seq, ts: 1000 * seq, room: 'lobby', userId: 'u-ana', ...over };
}

/** Compact view of what the UI would render, in order. */
function view(t: Timeline): string[] {
  return t.entries().map((e) =>
    e.kind === 'message' ? `${e.msg.id}#${e.msg.seq}` : e.kind === 'pending' ? `pending:${e.clientId}` : `sys:${e.text}`,
  );
}

describe('Timeline ordering and dedupe', () => {
  it('orders messages by seq whatever the arrival order', () => {
    const t = new Timeline();
    for (const s of [3, 1, 5, 2, 4]) expect(t.add(msg(s))).toBe(true);
    expect(view(t)).toEqual(['id-1#1', 'id-2#2', 'id-3#3', 'id-4#4', 'id-5#5']);
    expect(t.lastSeq).toBe(5);
  });

  it('drops a second copy with the same id', () => {
    const t = new Timeline();
    expect(t.add(msg(1))).toBe(true);
    expect(t.add(msg(1, { message: 'replayed' }))).toBe(false);
    expect(t.messageCount).toBe(1);
    expect(t.has('id-1')).toBe(true);
    expect(t.has('id-2')).toBe(false);
    const first = t.entries()[0];
    expect(first?.kind === 'message' && first.msg.message).toBe('m1');
  });

  it('adds nothing for replays and overlapping history pages', () => {
    const t = new Timeline();
    expect(t.addAll([msg(1), msg(2), msg(3)])).toBe(3);
    expect(t.addAll([msg(2), msg(3), msg(4)])).toBe(1);
    expect(t.addAll([msg(1), msg(2), msg(3), msg(4)])).toBe(0);
    expect(view(t)).toEqual(['id-1#1', 'id-2#2', 'id-3#3', 'id-4#4']);
  });

  it('places an older history page before live messages', () => {
    const t = new Timeline();
    t.addAll([msg(10), msg(11)]);
    expect(t.addAll([msg(7), msg(8), msg(9)])).toBe(3);
    expect(view(t).map((k) => k.split('#')[1])).toEqual(['7', '8', '9', '10', '11']);
    expect(t.lastSeq).toBe(11);
  });

  it('returns a fresh array from entries()', () => {
    const t = new Timeline();
    t.add(msg(1));
    const a = t.entries();
    a.pop();
    expect(t.entries()).toHaveLength(1);
  });
});

describe('Timeline pending (own, unacknowledged) messages', () => {
  it('shows pending entries last, even after later messages arrive', () => {
    const t = new Timeline();
    t.add(msg(1));
    t.addPending('c1', 'hello', 1500);
    t.add(msg(2));
    t.addSystem('bob joined', 2500);
    expect(view(t)).toEqual(['id-1#1', 'id-2#2', 'sys:bob joined', 'pending:c1']);
  });

  it('removes the pending entry when the stored copy with its clientId arrives', () => {
    const t = new Timeline();
    t.addPending('c1', 'hello', 1500);
    t.addPending('c2', 'again', 1600);
    t.add(msg(1, { clientId: 'c1', message: 'hello' }));
    expect(view(t)).toEqual(['id-1#1', 'pending:c2']);
  });

  it('ignores a second addPending with the same clientId, and removePending drops it', () => {
    const t = new Timeline();
    t.addPending('c1', 'hello', 1);
    t.addPending('c1', 'hello', 2);
    expect(view(t)).toEqual(['pending:c1']);
    t.removePending('c1');
    expect(t.entries()).toEqual([]);
  });

  it('marks a pending entry failed with its error, and back to pending without it', () => {
    const t = new Timeline();
    t.addPending('c1', 'a', 1);
    t.addPending('c2', 'b', 2);
    t.setPendingStatus('c1', 'failed', 'Too large');
    const [c1, c2] = t.entries();
    expect(c1).toMatchObject({ kind: 'pending', clientId: 'c1', status: 'failed', error: 'Too large' });
    expect(c2).toMatchObject({ kind: 'pending', clientId: 'c2', status: 'pending' });
    t.setPendingStatus('c1', 'pending');
    const again = t.entries()[0];
    expect(again).toMatchObject({ status: 'pending' });
    expect(again?.kind === 'pending' && again.error).toBeUndefined();
  });
});

describe('Timeline provisional copies (seq 0)', () => {
  it('puts a provisional copy last and does not move lastSeq', () => {
    const t = new Timeline();
    t.addAll([msg(1), msg(2)]);
    t.add(msg(0, { id: 'p', ts: 500 }));
    expect(view(t)).toEqual(['id-1#1', 'id-2#2', 'p#0']);
    expect(t.lastSeq).toBe(2);
  });

  it('replaces the provisional copy by the stored one, in place of order', () => {
    const t = new Timeline();
    t.add(msg(1));
    t.add(msg(0, { id: 'p', ts: 1500 }));
    expect(t.add(msg(2, { id: 'p', ts: 1500 }))).toBe(false); // already known: not a new message
    expect(view(t)).toEqual(['id-1#1', 'p#2']);
    expect(t.lastSeq).toBe(2);
    expect(t.messageCount).toBe(2);
  });

  it('moves the stored copy before messages that arrived meanwhile with a higher seq', () => {
    const t = new Timeline();
    t.add(msg(1));
    t.add(msg(0, { id: 'p', ts: 1500 }));
    t.add(msg(3));
    expect(view(t)).toEqual(['id-1#1', 'id-3#3', 'p#0']);
    t.add(msg(2, { id: 'p', ts: 1500 }));
    expect(view(t)).toEqual(['id-1#1', 'p#2', 'id-3#3']);
    expect(t.lastSeq).toBe(3);
  });

  it('keeps several provisional copies in arrival order, then orders their stored copies by seq', () => {
    const t = new Timeline();
    t.add(msg(0, { id: 'p1' }));
    t.add(msg(0, { id: 'p2' }));
    expect(view(t)).toEqual(['p1#0', 'p2#0']);
    t.add(msg(5, { id: 'p2' }));
    expect(view(t)).toEqual(['p2#5', 'p1#0']);
    t.add(msg(4, { id: 'p1' }));
    expect(view(t)).toEqual(['p1#4', 'p2#5']);
  });

  it('ignores a provisional copy arriving after the stored one, and later replays', () => {
    const t = new Timeline();
    t.add(msg(3, { id: 'p' }));
    expect(t.add(msg(0, { id: 'p' }))).toBe(false);
    expect(t.add(msg(3, { id: 'p' }))).toBe(false);
    expect(view(t)).toEqual(['p#3']);
  });

  it('removes the pending entry when the provisional copy with its clientId arrives', () => {
    const t = new Timeline();
    t.addPending('c1', 'hi', 1);
    t.add(msg(0, { id: 'p', clientId: 'c1' }));
    expect(view(t)).toEqual(['p#0']);
  });

  it('has lastSeq 0 and no oldestSeq while only provisional copies are held', () => {
    const t = new Timeline();
    t.add(msg(0, { id: 'p' }));
    expect(t.lastSeq).toBe(0);
    expect(t.oldestSeq()).toBeUndefined();
  });
});

describe('Timeline system lines', () => {
  // System lines are anchored to the newest seq seen when they were added, not ordered by clock:
  // their ts is the client's clock, messages carry the server's.
  it('anchors a system line after the newest message seen when it was added', () => {
    const t = new Timeline();
    t.add(msg(1, { ts: 1000 }));
    t.addSystem('bob joined', 1500);
    t.add(msg(3, { ts: 3000 }));
    expect(view(t)).toEqual(['id-1#1', 'sys:bob joined', 'id-3#3']);
    // A message from a catch-up, even one stamped before the line, lands after it: it was not seen yet.
    t.add(msg(2, { ts: 1200 }));
    expect(view(t)).toEqual(['id-1#1', 'sys:bob joined', 'id-2#2', 'id-3#3']);
  });

  it('keeps a message written after the system line after it, even when it fills a seq gap', () => {
    const t = new Timeline();
    t.add(msg(1, { ts: 1000 }));
    t.addSystem('bob joined', 1500);
    t.add(msg(3, { ts: 3000 }));
    t.add(msg(2, { ts: 1800 }));
    expect(view(t)).toEqual(['id-1#1', 'sys:bob joined', 'id-2#2', 'id-3#3']);
  });

  // System lines carry the client's clock, messages the server's. With the client 5 s behind, a
  // scroll-back page must still land before the newer messages (and oldestSeq must move back).
  it('keeps messages in seq order when a system line has an earlier (client-clock) ts', () => {
    const t = new Timeline();
    t.add(msg(10, { ts: 10_000 }));
    t.addSystem('bob joined', 5_500);
    t.add(msg(11, { ts: 11_000 }));
    t.addAll([msg(8, { ts: 8_000 }), msg(9, { ts: 9_000 })]);
    const seqs = t.entries().flatMap((e) => (e.kind === 'message' ? [e.msg.seq] : []));
    expect(seqs).toEqual([8, 9, 10, 11]);
    expect(t.oldestSeq()).toBe(8);
  });

  it('gives each system line its own key, even with the same text and ts', () => {
    const t = new Timeline();
    t.addSystem('bob joined', 1);
    t.addSystem('bob joined', 1);
    const keys = t.entries().map((e) => e.key);
    expect(new Set(keys).size).toBe(2);
  });
});

describe('Timeline cap and scroll-back', () => {
  it('trims the oldest entries past the cap, sets hasMore and forgets their ids', () => {
    const t = new Timeline(3);
    t.addAll([msg(1), msg(2), msg(3)]);
    expect(t.hasMore).toBe(false);
    t.addAll([msg(4), msg(5)]);
    expect(view(t)).toEqual(['id-3#3', 'id-4#4', 'id-5#5']);
    expect(t.hasMore).toBe(true);
    expect(t.has('id-1')).toBe(false);
    expect(t.has('id-2')).toBe(false);
    expect(t.messageCount).toBe(3);
    expect(t.oldestSeq()).toBe(3);
    expect(t.lastSeq).toBe(5);
  });

  it('counts system lines against the cap', () => {
    const t = new Timeline(3);
    t.add(msg(1));
    t.addSystem('bob joined', 1500);
    t.add(msg(2, { ts: 2000 }));
    t.addSystem('bob left', 2500);
    expect(view(t)).toEqual(['sys:bob joined', 'id-2#2', 'sys:bob left']);
    expect(t.has('id-1')).toBe(false);
    expect(t.hasMore).toBe(true);
  });

  it('reports the oldest confirmed seq, skipping system lines', () => {
    const t = new Timeline();
    expect(t.oldestSeq()).toBeUndefined();
    t.addSystem('bob joined', 1);
    t.addAll([msg(7), msg(8)]);
    expect(t.oldestSeq()).toBe(7);
    t.add(msg(4));
    expect(t.oldestSeq()).toBe(4);
  });
});

describe('startsGroup', () => {
  const SELF = 'u-me';
  const mine = (seq: number, ts: number) => msg(seq, { ts, userId: SELF, username: 'me' });
  const theirs = (seq: number, ts: number) => msg(seq, { ts, userId: 'u-bob', username: 'bob' });
  // No default parameter: an explicit undefined (unknown self id) must reach startsGroup.
  const groups = (entries: TimelineEntry[], self: string | undefined) => entries.map((_, i) => startsGroup(entries, i, self));

  function entriesOf(...build: ((t: Timeline) => void)[]): TimelineEntry[] {
    const t = new Timeline();
    for (const b of build) b(t);
    return t.entries();
  }

  it('starts a group at the first entry and continues the same author within 5 minutes', () => {
    const e = entriesOf((t) => t.addAll([mine(1, 0), mine(2, 60_000), mine(3, 60_000 + GROUP_WINDOW_MS)]));
    expect(groups(e, SELF)).toEqual([true, false, false]);
  });

  it('starts a group after a gap of more than 5 minutes', () => {
    const e = entriesOf((t) => t.addAll([mine(1, 0), mine(2, GROUP_WINDOW_MS + 1)]));
    expect(groups(e, SELF)).toEqual([true, true]);
  });

  it('starts a group for another author', () => {
    const e = entriesOf((t) => t.addAll([mine(1, 0), theirs(2, 1000), theirs(3, 2000), mine(4, 3000)]));
    expect(groups(e, SELF)).toEqual([true, true, false, true]);
  });

  it('treats a system line as its own group and starts a new one after it', () => {
    const e = entriesOf(
      (t) => t.add(mine(1, 0)),
      (t) => t.addSystem('bob joined', 500),
      (t) => t.add(mine(2, 1000)),
    );
    expect(e.map((x) => x.kind)).toEqual(['message', 'system', 'message']);
    expect(groups(e, SELF)).toEqual([true, true, true]);
  });

  it('groups pending own messages with own confirmed ones, not with others', () => {
    const own = entriesOf(
      (t) => t.add(mine(1, 0)),
      (t) => t.addPending('c1', 'a', 1000),
      (t) => t.addPending('c2', 'b', 2000),
    );
    expect(groups(own, SELF)).toEqual([true, false, false]);
    const afterOther = entriesOf((t) => t.add(theirs(1, 0)), (t) => t.addPending('c1', 'a', 1000));
    expect(groups(afterOther, SELF)).toEqual([true, true]);
  });

  it('starts a group for a pending message when the user id is not known yet', () => {
    const e = entriesOf((t) => t.add(mine(1, 0)), (t) => t.addPending('c1', 'a', 1000));
    expect(groups(e, undefined)).toEqual([true, true]);
  });

  it('returns true for an index past the end', () => {
    expect(startsGroup([], 0, SELF)).toBe(true);
  });
});

describe('Timeline catch-up cursor (syncedSeq)', () => {
  it('follows in-order messages and starts at the first stored one (earlier ones are older history)', () => {
    const t = new Timeline();
    t.add(msg(100));
    t.add(msg(101));
    expect(t.syncedSeq).toBe(101);
    expect(t.hasHole).toBe(false);
  });

  it('stays below a hole: a later message from another instance does not move it past a missing one', () => {
    const t = new Timeline();
    t.add(msg(10));
    t.add(msg(12));
    t.add(msg(13));
    expect(t.lastSeq).toBe(13);
    expect(t.syncedSeq).toBe(10);
    expect(t.hasHole).toBe(true);
    t.add(msg(11)); // the late one arrives
    expect(t.syncedSeq).toBe(13);
    expect(t.hasHole).toBe(false);
  });

  it('moves past a hole the relay answered for (markSynced): those seqs do not exist', () => {
    const t = new Timeline();
    t.add(msg(10));
    t.add(msg(15));
    t.markSynced(14);
    expect(t.syncedSeq).toBe(15);
    expect(t.hasHole).toBe(false);
    t.markSynced(3); // an older answer never moves it back
    expect(t.syncedSeq).toBe(15);
  });

  it('ignores provisional copies and duplicates, and counts a confirmed copy once', () => {
    const t = new Timeline();
    t.add(msg(1));
    t.add(msg(0, { id: 'prov' }));
    expect(t.syncedSeq).toBe(1);
    t.add(msg(2, { id: 'prov' })); // the stored copy of the provisional one
    t.add(msg(2, { id: 'prov' }));
    expect(t.syncedSeq).toBe(2);
    expect(t.hasHole).toBe(false);
  });

  it('is not moved by scroll-back pages below it', () => {
    const t = new Timeline();
    t.addAll([msg(50), msg(51)]);
    t.addAll([msg(40), msg(41)]);
    expect(t.syncedSeq).toBe(51);
    expect(t.hasHole).toBe(false);
  });
});

/**
 * ReceiptStore (issue 22), memory, durable and Redis alike: one read and one delivered cursor per
 * user per conversation, that only move forward, where reading implies delivery; every user's
 * cursors of a conversation, one user's across conversations, and their end with the conversation
 * (drop, expiry). Durable and Redis keep them across a restart.
 */
import { describe, expect, it } from 'vitest';
import { dmRoomId, ErrorCode } from '../../../../protocol/index';
import type { ChatStores, CursorKind } from '../../../../server/stores/types';
import { connect, draft, nextMillisecond, session, useBackends } from './backends';

const backends = useBackends();

const ANA = 'ana-0123456789abcdef';
const BOB = 'bob-0123456789abcdef';
const CY = 'cy-00123456789abcdef';
const ANA_BOB = dmRoomId(ANA, BOB);
// Seqs as the stores make them: clock-derived, 16 digits (a double past 2^53 would not be exact).
const BASE = 1_780_000_000_000_000;

const byUser = (a: { userId: string }, b: { userId: string }) => a.userId.localeCompare(b.userId);

describe.each(backends)('receipt cursors ($kind)', (backend) => {
  it('move forward only: a seq at or below the cursor changes nothing', async () => {
    const { receipts } = await backend.stores();
    expect(await receipts.advance('dev', ANA, 'read', BASE + 5)).toEqual({ cursor: { read: BASE + 5, delivered: BASE + 5 }, moved: true });
    expect(await receipts.advance('dev', ANA, 'read', BASE + 5)).toEqual({ cursor: { read: BASE + 5, delivered: BASE + 5 }, moved: false });
    expect(await receipts.advance('dev', ANA, 'read', BASE + 3)).toEqual({ cursor: { read: BASE + 5, delivered: BASE + 5 }, moved: false });
    expect(await receipts.advance('dev', ANA, 'delivered', BASE + 4)).toEqual({ cursor: { read: BASE + 5, delivered: BASE + 5 }, moved: false });
    expect(await receipts.advance('dev', ANA, 'read', BASE + 9)).toEqual({ cursor: { read: BASE + 9, delivered: BASE + 9 }, moved: true });
    expect(await receipts.cursors('dev')).toEqual([{ userId: ANA, read: BASE + 9, delivered: BASE + 9 }]);
  });

  it('reading lifts the delivered cursor; delivery does not lift the read one', async () => {
    const { receipts } = await backend.stores();
    expect(await receipts.advance(ANA_BOB, BOB, 'delivered', BASE + 7)).toEqual({ cursor: { read: 0, delivered: BASE + 7 }, moved: true });
    // Read below what was delivered: read moves, delivered stays.
    expect(await receipts.advance(ANA_BOB, BOB, 'read', BASE + 4)).toEqual({ cursor: { read: BASE + 4, delivered: BASE + 7 }, moved: true });
    // Read past it: both move, in one step.
    expect(await receipts.advance(ANA_BOB, BOB, 'read', BASE + 10)).toEqual({ cursor: { read: BASE + 10, delivered: BASE + 10 }, moved: true });
    expect(await receipts.advance(ANA_BOB, BOB, 'delivered', BASE + 12)).toEqual({ cursor: { read: BASE + 10, delivered: BASE + 12 }, moved: true });
  });

  it('concurrent advances end at the highest seq, and each is told the truth', async () => {
    const { receipts } = await backend.stores();
    const seqs = Array.from({ length: 50 }, () => BASE + Math.floor(Math.random() * 1000));
    const kinds = seqs.map((_, i): CursorKind => (i % 3 === 0 ? 'delivered' : 'read'));
    const results = await Promise.all(seqs.map((seq, i) => receipts.advance('dev', ANA, kinds[i]!, seq)));
    const maxRead = Math.max(...seqs.filter((_, i) => kinds[i] === 'read'));
    const maxDelivered = Math.max(...seqs);
    expect(await receipts.cursors('dev')).toEqual([{ userId: ANA, read: maxRead, delivered: maxDelivered }]);
    results.forEach(({ cursor, moved }, i) => {
      // Every answer covers the caller's own seq, and the cursors a caller saw never went down.
      expect(cursor.delivered).toBeGreaterThanOrEqual(seqs[i]!);
      if (kinds[i] === 'read') expect(cursor.read).toBeGreaterThanOrEqual(seqs[i]!);
      expect(cursor.delivered).toBeGreaterThanOrEqual(cursor.read);
      if (moved) expect(cursor.delivered === seqs[i] || cursor.read === seqs[i]).toBe(true);
    });
    expect(results.some((r) => r.moved)).toBe(true);
  });

  it('cursors lists every user of a conversation and no other conversation', async () => {
    const { receipts } = await backend.stores();
    expect(await receipts.cursors('dev')).toEqual([]);
    await receipts.advance('dev', ANA, 'read', BASE + 3);
    await receipts.advance('dev', BOB, 'delivered', BASE + 2);
    await receipts.advance('dev', CY, 'read', BASE + 1);
    await receipts.advance('ops', ANA, 'read', BASE + 8);
    expect((await receipts.cursors('dev')).sort(byUser)).toEqual([
      { userId: ANA, read: BASE + 3, delivered: BASE + 3 },
      { userId: BOB, read: 0, delivered: BASE + 2 },
      { userId: CY, read: BASE + 1, delivered: BASE + 1 },
    ]);
    expect(await receipts.cursors('ops')).toEqual([{ userId: ANA, read: BASE + 8, delivered: BASE + 8 }]);
  });

  it("mine gives one user's cursors in the conversations asked for, leaving out those without", async () => {
    const { receipts } = await backend.stores();
    await receipts.advance('dev', ANA, 'read', BASE + 3);
    await receipts.advance(ANA_BOB, ANA, 'delivered', BASE + 6);
    await receipts.advance('ops', BOB, 'read', BASE + 8); // someone else's
    await receipts.advance('qa', ANA, 'read', BASE + 1); // not asked for
    const mine = await receipts.mine(ANA, ['dev', ANA_BOB, 'ops', 'nowhere']);
    expect(mine).toEqual(
      new Map([
        ['dev', { read: BASE + 3, delivered: BASE + 3 }],
        [ANA_BOB, { read: 0, delivered: BASE + 6 }],
      ]),
    );
    expect(await receipts.mine(ANA, [])).toEqual(new Map());
  });

  it('drop forgets a conversation, and only that one', async () => {
    const { receipts } = await backend.stores();
    await receipts.advance('dev', ANA, 'read', BASE + 3);
    await receipts.advance('dev', BOB, 'read', BASE + 4);
    await receipts.advance('ops', ANA, 'read', BASE + 5);
    await receipts.drop('dev');
    await receipts.drop('never-used');
    expect(await receipts.cursors('dev')).toEqual([]);
    expect(await receipts.mine(ANA, ['dev', 'ops'])).toEqual(new Map([['ops', { read: BASE + 5, delivered: BASE + 5 }]]));
    // A dropped cursor starts again from nothing.
    expect(await receipts.advance('dev', ANA, 'delivered', BASE + 1)).toEqual({ cursor: { read: 0, delivered: BASE + 1 }, moved: true });
  });

  it('refuses a seq that is not a non-negative integer, and 0 moves nothing', async () => {
    const { receipts } = await backend.stores();
    for (const seq of [-1, 1.5, Number.NaN, 2 ** 53]) {
      await expect(receipts.advance('dev', ANA, 'read', seq)).rejects.toMatchObject({ code: ErrorCode.INVALID_PAYLOAD });
    }
    expect(await receipts.advance('dev', ANA, 'read', 0)).toEqual({ cursor: { read: 0, delivered: 0 }, moved: false });
    expect(await receipts.cursors('dev')).toEqual([]);
  });

  it.runIf(backend.reopen)('keeps cursors across a restart', async () => {
    const first = await backend.stores();
    await first.receipts.advance('dev', ANA, 'read', BASE + 3);
    await first.receipts.advance('dev', BOB, 'delivered', BASE + 9);
    await first.receipts.advance(ANA_BOB, ANA, 'read', BASE + 2);
    await first.receipts.advance('ops', CY, 'read', BASE + 1);
    await first.receipts.drop('ops');
    const again = await backend.reopen!(first);
    expect((await again.receipts.cursors('dev')).sort(byUser)).toEqual([
      { userId: ANA, read: BASE + 3, delivered: BASE + 3 },
      { userId: BOB, read: 0, delivered: BASE + 9 },
    ]);
    expect(await again.receipts.mine(ANA, ['dev', ANA_BOB, 'ops'])).toEqual(
      new Map([
        ['dev', { read: BASE + 3, delivered: BASE + 3 }],
        [ANA_BOB, { read: BASE + 2, delivered: BASE + 2 }],
      ]),
    );
    expect(await again.receipts.cursors('ops')).toEqual([]);
    // Still only forward after the restart.
    expect(await again.receipts.advance('dev', ANA, 'read', BASE + 2)).toEqual({ cursor: { read: BASE + 3, delivered: BASE + 3 }, moved: false });
  });
});

describe.each(backends)('receipt cursors and expiry ($kind)', (backend) => {
  /** A room that was used and is empty now, with cursors; resolves with what the expiry sweep reads. */
  async function usedRoom(stores: ChatStores, room: string) {
    await stores.rooms.create(room);
    await connect(stores.presence, session(`s-${room}`, `u-${room}`, `U-${room}`));
    await stores.presence.join(`s-${room}`, room);
    const { message } = await stores.history.append(draft('notes', { room, userId: ANA }));
    await stores.receipts.advance(room, ANA, 'read', message.seq);
    await stores.receipts.advance(room, BOB, 'delivered', message.seq);
    await stores.presence.leave(`s-${room}`, room);
    return { lastSeq: message.seq, pv: (await stores.presence.snapshot(room)).pv };
  }

  it("an expired room's cursors go with it; another room's stay", async () => {
    const stores = await backend.stores();
    const idle = await usedRoom(stores, 'standup');
    await usedRoom(stores, 'other');
    expect(await stores.expire('standup', idle)).toBe(true);
    expect(await stores.receipts.cursors('standup')).toEqual([]);
    expect(await stores.receipts.mine(ANA, ['standup', 'other'])).toEqual(new Map([['other', { read: expect.any(Number), delivered: expect.any(Number) }]]));
    expect(await stores.receipts.cursors('other')).toHaveLength(2);
  });

  it('a room that is not expired (a message came since the look) keeps its cursors', async () => {
    const stores = await backend.stores();
    const stale = await usedRoom(stores, 'standup');
    await stores.history.append(draft('one more', { room: 'standup' }));
    expect(await stores.expire('standup', stale)).toBe(false);
    expect(await stores.receipts.cursors('standup')).toHaveLength(2);
  });

  it("an expired DM's cursors go with its log, and a DM used again starts without them", async () => {
    const stores = await backend.stores();
    const { message } = await stores.history.append(draft('psst', { room: ANA_BOB, userId: ANA }));
    await stores.receipts.advance(ANA_BOB, BOB, 'read', message.seq);
    await stores.receipts.advance(ANA_BOB, ANA, 'read', message.seq);
    expect(await stores.expire(ANA_BOB, { lastSeq: message.seq - 1 })).toBe(false);
    expect(await stores.receipts.cursors(ANA_BOB)).toHaveLength(2);
    expect(await stores.expire(ANA_BOB, { lastSeq: message.seq })).toBe(true);
    expect(await stores.receipts.cursors(ANA_BOB)).toEqual([]);
    await nextMillisecond();
    const fresh = await stores.history.append(draft('hello again', { room: ANA_BOB, userId: ANA }));
    expect(fresh.message.seq).toBeGreaterThan(message.seq);
    expect(await stores.receipts.mine(BOB, [ANA_BOB])).toEqual(new Map());
  });
});

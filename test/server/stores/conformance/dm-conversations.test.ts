/**
 * DM conversations, memory and Redis alike: a DM log is a conversation like a room's (own seqs,
 * idempotent sends), `dmConversations` lists every DM with a log for the expiry sweep, and
 * `expire` frees a DM log only if nothing was written since the caller looked.
 */
import { describe, expect, it } from 'vitest';
import { dmRoomId } from '../../../../protocol/index';
import { connect, draft, LOBBY, nextMillisecond, session, useBackends } from './backends';

const backends = useBackends();

const ANA = 'ana-0123456789abcdef';
const BOB = 'bob-0123456789abcdef';
const CY = 'cy-00123456789abcdef';
const ANA_BOB = dmRoomId(ANA, BOB);
const ANA_CY = dmRoomId(ANA, CY);

const dm = (room: string, message: string, clientId?: string) =>
  draft(message, { room, userId: ANA, ...(clientId === undefined ? {} : { clientId }) });

describe.each(backends)('DM logs ($kind)', (backend) => {
  it('number their messages on their own and deduplicate retries, like rooms', async () => {
    const { history } = await backend.stores();
    const one = await history.append(dm(ANA_BOB, 'one', 'client-0001'));
    await history.append(draft('lobby chatter'));
    const two = await history.append(dm(ANA_BOB, 'two'));
    expect(two.message.seq).toBe(one.message.seq + 1);
    expect(await history.append(dm(ANA_BOB, 'one', 'client-0001'))).toEqual({ message: one.message, duplicate: true });
    expect((await history.page(ANA_BOB, { limit: 10 })).messages).toEqual([one.message, two.message]);
  });

  it('dmConversations lists each DM with a log once, and no public room', async () => {
    const stores = await backend.stores();
    expect(await stores.dmConversations()).toEqual([]);
    await stores.history.append(dm(ANA_BOB, 'hi'));
    await stores.history.append(dm(ANA_BOB, 'again'));
    await stores.history.append(dm(ANA_CY, 'hi'));
    await stores.history.append(draft('public', { room: 'dev' }));
    await stores.history.page(dmRoomId(BOB, CY), { limit: 10 }); // reading makes no log
    expect((await stores.dmConversations()).sort()).toEqual([ANA_BOB, ANA_CY].sort());
  });

  it('lists a DM even when the relay keeps no history (its seq counter is the log)', async () => {
    const stores = await backend.stores({ historyLimit: 0 });
    await stores.history.append(dm(ANA_BOB, 'hi'));
    expect(await stores.dmConversations()).toEqual([ANA_BOB]);
  });
});

describe.each(backends)('DM expiry ($kind)', (backend) => {
  it('frees the log of a DM not written to since the look, and only that one', async () => {
    const stores = await backend.stores();
    await stores.history.append(dm(ANA_BOB, 'hi'));
    await stores.history.append(dm(ANA_CY, 'hi'));
    await stores.history.append(draft('lobby chatter'));
    const { lastSeq } = await stores.history.page(ANA_BOB, { limit: 1 });
    expect(await stores.expire(ANA_BOB, { lastSeq })).toBe(true);
    expect(await stores.dmConversations()).toEqual([ANA_CY]);
    expect(await stores.history.page(ANA_BOB, { limit: 10 })).toEqual({ room: ANA_BOB, messages: [], lastSeq: 0, hasMore: false, gap: false });
    expect((await stores.history.page(ANA_CY, { limit: 10 })).messages).toHaveLength(1);
    expect((await stores.history.page(LOBBY, { limit: 10 })).messages).toHaveLength(1);
  });

  it('refuses, changing nothing, when a message came after the look', async () => {
    const stores = await backend.stores();
    await stores.history.append(dm(ANA_BOB, 'hi'));
    const { lastSeq } = await stores.history.page(ANA_BOB, { limit: 1 });
    await stores.history.append(dm(ANA_BOB, 'still here'));
    expect(await stores.expire(ANA_BOB, { lastSeq })).toBe(false);
    expect(await stores.dmConversations()).toEqual([ANA_BOB]);
    expect((await stores.history.page(ANA_BOB, { limit: 10 })).messages.map((m) => m.message)).toEqual(['hi', 'still here']);
  });

  it('does not look at presence: judging the parties away is the caller’s part (chat/expiry.ts)', async () => {
    const stores = await backend.stores();
    await connect(stores.presence, session('s1', ANA, 'Ana'));
    await connect(stores.presence, session('s2', BOB, 'Bob'));
    await stores.history.append(dm(ANA_BOB, 'hi'));
    const { lastSeq } = await stores.history.page(ANA_BOB, { limit: 1 });
    expect(await stores.expire(ANA_BOB, { lastSeq })).toBe(true);
    expect(await stores.presence.user(ANA)).toEqual({ id: ANA, username: 'Ana' });
  });

  it('a DM written to again after expiry is listed again, its seqs above the old ones', async () => {
    const stores = await backend.stores();
    const old = await stores.history.append(dm(ANA_BOB, 'before'));
    expect(await stores.expire(ANA_BOB, { lastSeq: old.message.seq })).toBe(true);
    await nextMillisecond();
    const fresh = await stores.history.append(dm(ANA_BOB, 'after'));
    expect(fresh.message.seq).toBeGreaterThan(old.message.seq);
    expect(await stores.dmConversations()).toEqual([ANA_BOB]);
    expect((await stores.history.page(ANA_BOB, { afterSeq: old.message.seq, limit: 10 })).messages).toEqual([fresh.message]);
  });
});

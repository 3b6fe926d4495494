/**
 * ChatStores.expire for public rooms, memory and Redis alike: "atomic and conditional: nothing
 * happens, and false is returned, if the room has members or its pv or lastSeq changed since the
 * caller looked"; when it happens the room leaves the room set with its presence version and
 * history. The sweep deciding when to call it is tested in test/server/chat/expiry.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ChatStores, ExpectIdle } from '../../../../server/stores/types';
import { connect, draft, LOBBY, nextMillisecond, session, useBackends } from './backends';

const backends = useBackends();

/** What the expiry sweep reads before it asks the store to delete (chat/expiry.ts). */
async function look(stores: ChatStores, room: string): Promise<ExpectIdle> {
  const [page, snapshot] = await Promise.all([stores.history.page(room, { limit: 1 }), stores.presence.snapshot(room)]);
  return { lastSeq: page.lastSeq, pv: snapshot.pv };
}

/** A room that was used and is empty now: created, joined, written to, left. */
async function usedRoom(stores: ChatStores, room = 'standup'): Promise<void> {
  await stores.rooms.create(room);
  await connect(stores.presence, session('s1', 'u-ana', 'Ana'));
  await stores.presence.join('s1', room);
  await stores.history.append(draft('notes', { room }));
  await stores.presence.leave('s1', room);
}

async function intact(stores: ChatStores, room: string, messages: number): Promise<void> {
  expect(await stores.rooms.exists(room)).toBe(true);
  expect(await stores.rooms.list()).toContain(room);
  expect((await stores.history.page(room, { limit: 10 })).messages).toHaveLength(messages);
}

describe.each(backends)('room expiry ($kind)', (backend) => {
  it('deletes an idle room with its history and presence version', async () => {
    const stores = await backend.stores();
    await usedRoom(stores);
    await usedRoom(stores, 'other');
    expect(await stores.expire('standup', await look(stores, 'standup'))).toBe(true);
    expect(await stores.rooms.exists('standup')).toBe(false);
    expect((await stores.rooms.list()).sort()).toEqual([LOBBY, 'other']);
    expect(await stores.history.page('standup', { limit: 10 })).toEqual({ room: 'standup', messages: [], lastSeq: 0, hasMore: false, gap: false });
    expect(await stores.presence.snapshot('standup')).toEqual({ room: 'standup', numUsers: 0, users: [], pv: 0 });
    await intact(stores, 'other', 1);
    // Gone means creatable again (a client that had it saved re-creates it, empty).
    expect(await stores.rooms.create('standup')).toEqual({ created: true });
  });

  it('deletes a room nobody ever joined or wrote to (lastSeq 0, pv 0)', async () => {
    const stores = await backend.stores();
    await stores.rooms.create('unused');
    expect(await look(stores, 'unused')).toEqual({ lastSeq: 0, pv: 0 });
    expect(await stores.expire('unused', { lastSeq: 0, pv: 0 })).toBe(true);
    expect(await stores.rooms.list()).toEqual([LOBBY]);
  });

  it('never deletes the lobby', async () => {
    const stores = await backend.stores();
    await stores.history.append(draft('hello'));
    expect(await stores.expire(LOBBY, await look(stores, LOBBY))).toBe(false);
    await intact(stores, LOBBY, 1);
  });

  it('refuses while the room has members, even with the current pv and lastSeq', async () => {
    const stores = await backend.stores();
    await usedRoom(stores);
    await stores.presence.join('s1', 'standup');
    expect(await stores.expire('standup', await look(stores, 'standup'))).toBe(false);
    await intact(stores, 'standup', 1);
    expect(await stores.presence.count('standup')).toBe(1);
  });

  it('refuses when someone joined and left since the look (pv moved)', async () => {
    const stores = await backend.stores();
    await usedRoom(stores);
    const stale = await look(stores, 'standup');
    await stores.presence.join('s1', 'standup');
    await stores.presence.leave('s1', 'standup');
    expect(await stores.expire('standup', stale)).toBe(false);
    await intact(stores, 'standup', 1);
    expect(await stores.expire('standup', await look(stores, 'standup'))).toBe(true);
  });

  it('refuses when a message came since the look (lastSeq moved)', async () => {
    const stores = await backend.stores();
    await usedRoom(stores);
    const stale = await look(stores, 'standup');
    await stores.history.append(draft('one more', { room: 'standup' }));
    expect(await stores.expire('standup', stale)).toBe(false);
    await intact(stores, 'standup', 2);
  });

  it('a re-created room continues above the old seqs and presence versions', async () => {
    const stores = await backend.stores();
    await usedRoom(stores);
    const old = await look(stores, 'standup');
    expect(await stores.expire('standup', old)).toBe(true);
    await nextMillisecond();
    await stores.rooms.create('standup');
    const { change } = await stores.presence.join('s1', 'standup');
    const { message } = await stores.history.append(draft('fresh', { room: 'standup' }));
    expect(change!.pv).toBeGreaterThan(old.pv!);
    expect(message.seq).toBeGreaterThan(old.lastSeq);
    // A client holding the old cursor is given the new messages.
    expect((await stores.history.page('standup', { afterSeq: old.lastSeq, limit: 10 })).messages).toEqual([message]);
  });

  it('idempotency records after expiry: memory forgets them with the log, durable and Redis keep them 24 h', async () => {
    // docs/reliability.md: memory's records live in the conversation's log; Redis's are keys of their
    // own with a 24-hour TTL "whatever the history window", so a retry of a message whose room expired
    // is still answered with that (now deleted) stored copy rather than stored again.
    const stores = await backend.stores();
    await stores.rooms.create('standup');
    const first = await stores.history.append(draft('hi', { room: 'standup', clientId: 'client-0001' }));
    expect(await stores.expire('standup', await look(stores, 'standup'))).toBe(true);
    const retry = await stores.history.append(draft('hi', { room: 'standup', clientId: 'client-0001' }));
    if (backend.kind === 'memory') expect(retry.duplicate).toBe(false);
    else expect(retry).toEqual({ message: first.message, duplicate: true });
  });
});

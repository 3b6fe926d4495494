/** `search` over the wire, and the edit-and-search scenario every deployment kind runs (issue 23). */
import { expect } from 'vitest';
import type { ChangeOk, SearchResults, SendOk } from '../../protocol/index';
import { loggedIn, request, type TestSocket } from './clients';

/** Room for many searches (each costs SEARCH_COST of the socket's bucket) and messages in a row. */
export const ROOMY_LIMITS = { socketEvents: { capacity: 10_000, perSecond: 10_000 }, userMessages: { capacity: 10_000, perSecond: 10_000 } };

export async function search(socket: TestSocket, query: string, extra: { room?: string; limit?: number } = {}): Promise<SearchResults> {
  const res = await request<SearchResults>(socket, 'search', { query, ...extra });
  if (!res.ok) throw new Error(`search refused: ${res.code} ${res.message}`);
  return res;
}

/** The texts of a search's hits, newest first. */
export async function found(socket: TestSocket, query: string, extra: { room?: string; limit?: number } = {}): Promise<string[]> {
  return (await search(socket, query, extra)).hits.map((h) => h.message.message);
}

export async function say(socket: TestSocket, text: string, to: { room?: string; to?: string } = {}): Promise<SendOk> {
  const res = await request<SendOk>(socket, 'new message', { text, ...to });
  if (!res.ok) throw new Error(`send refused: ${res.code}`);
  return res;
}

async function change(socket: TestSocket, event: 'message:edit' | 'message:delete', body: object): Promise<void> {
  const res = await request<ChangeOk>(socket, event, body);
  if (!res.ok) throw new Error(`${event} refused: ${res.code} ${res.message}`);
}

/**
 * In a room of their own, Ana (on relay `a`) and Ben (on `b`) write, both search, then Ana edits one message and deletes another: on both
 * relays the edited message is found by its new words only and the deleted one not at all, by
 * indexes that were built before the changes (so they follow the change entries). Returns the room.
 */
export async function editAndSearch(a: string, b: string, room = `edits-${Math.random().toString(36).slice(2, 10)}`): Promise<string> {
  const { socket: ana } = await loggedIn(a, 'ana', { rooms: [room] });
  const { socket: ben } = await loggedIn(b, 'ben', { rooms: [room] });
  const typo = await say(ana, 'the quarterly reprot is ready', { room });
  const secret = await say(ana, 'the wifi password is swordfish', { room });
  await say(ben, 'thanks, reading the report now', { room });
  expect(await found(ben, 'reprot')).toEqual(['the quarterly reprot is ready']);
  expect(await found(ana, 'swordfish')).toEqual(['the wifi password is swordfish']);

  await change(ana, 'message:edit', { room, id: typo.id, seq: typo.seq, text: 'the quarterly report is ready' });
  await change(ana, 'message:delete', { room, id: secret.id, seq: secret.seq });
  for (const socket of [ana, ben]) {
    expect(await found(socket, 'report')).toEqual(['thanks, reading the report now', 'the quarterly report is ready']);
    expect(await found(socket, 'reprot')).toEqual([]);
    expect(await found(socket, 'swordfish')).toEqual([]);
    expect(await found(socket, 'the', { room })).toEqual(['thanks, reading the report now', 'the quarterly report is ready']);
    const [hit] = (await search(socket, 'quarterly')).hits;
    expect(hit!.message).toMatchObject({ id: typo.id, seq: typo.seq, edited: expect.any(Number) });
    expect(hit!.ranges).toEqual([[4, 13]]);
  }
  return room;
}

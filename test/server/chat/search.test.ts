/**
 * `search` on a relay with real clients (protocol/edits.ts): what is found where, newest first with
 * highlight ranges; only the user's own conversations; typed refusals that leave other clients
 * unaffected; the rate limit.
 */
import { describe, expect, it } from 'vitest';
import { dmRoomId, MESSAGE_MAX, REPLY_HISTORY_BYTES, SEARCH_QUERY_MAX, SEARCH_RESULTS_MAX, type LoginOk, type SearchResults } from '../../../protocol/index';
import { SEARCH_COST } from '../../../server/chat/search';
import { DEFAULT_LIMITS } from '../../../server/options';
import { loggedIn, request } from '../../helpers/clients';
import { startRelay, useRelayCleanup } from '../../helpers/relay';
import { editAndSearch, found, ROOMY_LIMITS, say, search } from '../../helpers/search';

useRelayCleanup();

async function join(socket: Parameters<typeof say>[0], room: string): Promise<void> {
  const res = await request(socket, 'room:join', { room, create: true });
  if (!res.ok) throw new Error(res.code);
}

describe('search', () => {
  it('finds in one room or across the rooms and DMs of the user, newest first, with ranges', async () => {
    const relay = await startRelay({ limits: ROOMY_LIMITS });
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const { socket: ben, login } = await loggedIn(relay.url, 'ben');
    await join(ana, 'ops');
    await join(ben, 'ops');
    await say(ana, 'Deploy the relay at five');
    await say(ben, 'déploiement done? 🚀 deploying now', { room: 'ops' });
    await say(ana, 'deployment notes in the wiki', { to: (login as LoginOk).userId });
    await say(ben, 'unrelated chatter', { room: 'ops' });

    expect(await found(ana, 'deploy')).toEqual(['deployment notes in the wiki', 'déploiement done? 🚀 deploying now', 'Deploy the relay at five']);
    expect(await found(ana, 'deploy', { room: 'ops' })).toEqual(['déploiement done? 🚀 deploying now']);
    expect(await found(ana, 'DEPLOI')).toEqual(['déploiement done? 🚀 deploying now']);
    const res = await search(ben, 'deploy now', { room: 'ops' });
    expect(res).toMatchObject({ ok: true, query: 'deploy now', more: false });
    const text = res.hits[0]!.message.message;
    expect(res.hits[0]!.ranges.map(([s, e]) => text.slice(s, e))).toEqual(['deploy', 'now']);
    expect(res.hits[0]!.message).toMatchObject({ room: 'ops', username: 'ben' });

    for (let i = 0; i < 25; i++) await say(ana, `status ${i}`);
    const page = await search(ana, 'status');
    expect(page.hits).toHaveLength(20);
    expect(page.more).toBe(true);
    expect(page.hits[0]!.message.message).toBe('status 24');
    expect((await search(ana, 'status', { limit: SEARCH_RESULTS_MAX })).more).toBe(false);
  });

  it("never finds what is in conversations the user is not in: others' DMs, rooms never joined or left", async () => {
    const relay = await startRelay({ limits: ROOMY_LIMITS });
    const { socket: ana, login: anaLogin } = await loggedIn(relay.url, 'ana');
    const { socket: ben, login: benLogin } = await loggedIn(relay.url, 'ben');
    const { socket: cy, login: cyLogin } = await loggedIn(relay.url, 'cy');
    const benId = (benLogin as LoginOk).userId;
    const anaId = (anaLogin as LoginOk).userId;
    await say(cy, 'secret plan for ben', { to: benId });
    await join(ben, 'hideout');
    await say(ben, 'secret plan in the hideout', { room: 'hideout' });
    await join(ana, 'old-room');
    await say(ana, 'secret plan from the old room', { room: 'old-room' });
    expect(await found(ana, 'secret')).toEqual(['secret plan from the old room']);
    expect(await request(ana, 'room:leave', { room: 'old-room' })).toMatchObject({ ok: true });

    expect(await found(ana, 'secret')).toEqual([]);
    expect(await found(ben, 'secret')).toEqual(['secret plan in the hideout', 'secret plan for ben']);
    expect(await request(ana, 'search', { query: 'secret', room: 'hideout' })).toMatchObject({ ok: false, code: 'NOT_IN_ROOM' });
    expect(await request(ana, 'search', { query: 'secret', room: 'old-room' })).toMatchObject({ ok: false, code: 'NOT_IN_ROOM' });
    // The DM of two other users is refused by name; one's own DM is searchable (empty here).
    const theirs = dmRoomId((cyLogin as LoginOk).userId, benId);
    expect(await request(ana, 'search', { query: 'secret', room: theirs })).toMatchObject({ ok: false, code: 'NOT_IN_ROOM' });
    expect(await found(ana, 'secret', { room: dmRoomId(anaId, benId) })).toEqual([]);
    expect(await found(ben, 'secret', { room: theirs })).toEqual(['secret plan for ben']);
  });

  it('refuses malformed queries with INVALID_PAYLOAD, and other clients and searches go on', async () => {
    const relay = await startRelay({ limits: ROOMY_LIMITS });
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const { socket: ben } = await loggedIn(relay.url, 'ben');
    await say(ben, 'hello there');
    const bad: unknown[] = [
      { query: 'x'.repeat(SEARCH_QUERY_MAX + 1) },
      { query: 42 },
      {},
      'hello',
      null,
      { query: 'hello', limit: 0 },
      { query: 'hello', limit: SEARCH_RESULTS_MAX + 1 },
      { query: 'hello', limit: 1.5 },
      { query: 'hello', room: 7 },
      { query: ['hello'] },
    ];
    for (const payload of bad) expect(await request(ana, 'search', payload), JSON.stringify(payload)).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(await request(ana, 'search', { query: 'hello', room: 'Not A Room!' })).toMatchObject({ ok: false, code: 'UNKNOWN_ROOM' });
    expect(await request(ana, 'search', { query: 'hello', room: 'dm:nobody:nothing' })).toMatchObject({ ok: false, code: 'UNKNOWN_ROOM' });
    expect(await found(ben, 'hello')).toEqual(['hello there']);
    expect(await found(ana, 'hello')).toEqual(['hello there']);
    expect(await found(ana, 'x'.repeat(SEARCH_QUERY_MAX))).toEqual([]);
    expect(await search(ana, '  ?! ')).toMatchObject({ hits: [], more: false });
  });

  it('keeps a reply within the history reply budget: the newest hits, and `more`', async () => {
    const relay = await startRelay({ limits: ROOMY_LIMITS });
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    // A range per word: the longest message matching everywhere.
    const long = 'a '.repeat(MESSAGE_MAX / 2).trim();
    for (let i = 0; i < 30; i++) await say(ana, `${i} ${long}`.slice(0, MESSAGE_MAX));
    const res = await search(ana, 'a', { limit: SEARCH_RESULTS_MAX });
    expect(res.hits.length).toBeGreaterThan(1);
    expect(res.hits.length).toBeLessThan(30);
    expect(res.more).toBe(true);
    expect(res.hits[0]!.message.message.startsWith('29 ')).toBe(true);
    const size = Buffer.byteLength(JSON.stringify(res.hits));
    expect(size).toBeLessThanOrEqual(REPLY_HISTORY_BYTES + Buffer.byteLength(JSON.stringify(res.hits[0])));
  });

  it('costs SEARCH_COST events of the socket bucket: a loop of searches is refused before long', async () => {
    const relay = await startRelay();
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const { socket: ben } = await loggedIn(relay.url, 'ben');
    const answers = await Promise.all(Array.from({ length: 10 }, () => request<SearchResults>(ana, 'search', { query: 'anything' })));
    // The login took a token too; the bucket refills 20 a second meanwhile, so 5 or 6 get through.
    const allowed = answers.filter((a) => a.ok).length;
    expect(allowed).toBeGreaterThanOrEqual(Math.floor((DEFAULT_LIMITS.socketEvents.capacity - 1) / SEARCH_COST));
    expect(allowed).toBeLessThanOrEqual(DEFAULT_LIMITS.socketEvents.capacity / SEARCH_COST);
    expect(answers.filter((a) => !a.ok && a.code === 'RATE_LIMITED')).toHaveLength(10 - allowed);
    // Only Ana's socket pays.
    expect(await found(ben, 'anything')).toEqual([]);
  });

  it('finds an edited message by its new words only, and a deleted one not at all', async () => {
    const relay = await startRelay({ limits: ROOMY_LIMITS });
    await editAndSearch(relay.url, relay.url);
  });
});

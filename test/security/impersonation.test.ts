/**
 * Threat: impersonation. A client tries to pass for another user: by writing someone else's name or
 * id into a message, by taking a nickname that looks like a present user's, or by claiming another
 * user's id.
 *
 * Defences under test: the author fields of every message and notice come from the relay's record
 * of the socket (payload schemas strip unknown fields); nicknames are unique after NFKC, case folding
 * and a curated confusables map; a user id is a one-way hash of a secret key the client keeps, so it
 * can only be claimed with the key.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dmRoomId, ErrorCode, type ChatMessage, type HistoryPage, type LoginOk, type PresenceSnapshot, type SendOk } from '../../protocol/index';
import { nicknameKey } from '../../server/nickname-key';
import { classicClient, collect, connected, loggedIn, newKey, next, parleyClient, request, until, type TestSocket } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';
import { lobbyHistory } from './support/bystanders';
import { RawSocket } from './support/raw';

useRelayCleanup();

/** What the relay derives from a key (server/identity.ts), recomputed here so the test pins the scheme. */
const idOfKey = (key: string) => createHash('sha256').update('parley-user-id\0').update(key).digest('base64url').slice(0, 22);

async function loginAs(url: string, username: string, key = newKey()): Promise<{ socket: TestSocket; res: Awaited<ReturnType<typeof request<LoginOk>>> }> {
  const socket = parleyClient(url, { key });
  await connected(socket);
  return { socket, res: await request<LoginOk>(socket, 'add user', { username }) };
}

describe('impersonation', () => {
  it('the author of every message is the relay record of the socket: client-supplied username, userId, id, seq, ts are ignored', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const eve = await loggedIn(relay.url, 'eve');
    const forged = { text: 'I am ana', username: 'ana', userId: ana.login.userId, id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', seq: 999_999_999, ts: 0, clientId: 'forged-0001' };

    const got = next(bob.socket, 'new message');
    const ack = await request<SendOk>(eve.socket, 'new message', forged);
    expect(ack.ok).toBe(true);
    const seen = await got;
    expect(seen).toMatchObject({ message: 'I am ana', username: 'eve', userId: eve.login.userId });
    expect(seen.id).not.toBe(forged.id);
    expect(seen.seq).not.toBe(forged.seq);
    expect(seen.ts).toBeGreaterThan(0);

    // The same over a raw frame (no client library normalising anything), and in the classic string form.
    const { socket: raw } = await RawSocket.connect(relay.port!, { client: 'parley', protocol: 1, key: newKey(), userId: ana.login.userId, username: 'ana' });
    const [login] = (await raw.request('add user', { username: 'mallory', userId: ana.login.userId })) as [LoginOk];
    expect(login.userId).not.toBe(ana.login.userId);
    const rawSeen = next(bob.socket, 'new message');
    raw.emit('new message', { text: 'raw forgery', username: 'ana', userId: ana.login.userId, room: 'lobby' });
    expect(await rawSeen).toMatchObject({ message: 'raw forgery', username: 'mallory', userId: login.userId });

    // Typing notices carry the typist's record too.
    const typing = next(bob.socket, 'typing');
    eve.socket.emit('typing', { room: 'lobby', username: 'ana', userId: ana.login.userId } as never);
    expect(await typing).toMatchObject({ username: 'eve', userId: eve.login.userId });

    // History keeps the relay's record, not the forgery.
    const page = await request<HistoryPage>(bob.socket, 'history:fetch', { room: 'lobby' });
    const stored = page.ok ? page.messages : [];
    expect(stored.map((m: ChatMessage) => [m.message, m.username, m.userId])).toEqual([
      ['I am ana', 'eve', eve.login.userId],
      ['raw forgery', 'mallory', login.userId],
    ]);
    expect(await lobbyHistory(relay)).toEqual(['I am ana', 'raw forgery']);
  });

  it('nicknames are compared after NFKC, case folding and confusables: look-alikes of a present user are refused (ALICE, Cyrillic аlice, …)', async () => {
    const relay = await startRelay();
    const alice = await loggedIn(relay.url, 'alice');
    const lookAlikes = [
      'ALICE', // case
      'Alice',
      '\u0430lice', // Cyrillic а
      '\u0430l\u0456\u0441\u0435', // Cyrillic а, і, с, е
      '\u0410LICE', // Cyrillic capital А
      '\u03B1lice', // Greek α
      'ａｌｉｃｅ', // full width (NFKC)
      '𝐚𝐥𝐢𝐜𝐞', // mathematical bold (NFKC)
      'a1ice', // digit one for l
      'a|ice',
      ' alice ', // trimmed
      'al\u200Dice', // a joiner (allowed for emoji) is not part of the comparison
      'ali\u0307ce', // combining dot above an i: invisible
      'al\u0130ce', // Turkish İ folds to i + dot above
      '\u13AALICE', // Cherokee Ꭺ drawn like A
    ];
    for (const name of lookAlikes) {
      const { socket, res } = await loginAs(relay.url, name);
      expect(res, JSON.stringify(name)).toMatchObject({ ok: false, code: ErrorCode.NICKNAME_TAKEN });
      socket.disconnect();
    }
    // Invisible and direction-changing characters are refused outright rather than compared.
    for (const name of ['al\u200Bice', 'alice\u202E', '\u2066alice\u2069', 'ali\u00ADce']) {
      const { socket, res } = await loginAs(relay.url, name);
      expect(res, JSON.stringify(name)).toMatchObject({ ok: false, code: ErrorCode.INVALID_NICKNAME });
      socket.disconnect();
    }
    // A classic client (bare-string login, no ack) is held to the same rule.
    const classic = classicClient(relay.url);
    await connected(classic);
    const err = next(classic, 'parley:error');
    classic.emit('add user', '\u0430LICE');
    expect(await err).toMatchObject({ code: ErrorCode.NICKNAME_TAKEN, event: 'add user' });

    // Genuinely different names are fine; and once alice leaves, her look-alikes are free.
    expect((await loginAs(relay.url, 'alicia')).res).toMatchObject({ ok: true });
    alice.socket.disconnect();
    await new Promise((r) => setTimeout(r, 50));
    expect((await loginAs(relay.url, '\u0430LICE')).res).toMatchObject({ ok: true, username: '\u0430LICE' });
    // …and now the plain spelling is the one refused.
    expect((await loginAs(relay.url, 'alice')).res).toMatchObject({ ok: false, code: ErrorCode.NICKNAME_TAKEN });
  });

  it('the confusables key is what the relay and the UI share: every look-alike above has the key of "alice"', () => {
    for (const name of ['ALICE', '\u0430lice', 'ａｌｉｃｅ', '𝐚𝐥𝐢𝐜𝐞', 'a1ice', 'ali\u0307ce', 'al\u0130ce', '\u13AALICE', '\u13AA\u13DEI\u13DF\u13AC']) {
      expect(nicknameKey(name), JSON.stringify(name)).toBe(nicknameKey('alice'));
    }
    // …and different names keep different keys, in any script.
    expect(nicknameKey('alicé')).not.toBe(nicknameKey('alice'));
    expect(nicknameKey('Ꭰ\u13B3')).not.toBe(nicknameKey('\u13AA\u13B3'));
  });

  it('a user id cannot be claimed without its key: same key → same id, different key → different id, auth fields cannot set it', async () => {
    const relay = await startRelay();
    const keyA = newKey();
    const a1 = await loginAs(relay.url, 'ana', keyA);
    expect(a1.res).toMatchObject({ ok: true, userId: idOfKey(keyA) });
    const userA = a1.res.ok ? a1.res.userId : '';
    // A second session with the same key is the same user (and keeps her name).
    const a2 = await loginAs(relay.url, 'someone-else', keyA);
    expect(a2.res).toMatchObject({ ok: true, userId: userA, username: 'ana' });
    // Another key is another user, whatever else the handshake claims.
    const keyB = newKey();
    const { socket: forger, reply } = await RawSocket.connect(relay.port!, { client: 'parley', protocol: 1, key: keyB, userId: userA });
    expect(reply).toMatch(/^40/);
    const [login] = (await forger.request('add user', { username: 'eve' })) as [LoginOk];
    expect(login.userId).toBe(idOfKey(keyB));
    expect(login.userId).not.toBe(userA);
    // A key shaped like somebody's id is just another key.
    const c = await loginAs(relay.url, 'cy', `${userA}xx`);
    expect(c.res).toMatchObject({ ok: true });
    expect(c.res.ok && c.res.userId).not.toBe(userA);
    // Classic clients have no key: a fresh id per connection, never a Parley user's.
    const ids = new Set<string>();
    // Presence is coalesced: the previous classic user's leave (or an earlier login) may arrive in
    // a delta of its own first, so look for the one that carries this join.
    const deltas = collect(a1.socket, 'presence');
    const joinOf = (name: string) => deltas.flatMap((d) => d.changes).find((ch) => ch.user.username === name);
    for (let i = 0; i < 3; i++) {
      const classic = classicClient(relay.url);
      await connected(classic);
      classic.emit('add user', `classic${i}`);
      await until(() => joinOf(`classic${i}`) !== undefined, 3000, `the join of classic${i}`);
      const id = joinOf(`classic${i}`)!.user.id;
      expect(id).not.toBe(userA);
      ids.add(id);
      classic.disconnect();
    }
    expect(ids.size).toBe(3);
    // The key never leaves the relay: not in presence, not in messages.
    const snapshot = await request<PresenceSnapshot>(a1.socket, 'users:list', { room: 'lobby' });
    expect(JSON.stringify(snapshot)).not.toContain(keyA);
    const got = next(a2.socket, 'new message');
    forger.emit('new message', { text: 'hello' });
    expect(JSON.stringify(await got)).not.toContain(keyB);
  });

  it('direct messages: nobody can post into or read the conversation of two other users', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const eve = await loggedIn(relay.url, 'eve');
    const dm = dmRoomId(ana.login.userId, bob.login.userId);
    const got = next(bob.socket, 'new message');
    expect(await request(ana.socket, 'new message', { text: 'secret', to: bob.login.userId })).toMatchObject({ ok: true, room: dm });
    expect(await got).toMatchObject({ message: 'secret', userId: ana.login.userId, room: dm });

    expect(await request(eve.socket, 'new message', { text: 'as ana', room: dm })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
    expect(await request(eve.socket, 'history:fetch', { room: dm })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
    expect(await request(eve.socket, 'add user', { username: 'x' })).toMatchObject({ ok: false, code: ErrorCode.ALREADY_LOGGED_IN });
    // Catch-up at login does not open it either.
    const late = parleyClient(relay.url);
    await connected(late);
    const login = await request<LoginOk>(late, 'add user', { username: 'late', since: { [dm]: 0 } });
    expect(login.ok && login.dms).toEqual([]);
    // Eve writing to ana is a DM from eve, in the eve–ana conversation.
    const toAna = next(ana.socket, 'new message');
    expect(await request(eve.socket, 'new message', { text: 'hi', to: ana.login.userId })).toMatchObject({ ok: true, room: dmRoomId(eve.login.userId, ana.login.userId) });
    expect(await toAna).toMatchObject({ username: 'eve', userId: eve.login.userId });
  });

  it('the relay forgets a key once it derived the user id: the handshake it keeps (and would share with other instances) holds no key', async () => {
    const relay = await startRelay();
    const key = newKey();
    const { res } = await loginAs(relay.url, 'kay', key);
    expect(res.ok && res.userId).toBe(idOfKey(key));
    const [socket] = await relay.io.fetchSockets();
    expect(JSON.stringify(socket!.handshake)).not.toContain(key);
  });
});

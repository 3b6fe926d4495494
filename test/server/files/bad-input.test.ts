/**
 * Malformed `upload:token`, `file:url` and attachment lists get INVALID_PAYLOAD (or NOT_LOGGED_IN
 * before login) for that client only; the connection stays open and everyone else chats on.
 */
import { describe, expect, it } from 'vitest';
import type { ChatMessage, HistoryPage } from '../../../protocol/index';
import { ATTACHMENTS_MAX, ErrorCode } from '../../../protocol/index';
import { connected, loggedIn, next, parleyClient, request } from '../../helpers/clients';
import { uploaded } from '../../helpers/files';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

const ID = 'AAAAAAAAAAAAAAAAAAAAAAAA';

describe('bad input to file sharing', () => {
  it('refuses malformed payloads of the new events and attachment lists; nobody else is affected', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const { socket: eve } = await loggedIn(relay.url, 'eve');

    for (const bad of [undefined, null, 'lobby', 42, [], {}, { room: 5 }, { room: 'x'.repeat(201) }]) {
      expect(await request(eve, 'upload:token', ...(bad === undefined ? [] : [bad])), JSON.stringify(bad)).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    }
    for (const bad of [undefined, { room: 'lobby' }, { id: ID }, { room: 'lobby', id: 'short' }, { room: 'lobby', id: '../../etc/passwd/xxxxxxxx' }, { room: 'lobby', id: 7 }, { room: ['lobby'], id: ID }, { room: 'lobby', id: ID, variant: 'image' }, { room: 'lobby', id: ID, variant: 'x'.repeat(10_000) }]) {
      expect(await request(eve, 'file:url', ...(bad === undefined ? [] : [bad])), JSON.stringify(bad)).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    }
    const tooMany = Array.from({ length: ATTACHMENTS_MAX + 1 }, (_, i) => `${ID}${i}`);
    for (const attachments of ['not-a-list', [42], ['has spaces in it ok'], ['x'.repeat(65)], tooMany, [ID, ID], {}]) {
      expect(await request(eve, 'new message', { text: 'x', attachments }), JSON.stringify(attachments)).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    }
    // Without an ack, the error comes as an event.
    const err = next(eve, 'parley:error');
    (eve as unknown as { emit(event: string, payload: unknown): void }).emit('file:url', { room: 'lobby' });
    expect(await err).toMatchObject({ code: ErrorCode.INVALID_PAYLOAD, event: 'file:url' });
    // Well-formed but unknown: its own code.
    expect(await request(eve, 'file:url', { room: 'lobby', id: ID })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    expect(await request(eve, 'file:url', { room: 'nowhere', id: ID })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
    expect(await request(eve, 'upload:token', { room: 'dm:bad' })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_ROOM });
    expect(eve.connected).toBe(true);

    // Before login: NOT_LOGGED_IN, no token.
    const stranger = parleyClient(relay.url);
    await connected(stranger);
    expect(await request(stranger, 'upload:token', { room: 'lobby' })).toMatchObject({ ok: false, code: ErrorCode.NOT_LOGGED_IN });
    expect(await request(stranger, 'file:url', { room: 'lobby', id: ID })).toMatchObject({ ok: false, code: ErrorCode.NOT_LOGGED_IN });

    // Everyone else: files and chat as usual, and nothing of the above in history.
    const id = await uploaded(relay, ana.socket, Buffer.from('fine'), 'fine.txt');
    const got = next(bob.socket, 'new message');
    expect(await request(ana.socket, 'new message', { text: 'after', attachments: [id] })).toMatchObject({ ok: true });
    expect(((await got) as ChatMessage).attachments?.[0]?.name).toBe('fine.txt');
    const page = await request<HistoryPage>(bob.socket, 'history:fetch', { room: 'lobby' });
    expect(page.ok && page.messages.map((m) => m.message)).toEqual(['after']);
  });
});

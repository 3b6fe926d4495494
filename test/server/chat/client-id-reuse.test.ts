/**
 * A client id reused for another conversation (a buggy or hostile client): the relay answers with the
 * message the id first named (idempotency is per user and client id), stores nothing new, and never
 * delivers that message to the other conversation's audience: a DM must not surface in the lobby.
 */
import { describe, expect, it } from 'vitest';
import type { ChatMessage, SendOk } from '../../../protocol/index';
import { collect, loggedIn, next, request } from '../../helpers/clients';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

describe('a client id reused for another conversation', () => {
  it('is answered as a duplicate of the first message and delivers nothing to the new audience', async () => {
    const relay = await startRelay();
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const { socket: bob, login: bobLogin } = await loggedIn(relay.url, 'bob');
    const { socket: cy } = await loggedIn(relay.url, 'cy');
    const bobGot = next(bob, 'new message');
    const dm = await request<SendOk>(ana, 'new message', { text: 'just for bob', to: bobLogin.userId, clientId: 'reused-id-0001' });
    expect(dm).toMatchObject({ ok: true, duplicate: false });
    await bobGot;

    const lobby = collect(cy, 'new message');
    const again = await request<SendOk>(ana, 'new message', { text: 'now for everyone', room: 'lobby', clientId: 'reused-id-0001' });
    expect(again).toMatchObject({ ok: true, duplicate: true, id: dm.ok && dm.id, room: dm.ok && dm.room });
    // Something ana sends afterwards reaches cy; the DM never did, before or after it.
    const marker = next(cy, 'new message');
    await request<SendOk>(ana, 'new message', { text: 'marker', clientId: 'reused-id-0002' });
    expect(((await marker) as ChatMessage).message).toBe('marker');
    expect(lobby.map((m) => m.message)).toEqual(['marker']);
    const history = await request<{ messages: ChatMessage[] }>(cy, 'history:fetch', { room: 'lobby' });
    expect(history.ok && history.messages.map((m) => m.message)).toEqual(['marker']);
  });
});

/**
 * `message:edit` and `message:delete` on the wire (protocol/edits.ts): typed refusals for what is not
 * yours, too late, unknown or malformed, each leaving history and other clients untouched; classic
 * clients are sent nothing; a retry with the same clientId is applied once.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeOk, ChatMessage, HistoryPage, SendOk } from '../../../protocol/index';
import { classicClient, collect, connected, loggedIn, next, request, until, type TestSocket } from '../../helpers/clients';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

async function say(socket: TestSocket, text: string): Promise<SendOk> {
  const res = await request<SendOk>(socket, 'new message', { text, clientId: `c-${Math.random().toString(36).slice(2, 12)}` });
  if (!res.ok) throw new Error(res.code);
  return res;
}

async function lobby(socket: TestSocket): Promise<ChatMessage[]> {
  const res = await request<HistoryPage>(socket, 'history:fetch', { room: 'lobby' });
  if (!res.ok) throw new Error(res.code);
  return res.messages;
}

describe('edits and deletions on the wire', () => {
  it('refuses with a typed error what is not yours, unknown, deleted or malformed, and changes nothing', async () => {
    const relay = await startRelay();
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const { socket: ben } = await loggedIn(relay.url, 'ben');
    const sent = await say(ana, 'original');
    const ref = { room: 'lobby', id: sent.id, seq: sent.seq };
    const before = await lobby(ana);
    const benHears = collect(ben, 'new message');

    expect(await request(ben, 'message:edit', { ...ref, text: 'mine now' })).toMatchObject({ ok: false, code: 'NOT_AUTHOR' });
    expect(await request(ben, 'message:delete', ref)).toMatchObject({ ok: false, code: 'NOT_AUTHOR' });
    expect(await request(ana, 'message:edit', { ...ref, seq: sent.seq + 7, text: 'x' })).toMatchObject({ ok: false, code: 'UNKNOWN_MESSAGE' });
    expect(await request(ana, 'message:edit', { ...ref, id: '01HZZZZZZZZZZZZZZZZZZZZZZZ', text: 'x' })).toMatchObject({ ok: false, code: 'UNKNOWN_MESSAGE' });
    expect(await request(ana, 'message:edit', { ...ref, text: '' })).toMatchObject({ ok: false, code: 'EMPTY_MESSAGE' });
    expect(await request(ana, 'message:edit', { ...ref, text: 'x'.repeat(4001) })).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    expect(await request(ana, 'message:edit', { ...ref, text: 'bell\u0007' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    for (const bad of [{ ...ref, seq: -1, text: 'x' }, { ...ref, id: 42, text: 'x' }, { room: 'lobby', text: 'x' }, 'x', null, { ...ref, text: 'x', clientId: 'no spaces!' }]) {
      expect(await request(ana, 'message:edit', bad)).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    }
    expect(await request(ana, 'message:edit', { ...ref, room: 'nowhere', text: 'x' })).toMatchObject({ ok: false, code: 'NOT_IN_ROOM' });
    expect(await lobby(ana)).toEqual(before);

    const deletion = { ...ref, clientId: 'delete-once-1' };
    const deleted = await request<ChangeOk>(ana, 'message:delete', deletion);
    expect(deleted).toMatchObject({ ok: true, duplicate: false });
    // The same request again (its ack was lost): answered as the first, though the message is gone now.
    expect(await request<ChangeOk>(ana, 'message:delete', deletion)).toMatchObject({ ok: true, duplicate: true, seq: deleted.ok ? deleted.seq : 0 });
    // A new request to delete it again is refused, and so is a clientId reused for another change.
    expect(await request(ana, 'message:delete', ref)).toMatchObject({ ok: false, code: 'UNKNOWN_MESSAGE' });
    expect(await request(ana, 'message:edit', { ...ref, text: 'x', clientId: 'delete-once-1' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(await request(ana, 'message:edit', { ...ref, text: 'back from the dead' })).toMatchObject({ ok: false, code: 'UNKNOWN_MESSAGE' });
    await until(() => benHears.length === 1);
    expect(benHears[0]).toMatchObject({ change: 'delete', target: { id: sent.id, seq: sent.seq }, message: '' });
  });

  it('refuses a change after the edit window', async () => {
    const relay = await startRelay({ editWindowMs: 1 });
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const sent = await say(ana, 'too late to fix');
    // The window is 1 ms: by the time the next request is handled it has closed.
    await until(() => Date.now() > sent.ts + 1);
    expect(await request(ana, 'message:edit', { room: 'lobby', id: sent.id, seq: sent.seq, text: 'fixed' })).toMatchObject({ ok: false, code: 'EDIT_WINDOW_CLOSED' });
    expect(await request(ana, 'message:delete', { room: 'lobby', id: sent.id, seq: sent.seq })).toMatchObject({ ok: false, code: 'EDIT_WINDOW_CLOSED' });
    expect((await lobby(ana)).map((m) => m.message)).toEqual(['too late to fix']);
  });

  it('classic clients see the message as first sent and are sent no changes; Parley clients are sent each once', async () => {
    const relay = await startRelay();
    const classic = classicClient(relay.url);
    await connected(classic);
    classic.emit('add user', 'old-timer');
    await next(classic, 'login');
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const { socket: ben } = await loggedIn(relay.url, 'ben');
    const classicHears = collect(classic, 'new message');
    const benHears = collect(ben, 'new message');
    const sent = await say(ana, 'hello all');
    const ref = { room: 'lobby', id: sent.id, seq: sent.seq };
    const edit = { ...ref, text: 'hello everyone', clientId: 'edit-retry-01' };
    const first = await request<ChangeOk>(ana, 'message:edit', edit);
    const retry = await request<ChangeOk>(ana, 'message:edit', edit);
    expect(first).toMatchObject({ ok: true, duplicate: false, seq: sent.seq + 1 });
    expect(retry).toMatchObject({ ok: true, duplicate: true, id: first.ok ? first.id : '' });
    await request(ana, 'message:delete', ref);
    // A marker after the changes: once the classic client has it, it would have had them too.
    await say(ana, 'marker');
    await until(() => classicHears.length === 2 && benHears.length === 4);
    expect(classicHears.map((m) => m.message)).toEqual(['hello all', 'marker']);
    expect(benHears.map((m) => m.change ?? m.message)).toEqual(['hello all', 'edit', 'delete', 'marker']);
    const history = await lobby(ben);
    expect(history[0]).toMatchObject({ id: sent.id, deleted: true, message: '' });
    expect(JSON.stringify(history)).not.toContain('hello');
  });
});

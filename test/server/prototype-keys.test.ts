/**
 * Room names come from clients, and some valid ones are also names of Object.prototype members
 * ("constructor", "tostring", "valueof", …). Every map keyed by client input must treat them as the
 * rooms they are, on the relay and in the client model.
 */
import { describe, expect, it } from 'vitest';
import type { LoginOk, RoomState, SendOk } from '../../protocol/index';
import { ChatClient } from '../../renderer/model/chat-client';
import { newUserKey } from '../../renderer/model/ids';
import { MemoryStore } from '../../renderer/model/storage';
import { loggedIn, request, until } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';

useRelayCleanup();

const NAMES = ['constructor', 'tostring', 'valueof', 'hasownproperty', 'isprototypeof', 'propertyisenumerable', 'tolocalestring'];

describe('rooms named like Object.prototype members', () => {
  it('are joined at login with their full history when the client sends no `since` for them', async () => {
    const relay = await startRelay();
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    for (const room of NAMES) {
      expect((await request<RoomState>(ana, 'room:join', { room, create: true })).ok).toBe(true);
      const sent = await request<SendOk>(ana, 'new message', { text: `hello ${room}`, room });
      expect(sent.ok, room).toBe(true);
    }
    const { login } = await loggedIn(relay.url, 'bob', { rooms: NAMES });
    const ok = login as unknown as LoginOk;
    for (const room of NAMES) {
      const state = ok.rooms.find((r) => r.presence.room === room);
      expect(state?.history.messages.map((m) => m.message), room).toEqual([`hello ${room}`]);
    }
  });

  it('work in the client model: rooms remembered across a restart are caught up, then live messages arrive', async () => {
    const relay = await startRelay();
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const storage = new MemoryStore();
    const key = newUserKey();
    const texts = (c: ChatClient, room: string) => (c.conversation(room)?.timeline.entries() ?? []).flatMap((e) => (e.kind === 'message' ? [e.msg.message] : []));

    // Bob joins the rooms while they are still empty, then closes the app.
    const first = new ChatClient({ url: relay.url, nickname: 'bob', key, storage, transports: ['websocket'] });
    await first.start();
    for (const room of NAMES) {
      await request<RoomState>(ana, 'room:join', { room, create: true });
      await first.joinRoom(room, false);
    }
    first.close();
    for (const room of NAMES) await request<SendOk>(ana, 'new message', { text: `while away ${room}`, room });

    // Next start: the remembered rooms come back with what was said meanwhile, and live messages follow.
    const bob = new ChatClient({ url: relay.url, nickname: 'bob', key, storage, transports: ['websocket'] });
    try {
      await bob.start();
      await until(() => NAMES.every((room) => texts(bob, room).includes(`while away ${room}`)), 5000, 'catch-up in every room');
      for (const room of NAMES) await request<SendOk>(ana, 'new message', { text: `live ${room}`, room });
      await until(() => NAMES.every((room) => texts(bob, room).includes(`live ${room}`)), 5000, 'live messages in every room');
    } finally {
      bob.close();
    }
  });
});

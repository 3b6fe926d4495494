/**
 * Two well-behaved users (real socket.io-client connections) who watch an attack happen: after it,
 * they must still be connected, still chat with each other, and the room's history must hold exactly
 * their messages, nothing the attacker sent.
 */
import { expect } from 'vitest';
import type { HistoryPage, SendOk } from '../../../protocol/index';
import type { Relay } from '../../../server/index';
import { loggedIn, next, request, type TestSocket } from '../../helpers/clients';
import { httpGet } from '../../helpers/net';

export interface Bystanders {
  ana: TestSocket;
  bob: TestSocket;
  /** Texts the bystanders stored, in order. */
  said: string[];
}

export async function bystanders(relay: Relay, opts: { transports?: ('websocket' | 'polling')[] } = {}): Promise<Bystanders> {
  const ana = await loggedIn(relay.url, 'ana', opts);
  const bob = await loggedIn(relay.url, 'bob', opts);
  const world: Bystanders = { ana: ana.socket, bob: bob.socket, said: [] };
  await say(world, 'before');
  return world;
}

/** Ana says `text`; Bob must receive it live and the ack must say it was stored. */
export async function say(world: Bystanders, text: string): Promise<void> {
  const got = next(world.bob, 'new message');
  const ack = await request<SendOk>(world.ana, 'new message', { text });
  expect(ack, `ack of "${text}"`).toMatchObject({ ok: true });
  expect(await got).toMatchObject({ message: text, username: 'ana' });
  world.said.push(text);
}

/** The lobby history as the relay stores it. */
export async function lobbyHistory(relay: Relay): Promise<string[]> {
  const page: HistoryPage = await relay.stores.history.page('lobby', { limit: 1_000_000 });
  return page.messages.map((m) => m.message);
}

/**
 * The relay is up (/healthz 200), both bystanders are still connected and chat, and the lobby
 * history holds exactly what they said plus `alsoStored` (e.g. the attacker's legitimate messages).
 */
export async function assertUnaffected(relay: Relay, world: Bystanders, alsoStored: string[] = []): Promise<void> {
  expect((await httpGet({ port: relay.port! }, '/healthz')).status).toBe(200);
  expect(world.ana.connected, 'ana still connected').toBe(true);
  expect(world.bob.connected, 'bob still connected').toBe(true);
  await say(world, `after ${world.said.length}`);
  const history = await lobbyHistory(relay);
  expect(history.filter((m) => !alsoStored.includes(m))).toEqual(world.said);
  // What a client reads is the stored history: all of it, or (past the reply's byte budget) its
  // newest part, with `hasMore` for the rest.
  const page = await request<HistoryPage>(world.bob, 'history:fetch', { room: 'lobby' });
  if (!page.ok) throw new Error(page.message);
  expect(page.messages.map((m) => m.message)).toEqual(history.slice(history.length - page.messages.length));
  expect(page.messages.length === history.length || page.hasMore).toBe(true);
}

/** People in rooms of real relays, for tests where messages arrive at their own pace (links). */
import { expect } from 'vitest';
import type { ChatMessage, HistoryPage, LoginOk, SendOk } from '../../protocol/index';
import { loggedIn, request, type TestSocket } from './clients';

/** Logged in on the relay at `url` and in `room` (made if missing). */
export async function person(url: string, name: string, room: string): Promise<{ socket: TestSocket; login: LoginOk }> {
  const { socket, login } = await loggedIn(url, name);
  expect((await request(socket, 'room:join', { room, create: true })).ok).toBe(true);
  return { socket, login };
}

export async function say(socket: TestSocket, room: string, text: string): Promise<SendOk> {
  const res = await request<SendOk>(socket, 'new message', { text, room });
  if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
  return res;
}

/** The room's messages (not edit or delete entries) as `socket` reads them now. */
export async function historyOf(socket: TestSocket, room: string): Promise<ChatMessage[]> {
  const page = await request<HistoryPage>(socket, 'history:fetch', { room, limit: 500 });
  if (!page.ok) throw new Error(page.message);
  return page.messages.filter((m) => m.change === undefined);
}

/**
 * The room's messages once it holds `count`. Polls its history, 10 reads a second (under the
 * per-socket event limit), for at most `ms`: a link's pace is its own, not an event this socket sees.
 */
export async function settle(socket: TestSocket, room: string, count: number, ms = 30_000): Promise<ChatMessage[]> {
  const end = Date.now() + ms;
  for (;;) {
    const seen = await historyOf(socket, room);
    if (seen.length >= count) return seen;
    if (Date.now() > end) throw new Error(`room ${room} holds ${seen.length} messages, waiting for ${count}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The texts of `who`'s messages, in the order the room has them. */
export function textsBy(messages: ChatMessage[], who: string): string[] {
  return messages.filter((m) => m.username === who).map((m) => m.message);
}

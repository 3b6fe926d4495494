/**
 * The state of a room as a client gets it on login and on join: its full presence and the newest
 * page of its history (or what came after the client's cursor). Its own module so that login
 * (session.ts) and joining (rooms.ts) share it without importing each other.
 */
import { ErrorCode, ParleyError, REPLY_HISTORY_BYTES, type RoomState } from '../../protocol/index';
import type { Connection } from './connection';
import { ReplyBudget } from './reply-budget';

/** Presence and history of a room the socket is already in. */
export async function roomState(conn: Connection, room: string, since: number | undefined, budget = new ReplyBudget(REPLY_HISTORY_BYTES)): Promise<RoomState> {
  const { stores, historyLimit } = conn.ctx;
  const query = since === undefined ? { limit: historyLimit } : { afterSeq: since, limit: historyLimit };
  const [presence, history] = await Promise.all([
    stores.presence.snapshot(room),
    stores.history.page(room, query).catch((err: unknown) => {
      // The store is down: log in anyway (local chat works) and say history is not available yet.
      if (err instanceof ParleyError && err.code === ErrorCode.UNAVAILABLE) {
        return { room, messages: [], lastSeq: 0, hasMore: false, gap: false, unavailable: true };
      }
      throw err;
    }),
  ]);
  return { presence, history: budget.fit(history) };
}

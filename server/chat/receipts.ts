/**
 * `read` and `receipts:list`, and the read states of the login ack (protocol/receipts.ts).
 *
 * A cursor is checked against the conversation's newest seq before it moves: a client cannot mark
 * messages not yet written as read (that would show "Seen" on everything sent later). The cursor
 * store (stores/*-receipts) keeps the max atomically, so two devices reading at once never move it
 * back; the relay only tells members when it moved.
 */
import { dmParties, isDmRoom, type ReadState } from '../../protocol/index';
import { resolveTarget } from './addressing';
import type { Connection } from './connection';
import { route } from './guard';

export const receiptRoutes = [
  route('read', {}, async (conn, req) => {
    const target = resolveTarget(conn, req.room);
    const { ctx } = conn;
    const { lastSeq } = await ctx.stores.history.page(target.room, { afterSeq: req.seq, limit: 1 });
    const seq = Math.min(req.seq, lastSeq);
    const { cursor, moved } = await ctx.stores.receipts.advance(target.room, conn.userId, req.kind ?? 'read', seq);
    if (moved) ctx.receipts.queue(target, { userId: conn.userId, ...cursor });
    return { room: target.room, read: cursor.read, delivered: cursor.delivered };
  }),
  route('receipts:list', {}, async (conn, { room }) => {
    const target = resolveTarget(conn, room);
    return { room: target.room, cursors: await conn.ctx.stores.receipts.cursors(target.room) };
  }),
];

/**
 * Where this user is in each room they are in and each of their DM conversations with a log: their
 * read cursor and the messages after it from others, counted in the retained history. A room the
 * user has no cursor in yet starts read up to its newest message: history from before one joined is
 * no news. A DM has no such start: a message someone sent before the user ever looked is unread.
 */
export async function readStates(conn: Connection, rooms: readonly string[]): Promise<ReadState[]> {
  try {
    return await readStatesFromStores(conn, rooms);
  } catch (err) {
    // The cursor store is out of reach (Redis down): login still works, as it does for everything
    // else during an outage; the client counts unread itself until its next login.
    conn.ctx.log.debug({ err }, 'read states unavailable at login');
    return [];
  }
}

async function readStatesFromStores(conn: Connection, rooms: readonly string[]): Promise<ReadState[]> {
  const { ctx } = conn;
  const dms = (await ctx.stores.dmConversations()).filter((id) => isDmRoom(id) && dmParties(id)?.includes(conn.userId));
  const conversations = [...rooms, ...dms];
  const mine = await ctx.stores.receipts.mine(conn.userId, conversations);
  return Promise.all(
    conversations.map(async (room): Promise<ReadState> => {
      const readSeq = mine.get(room)?.read;
      if (readSeq === undefined && !isDmRoom(room)) {
        const { lastSeq } = await ctx.stores.history.page(room, { limit: 1 });
        if (lastSeq > 0) await ctx.stores.receipts.advance(room, conn.userId, 'read', lastSeq);
        return { room, readSeq: lastSeq, unread: 0 };
      }
      const after = readSeq ?? 0;
      const page = await ctx.stores.history.page(room, { afterSeq: after, limit: ctx.historyLimit });
      const unread = page.messages.filter((m) => m.userId !== conn.userId).length;
      return { room, readSeq: after, unread, ...(page.gap || page.hasMore ? { unreadMore: true } : {}) };
    }),
  );
}

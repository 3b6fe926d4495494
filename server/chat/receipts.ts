/**
 * `read` and `receipts:list`, and the read states of the login ack (protocol/receipts.ts).
 *
 * A cursor is checked against the conversation's newest seq before it moves: a client cannot mark
 * messages not yet written as read (that would show "Seen" on everything sent later). The cursor
 * store (stores/*-receipts) keeps the max atomically, so two devices reading at once never move it
 * back; the relay only tells members when it moved.
 */
import { dmParties, isDmRoom, type ReadState } from '../../protocol/index';
import { seqBase } from '../ids';
import type { CursorPair } from '../stores/types';
import { resolveTarget } from './addressing';
import type { Connection } from './connection';
import { route } from './guard';

/**
 * How many of the messages a cursor passes over are looked at for their authors. A reader catching
 * up on more than this at once tells the authors of the oldest of them nothing; they see it when
 * they open the conversation (`receipts:list`).
 */
const AUTHORS_PAGE = 200;

/**
 * Where a user's private reads are kept: a second cursor in the same conversation under a name no
 * user id can have (ids are base64url), so it expires with the conversation like any cursor and
 * never shows in `receipts:list`.
 */
const PRIVATE_SUFFIX = '~private';
const privateReader = (userId: string) => `${userId}${PRIVATE_SUFFIX}`;
const isPrivateReader = (id: string) => id.endsWith(PRIVATE_SUFFIX);

/** Where a conversation without a cursor starts being read; undefined: from its beginning (a new DM). */
async function startingPoint(conn: Connection, room: string, held: number | undefined): Promise<number | undefined> {
  const { lastSeq } = await conn.ctx.stores.history.page(room, { limit: 1 });
  // What the client says it holds, but never past the newest message (a made-up `since` must not
  // mark future messages read, nor show its user as having seen them).
  if (held !== undefined && held > 0 && lastSeq > 0) return Math.min(held, lastSeq);
  if (isDmRoom(room)) return undefined;
  // No message yet: the first one will carry a seq above this (seqs start at the log's creation time).
  return lastSeq > 0 ? lastSeq : seqBase();
}

/**
 * A room just joined gets its starting cursor (if the user has none there), so that messages posted
 * before the user's next login, while they were not looking, still count as unread then. Best
 * effort: joining never fails over it.
 */
export async function startReading(conn: Connection, room: string, held: number | undefined): Promise<void> {
  try {
    if ((await conn.ctx.stores.receipts.mine(conn.userId, [room])).has(room)) return;
    const start = await startingPoint(conn, room, held);
    if (start !== undefined) await conn.ctx.stores.receipts.advance(room, conn.userId, 'read', start);
  } catch (err) {
    conn.ctx.log.debug({ err, room }, 'no starting read position for a joined room');
  }
}

/** A user's cursors with their private read folded in: what their own devices go by. */
function combined(pub: CursorPair | undefined, priv: CursorPair | undefined): CursorPair {
  return { read: Math.max(pub?.read ?? 0, priv?.read ?? 0), delivered: Math.max(pub?.delivered ?? 0, priv?.delivered ?? 0, priv?.read ?? 0) };
}

export const receiptRoutes = [
  route('read', {}, async (conn, req) => {
    const { room } = resolveTarget(conn, req.room);
    const { ctx } = conn;
    const kind = req.kind ?? 'read';
    // A private read moves the user's hidden cursor; delivery is always public.
    const hidden = req.private === true && kind === 'read';
    const owner = hidden ? privateReader(conn.userId) : conn.userId;
    const before = (await ctx.stores.receipts.mine(owner, [room])).get(room);
    const from = kind === 'read' ? (before?.read ?? 0) : (before?.delivered ?? 0);
    // The messages this cursor passes over: their authors are told, and the newest seq bounds it.
    const passed = await ctx.stores.history.page(room, { afterSeq: Math.min(from, req.seq), beforeSeq: req.seq + 1, limit: Math.min(AUTHORS_PAGE, Math.max(1, req.seq - from)) });
    const seq = Math.min(req.seq, passed.lastSeq);
    // Nothing to read (no log yet, or seq 0): no cursor is written, so a client naming conversations
    // that have no messages cannot make the relay remember anything for them.
    if (seq <= 0) return { room, read: before?.read ?? 0, delivered: before?.delivered ?? 0 };
    const advanced = await ctx.stores.receipts.advance(room, owner, kind, seq);
    const cursor = hidden ? combined((await ctx.stores.receipts.mine(conn.userId, [room])).get(room), advanced.cursor) : advanced.cursor;
    if (advanced.moved) {
      // The reader's own devices always; the authors of what was read only when it is not private.
      const recipients = new Set([conn.userId]);
      if (!hidden) for (const m of passed.messages) if (m.seq <= seq) recipients.add(m.userId);
      ctx.receipts.queue(room, { userId: conn.userId, ...cursor }, recipients, conn.socket.id);
    }
    return { room, read: cursor.read, delivered: cursor.delivered };
  }),
  route('receipts:list', {}, async (conn, { room }) => {
    const target = resolveTarget(conn, room);
    const cursors = (await conn.ctx.stores.receipts.cursors(target.room)).filter((c) => !isPrivateReader(c.userId));
    // Only the people in it now: the reply stays the size of the room, however many came and went.
    const members = target.kind === 'dm' ? new Set(target.peers) : new Set((await conn.ctx.stores.presence.snapshot(target.room)).users.map((u) => u.id));
    return { room: target.room, cursors: cursors.filter((c) => members.has(c.userId)) };
  }),
];

/**
 * Where this user is in each room they are in and each of their DM conversations with a log: their
 * read cursor and the messages after it from others, counted in the retained history.
 *
 * A conversation without a cursor gets one (startingPoint). The client's `since` for it is what it
 * already holds, so it starts there (also how conversations from before receipts existed start
 * read). Otherwise a room starts at its newest message, or at "now" when it has none, so the first
 * message written later is unread: history from before one joined is no news. A DM the client has
 * never held starts at nothing: a message someone sent before the user ever looked is unread.
 */
export async function readStates(conn: Connection, rooms: readonly string[], since: ReadonlyMap<string, number>): Promise<ReadState[]> {
  try {
    return await readStatesFromStores(conn, rooms, since);
  } catch (err) {
    // The cursor store is out of reach (Redis down): login still works, as it does for everything
    // else during an outage; the client counts unread itself until its next login.
    conn.ctx.log.debug({ err }, 'read states unavailable at login');
    return [];
  }
}

async function readStatesFromStores(conn: Connection, rooms: readonly string[], since: ReadonlyMap<string, number>): Promise<ReadState[]> {
  const { ctx } = conn;
  const dms = (await ctx.stores.dmConversations()).filter((id) => isDmRoom(id) && dmParties(id)?.includes(conn.userId));
  const conversations = [...rooms, ...dms];
  const [pub, priv] = await Promise.all([ctx.stores.receipts.mine(conn.userId, conversations), ctx.stores.receipts.mine(privateReader(conn.userId), conversations)]);
  return Promise.all(
    conversations.map(async (room): Promise<ReadState> => {
      const readSeq = pub.has(room) || priv.has(room) ? combined(pub.get(room), priv.get(room)).read : undefined;
      if (readSeq === undefined) {
        const start = await startingPoint(conn, room, since.get(room));
        if (start !== undefined) {
          await ctx.stores.receipts.advance(room, conn.userId, 'read', start);
          return { room, readSeq: start, unread: 0 };
        }
      }
      const after = readSeq ?? 0;
      const page = await ctx.stores.history.page(room, { afterSeq: after, limit: ctx.historyLimit });
      const unread = page.messages.filter((m) => m.userId !== conn.userId && m.change === undefined && !m.deleted).length;
      return { room, readSeq: after, unread, ...(page.gap || page.hasMore ? { unreadMore: true } : {}) };
    }),
  );
}

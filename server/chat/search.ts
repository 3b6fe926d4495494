/**
 * `search` (protocol/edits.ts): the user's conversations' retained history, newest first, through
 * the relay's search index (server/search/).
 *
 * Only conversations the user is in are searched: with `room`, that one, checked like any address
 * (a public room this socket has joined, or one of the user's DMs); without it, every public room
 * this socket has joined and the user's DM conversations, at most SEARCH_DMS_MAX of them, so one
 * query never makes the relay read more than about 50 + 100 conversations.
 */
import { dmParties, isRoomName, REPLY_HISTORY_BYTES, type SearchResults } from '../../protocol/index';
import { SearchIndex } from '../search/index';
import { resolveTarget } from './addressing';
import type { Connection } from './connection';
import type { ChatContext } from './context';
import { route } from './guard';

/** Answers per search when the request does not say. */
export const SEARCH_DEFAULT_LIMIT = 20;
/** DM conversations searched at most when no `room` is named. */
export const SEARCH_DMS_MAX = 100;
/**
 * What a search costs from the socket's event bucket (60 events, 20 a second by default): it reads
 * and scans far more than a message does, so a client looping searches is slowed to two a second
 * (and disconnected like any flood if it keeps on) long before it can keep a core busy.
 */
export const SEARCH_COST = 10;

// One index per relay, made on first use: it lives and goes with the relay's context, and the
// shared context type needs no field for it.
const indexes = new WeakMap<ChatContext, SearchIndex>();

export function searchIndexOf(ctx: ChatContext): SearchIndex {
  let index = indexes.get(ctx);
  if (!index) indexes.set(ctx, (index = new SearchIndex({ history: ctx.stores.history, retention: ctx.historyLimit })));
  return index;
}

export const searchRoutes = [
  // Not serial: a first search reads whole conversations, and the user's messages must not queue behind it.
  route('search', { serial: false }, async (conn, req) => {
    // dispatch took one token already.
    conn.charge(SEARCH_COST - 1);
    const rooms = req.room !== undefined ? [resolveTarget(conn, req.room).room] : await searchable(conn);
    return fitHits(await searchIndexOf(conn.ctx).search(rooms, req.query, req.limit ?? SEARCH_DEFAULT_LIMIT), REPLY_HISTORY_BYTES);
  }),
];

/**
 * At most `budget` bytes of hits, as a history page (reply-budget.ts): fifty long messages, each
 * with a range per word, would be over half a megabyte. The newest hit always stays; the ones left
 * out are still reported by `more`.
 */
export function fitHits(results: SearchResults, budget: number): SearchResults {
  let used = 0;
  let kept = 0;
  for (const hit of results.hits) {
    used += Buffer.byteLength(JSON.stringify(hit));
    if (kept > 0 && used > budget) break;
    kept++;
  }
  return kept === results.hits.length ? results : { ...results, hits: results.hits.slice(0, kept), more: true };
}

/** The conversations a search without `room` covers (see the module comment). */
async function searchable(conn: Connection): Promise<string[]> {
  const { socket, ctx } = conn;
  // A socket's own id is one of its Socket.IO rooms, and may look like a room name by chance.
  const rooms = [...socket.rooms].filter((room) => room !== socket.id && isRoomName(room));
  // DMs are for Parley clients only (addressing.ts).
  if (socket.data.kind !== 'parley') return rooms;
  const dms = (await ctx.stores.dmConversations()).filter((id) => dmParties(id)?.includes(conn.userId)).sort();
  return [...rooms, ...dms.slice(0, SEARCH_DMS_MAX)];
}

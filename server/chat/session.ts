/**
 * Login (`add user`), the state a client gets with it, and the cleanup when a socket goes.
 * Classic clients send a bare nickname and get `login` + `user joined`; Parley clients send a
 * LoginRequest with an ack and get every joined room's presence and history (or catch-up after
 * their last seen `seq`).
 */
import {
  cleanNickname,
  ErrorCode,
  isDmRoom,
  LOGIN_HISTORY_BYTES,
  isRoomName,
  MAX_ROOMS_PER_SOCKET,
  ParleyError,
  PROTOCOL_VERSION,
  type HistoryPage,
  type LoginOk,
  type LoginRequest,
  type RoomState,
} from '../../protocol/index';
import { resolveTarget } from './addressing';
import type { Connection } from './connection';
import { CLASSIC_SOCKETS, userRoom } from './context';
import { route } from './guard';
import { nicknameKey } from '../nickname-key';
import { ReplyBudget } from './reply-budget';
import { readStates } from './receipts';
import { enterRoom } from './rooms';
import { roomState } from './room-state';
import { stopAllTyping } from './typing';

export const sessionRoutes = [route('add user', {}, login)];

/** The socket went away: its presence is removed (shutdown waits for these). */
export function onDisconnect(conn: Connection): void {
  const done = logout(conn);
  conn.ctx.pendingLogouts.add(done);
  void done.finally(() => conn.ctx.pendingLogouts.delete(done));
}

async function login(conn: Connection, payload: string | LoginRequest): Promise<LoginOk> {
  const { socket, ctx } = conn;
  if (conn.loggedIn) throw new ParleyError(ErrorCode.ALREADY_LOGGED_IN, 'Already logged in on this connection.');
  if (ctx.isClosing()) throw new ParleyError(ErrorCode.SHUTTING_DOWN, 'The relay is shutting down.');
  const request: LoginRequest = typeof payload === 'string' ? { username: payload } : payload;
  const cleaned = cleanNickname(request.username);
  if (!cleaned.ok) throw new ParleyError(ErrorCode.INVALID_NICKNAME, cleaned.reason);

  const classic = socket.data.kind === 'classic';
  const result = await ctx.stores.presence.connect(
    { sid: socket.id, userId: conn.userId, username: cleaned.nickname, nickKey: nicknameKey(cleaned.nickname), classic },
    ctx.lobby,
  );
  if (!result.ok) throw new ParleyError(ErrorCode.NICKNAME_TAKEN, `The nickname "${cleaned.nickname}" is taken.`);
  if (!socket.connected) {
    // The client went away while we were registering it: undo, as the disconnect handler already ran.
    await ctx.stores.presence.disconnect(socket.id);
    throw new ParleyError(ErrorCode.INTERNAL, 'Disconnected during login.');
  }
  // Another session of the same user keeps its name: one user, one name.
  const username = result.user.username;
  socket.data.username = username;
  socket.join([ctx.lobby, classic ? CLASSIC_SOCKETS : userRoom(conn.userId)]);
  if (result.lobbyChange) ctx.presence.queue(ctx.lobby, result.lobbyChange);
  ctx.log.debug({ userId: conn.userId, classic }, 'login');

  socket.emit('login', { numUsers: result.numUsers });
  if (result.firstSession) {
    socket.to(CLASSIC_SOCKETS).emit('user joined', { username, numUsers: result.numUsers, userId: conn.userId });
  }

  // A Map, not the parsed object: room names such as "constructor" must not find Object.prototype's members.
  const since = new Map(Object.entries(request.since ?? {}));
  // All the history of one login ack shares one byte budget, the lobby first.
  const budget = new ReplyBudget(LOGIN_HISTORY_BYTES);
  const rooms: RoomState[] = [await roomState(conn, ctx.lobby, since.get(ctx.lobby), budget)];
  const extra = [...new Set(request.rooms ?? [])].filter((r) => r !== ctx.lobby).slice(0, MAX_ROOMS_PER_SOCKET - 1);
  for (const room of extra) {
    if (!isRoomName(room)) continue;
    try {
      // Rooms the client was in are re-created if the relay lost them (an in-memory relay restarted).
      rooms.push(await enterRoom(conn, room, true, since.get(room), budget));
    } catch (err) {
      if (!(err instanceof ParleyError)) throw err;
    }
  }
  const dms: HistoryPage[] = [];
  for (const [room, seq] of since) {
    if (!isDmRoom(room)) continue;
    try {
      const target = resolveTarget(conn, room);
      dms.push(budget.fit(await ctx.stores.history.page(target.room, { afterSeq: seq, limit: ctx.historyLimit })));
    } catch (err) {
      if (!(err instanceof ParleyError)) throw err;
    }
  }
  const reads = classic ? [] : await readStates(conn, rooms.map((r) => r.history.room), since);
  return { userId: conn.userId, username, numUsers: result.numUsers, protocol: PROTOCOL_VERSION, rooms, dms, reads, editWindowMs: conn.ctx.editWindowMs, relay: conn.ctx.relayId };
}

async function logout(conn: Connection): Promise<void> {
  const { socket, ctx } = conn;
  stopAllTyping(conn);
  if (!conn.loggedIn) return;
  try {
    const { user, changes } = await ctx.stores.presence.disconnect(socket.id);
    for (const { room, change } of changes) ctx.presence.queue(room, change);
    if (user) {
      const numUsers = await ctx.stores.presence.count(ctx.lobby);
      ctx.io.to(CLASSIC_SOCKETS).emit('user left', { username: user.username, numUsers, userId: user.id });
    }
  } catch (err) {
    // Redis mode: the instance heartbeat expiring cleans this session up instead.
    ctx.log.warn({ err, userId: conn.userId }, 'presence cleanup failed');
  }
}

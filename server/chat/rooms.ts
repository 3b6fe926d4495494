/** Public rooms: join (or create), leave, list, and a room's full presence. */
import {
  ErrorCode,
  isRoomName,
  MAX_ROOMS_PER_SOCKET,
  ParleyError,
  type RoomInfo,
  type RoomState,
} from '../../protocol/index';
import type { Connection } from './connection';
import { CLASSIC_SOCKETS } from './context';
import { route } from './guard';
import { startReading } from './receipts';
import type { ReplyBudget } from './reply-budget';
import { roomState } from './room-state';
import { stopTyping } from './typing';

export const roomRoutes = [
  route('room:join', {}, async (conn, req) => {
    const state = await enterRoom(conn, req.room, req.create ?? false, req.since);
    if (conn.socket.data.kind === 'parley') await startReading(conn, state.presence.room, req.since);
    return state;
  }),
  route('room:leave', {}, async (conn, { room }) => {
    await leaveRoom(conn, room);
    return { room };
  }),
  route('room:list', {}, async (conn) => ({ rooms: await listRooms(conn) })),
  route('users:list', {}, async (conn, { room }) => {
    if (!conn.socket.rooms.has(room) || !isRoomName(room)) throw new ParleyError(ErrorCode.NOT_IN_ROOM, `Join #${room} first.`);
    return conn.ctx.stores.presence.snapshot(room);
  }),
];

/** Puts the socket in a public room (creating it when asked) and returns the room's state. */
export async function enterRoom(conn: Connection, room: string, create: boolean, since?: number, budget?: ReplyBudget): Promise<RoomState> {
  const { socket, ctx } = conn;
  if (!isRoomName(room)) {
    throw new ParleyError(ErrorCode.UNKNOWN_ROOM, 'Room names are 1–32 of a–z 0–9 _ - and start with a letter or digit.');
  }
  if (!socket.rooms.has(room)) {
    if (publicRoomCount(conn) >= MAX_ROOMS_PER_SOCKET) {
      throw new ParleyError(ErrorCode.ROOM_LIMIT, `At most ${MAX_ROOMS_PER_SOCKET} rooms at once.`);
    }
    if (!(await ctx.stores.rooms.exists(room))) {
      if (!create) throw new ParleyError(ErrorCode.UNKNOWN_ROOM, `There is no room #${room}.`);
      await chargeRoomCreation(conn);
      const { created } = await ctx.stores.rooms.create(room);
      // To every logged-in Parley client (a client that logs in later lists the rooms itself).
      if (created) ctx.io.to(ctx.lobby).except(CLASSIC_SOCKETS).emit('room:created', { room, numUsers: 0 });
    }
    socket.join(room);
    const { change } = await ctx.stores.presence.join(socket.id, room);
    if (change) ctx.presence.queue(room, change);
  }
  return roomState(conn, room, since, budget);
}

async function leaveRoom(conn: Connection, room: string): Promise<void> {
  const { socket, ctx } = conn;
  if (room === ctx.lobby) throw new ParleyError(ErrorCode.CANNOT_LEAVE_LOBBY, 'Everyone stays in the lobby.');
  if (!isRoomName(room) || !socket.rooms.has(room)) throw new ParleyError(ErrorCode.NOT_IN_ROOM, `Not in #${room}.`);
  stopTyping(conn, room);
  socket.leave(room);
  const { change } = await ctx.stores.presence.leave(socket.id, room);
  if (change) ctx.presence.queue(room, change);
}

async function listRooms(conn: Connection): Promise<RoomInfo[]> {
  const { stores } = conn.ctx;
  const names = await stores.rooms.list();
  const counts = await Promise.all(names.map((room) => stores.presence.count(room)));
  return names.map((room, i) => ({ room, numUsers: counts[i] ?? 0 })).sort((a, b) => a.room.localeCompare(b.room));
}

function publicRoomCount(conn: Connection): number {
  let n = 0;
  for (const room of conn.socket.rooms) if (isRoomName(room)) n++;
  return n;
}

/** Creating a room costs the user and the address a token each, so one client cannot take every room. */
async function chargeRoomCreation(conn: Connection): Promise<void> {
  const limited = await conn.ctx.roomCreation(`user:${conn.userId}`, `addr:${conn.socket.data.ip}`);
  if (!limited.ok) {
    throw new ParleyError(ErrorCode.RATE_LIMITED, 'Too many new rooms; wait a while or join an existing room.', limited.retryAfterMs);
  }
}

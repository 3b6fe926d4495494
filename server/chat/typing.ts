/**
 * Typing indicators. Not stored, best effort: rate-limited typing events are dropped without an error
 * frame, and every indicator a socket raised is cleared when it stops, leaves the room or disconnects.
 */
import { type TypingRequest } from '../../protocol/index';
import { TypingSchema } from '../../protocol/schemas';
import { audience, resolveTarget } from './addressing';
import type { Connection } from './connection';
import { route } from './guard';

const spec = { schema: TypingSchema, needsLogin: true, quietWhenLimited: true, serial: false } as const;

export const typingRoutes = [
  route('typing', spec, async (conn, req?: TypingRequest) => {
    const target = resolveTarget(conn, req?.room);
    conn.typingRooms().set(target.room, target);
    audience(conn, target).emit('typing', notice(conn, target.room));
  }),
  route('stop typing', spec, async (conn, req?: TypingRequest) => {
    stopTyping(conn, resolveTarget(conn, req?.room).room);
  }),
];

/** Clears this socket's indicator in one room (no-op when it was not typing there). */
export function stopTyping(conn: Connection, room: string): void {
  const target = conn.typing?.get(room);
  if (!target) return;
  conn.typing!.delete(room);
  // Nothing held for a socket that types nowhere.
  if (conn.typing!.size === 0) conn.typing = undefined;
  audience(conn, target).emit('stop typing', notice(conn, room));
}

export function stopAllTyping(conn: Connection): void {
  if (conn.typing) for (const room of [...conn.typing.keys()]) stopTyping(conn, room);
}

function notice(conn: Connection, room: string) {
  return { username: conn.socket.data.username ?? '', userId: conn.userId, room };
}

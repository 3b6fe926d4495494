/**
 * Typing indicators. Not stored, best effort: rate-limited typing events are dropped without an error
 * frame, and every indicator a socket raised is cleared when it stops, leaves the room or disconnects.
 */
import { type TypingRequest } from '../../protocol/index';
import { TypingSchema } from '../../protocol/schemas';
import { audience, resolveTarget } from './addressing';
import type { Connection } from './connection';
import { guard } from './guard';

export function registerTyping(conn: Connection): void {
  const spec = { schema: TypingSchema, needsLogin: true, quietWhenLimited: true, serial: false } as const;
  guard(conn, 'typing', spec, async (req?: TypingRequest) => {
    const target = resolveTarget(conn, req?.room);
    conn.typing.set(target.room, target);
    audience(conn, target).emit('typing', notice(conn, target.room));
  });
  guard(conn, 'stop typing', spec, async (req?: TypingRequest) => {
    stopTyping(conn, resolveTarget(conn, req?.room).room);
  });
}

/** Clears this socket's indicator in one room (no-op when it was not typing there). */
export function stopTyping(conn: Connection, room: string): void {
  const target = conn.typing.get(room);
  if (!target) return;
  conn.typing.delete(room);
  audience(conn, target).emit('stop typing', notice(conn, room));
}

export function stopAllTyping(conn: Connection): void {
  for (const room of [...conn.typing.keys()]) stopTyping(conn, room);
}

function notice(conn: Connection, room: string) {
  return { username: conn.socket.data.username ?? '', userId: conn.userId, room };
}

/**
 * Typing indicators. Not stored, best effort: rate-limited typing events are dropped without an error
 * frame, and every indicator a socket raised is cleared when it stops, leaves the room or disconnects.
 *
 * What one typist costs each recipient is bounded: a socket raises at most TYPING_PER_SECOND
 * `typing` notices a second (a real client sends one when typing starts and refreshes it every few
 * seconds; the classic page one per burst of keystrokes), so a client that alternates typing and
 * stop typing as fast as the event bucket allows cannot make the relay write to everyone 20 times a
 * second. A `stop typing` goes out only for an indicator that was shown, so it is bounded the same way.
 */
import { audience, resolveTarget } from './addressing';
import type { Connection } from './connection';
import { route } from './guard';

const spec = { quietWhenLimited: true, serial: false } as const;
const TYPING_PER_SECOND = 2;

export const typingRoutes = [
  route('typing', spec, async (conn, req) => {
    const target = resolveTarget(conn, req?.room);
    const now = Date.now();
    if (now - conn.typingSecond >= 1000) {
      conn.typingSecond = now;
      conn.typingNotices = 0;
    }
    if (conn.typingNotices >= TYPING_PER_SECOND) return;
    conn.typingNotices++;
    conn.typingRooms().set(target.room, target);
    audience(conn, target).emit('typing', notice(conn, target.room));
  }),
  route('stop typing', spec, async (conn, req) => {
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

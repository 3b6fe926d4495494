/** Wires the chat handlers onto every new socket. */
import { ErrorCode } from '../../protocol/index';
import type { ChatContext, ParleySocket } from './context';
import { Connection } from './connection';
import { dispatch, routeTable } from './guard';
import { historyRoutes } from './history';
import { receiptRoutes } from './receipts';
import { messageRoutes } from './messages';
import { editRoutes } from './edits';
import { searchRoutes } from './search';
import { fileRoutes } from './files';
import { roomRoutes } from './rooms';
import { onDisconnect, sessionRoutes } from './session';
import { typingRoutes } from './typing';

/** Every client event the relay handles; anything else is refused (see guard.ts). */
const ROUTES = routeTable([...sessionRoutes, ...messageRoutes, ...typingRoutes, ...roomRoutes, ...historyRoutes, ...receiptRoutes, ...editRoutes, ...searchRoutes, ...fileRoutes]);

export function attachChat(ctx: ChatContext): void {
  ctx.io.on('connection', (socket: ParleySocket) => {
    const conn = new Connection(socket, ctx);
    // One middleware handles every event packet (and never passes it on): per socket, that is one
    // closure instead of a listener, spec and handler per event. It also runs the handler on arrival
    // rather than in the next tick, as Socket.IO's listener dispatch would.
    socket.use((packet) => dispatch(conn, ROUTES, packet));
    // A connection that never logs in holds a place for nothing: close it after a deadline.
    const { loginDeadlineMs, classicLoginDeadlineMs } = ctx.addressLimits;
    const deadline = setTimeout(() => {
      if (conn.loggedIn || !socket.connected) return;
      socket.emit('parley:error', { code: ErrorCode.NOT_LOGGED_IN, message: 'Closed: no login since connecting.' });
      socket.disconnect(true);
    }, socket.data.kind === 'classic' ? classicLoginDeadlineMs : loginDeadlineMs);
    deadline.unref?.();
    socket.on('disconnect', () => {
      clearTimeout(deadline);
      onDisconnect(conn);
    });
  });
}

/** Wires the chat handlers onto every new socket. */
import type { ChatContext, ParleySocket } from './context';
import { Connection } from './connection';
import { dispatch, routeTable } from './guard';
import { historyRoutes } from './history';
import { messageRoutes } from './messages';
import { roomRoutes } from './rooms';
import { onDisconnect, sessionRoutes } from './session';
import { typingRoutes } from './typing';

/** Every client event the relay handles; anything else is refused (see guard.ts). */
const ROUTES = routeTable([...sessionRoutes, ...messageRoutes, ...typingRoutes, ...roomRoutes, ...historyRoutes]);

export function attachChat(ctx: ChatContext): void {
  ctx.io.on('connection', (socket: ParleySocket) => {
    const conn = new Connection(socket, ctx);
    // One middleware handles every event packet (and never passes it on): per socket, that is one
    // closure instead of a listener, spec and handler per event. It also runs the handler on arrival
    // rather than in the next tick, as Socket.IO's listener dispatch would.
    socket.use((packet) => dispatch(conn, ROUTES, packet));
    socket.on('disconnect', () => onDisconnect(conn));
  });
}

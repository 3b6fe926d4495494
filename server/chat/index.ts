/** Wires the chat handlers onto every new socket. */
import type { ChatContext, ParleySocket } from './context';
import { PARLEY_SOCKETS } from './context';
import { Connection } from './connection';
import { refuseUnknownEvents } from './guard';
import { registerHistory } from './history';
import { registerMessages } from './messages';
import { registerRooms } from './rooms';
import { registerSession } from './session';
import { registerTyping } from './typing';

export function attachChat(ctx: ChatContext): void {
  ctx.io.on('connection', (socket: ParleySocket) => {
    if (socket.data.kind === 'parley') socket.join(PARLEY_SOCKETS);
    const conn = new Connection(socket, ctx);
    registerSession(conn);
    registerMessages(conn);
    registerTyping(conn);
    registerRooms(conn);
    registerHistory(conn);
    // After the handlers: it accepts exactly the events they registered.
    refuseUnknownEvents(conn);
  });
}

/**
 * One socket write per event-loop turn on a Redis connection.
 *
 * A busy relay issues many commands in one turn (a burst of messages read from its sockets, each a
 * SUBMIT script, then the adapter's PUBLISH for each), and ioredis writes every command with its
 * own system call. Corking the connection's socket at the turn's first command and uncorking it
 * once the turn's I/O callbacks are done (setImmediate) sends them in one writev instead.
 *
 * Why not ioredis's `enableAutoPipelining`, which batches the same way: it keeps at most one batch
 * per connection in flight, and a batch in flight when Redis dies is held until Redis returns
 * (ioredis resends unanswered commands after reconnecting), so every later command waited behind
 * it instead of failing at once, and the stores' fallbacks never ran. Corking changes only how the
 * bytes leave: commands are queued, failed and resent exactly as without it.
 */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';

type SendCommand = Redis['sendCommand'];

export function batchTurnWrites(client: Redis): void {
  const send: SendCommand = client.sendCommand;
  let corked: Socket | undefined;
  const uncork = (): void => {
    const socket = corked;
    corked = undefined;
    socket?.uncork();
  };
  client.sendCommand = function (this: Redis, ...args: Parameters<SendCommand>) {
    // Only a ready connection writes to its socket; any other state queues or fails the command.
    if (corked === undefined && this.status === 'ready') {
      const socket = this.stream as Socket | undefined;
      if (socket && socket.writable) {
        socket.cork();
        corked = socket;
        setImmediate(uncork);
      }
    }
    return send.apply(this, args);
  };
}

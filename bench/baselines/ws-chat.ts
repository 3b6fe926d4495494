/**
 * The classic chat's job over raw WebSockets with JSON frames: `{type, ...}` objects carrying the same
 * events and fields as the Socket.IO version (add user → login + user joined, new message, typing, user
 * left). Broadcasting is pluggable because that is the only thing the two ws baselines differ in.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { announce, BENCH_HOST, exitWhenDone, requestedPort } from '../servers/entry';

export interface Member {
  ws: WebSocket;
  /** The TCP socket under `ws`, for senders that write pre-built frames. */
  raw: Socket;
  username?: string;
}

/** Sends `payload` to every member except `except`. */
export type Broadcast = (members: Iterable<Member>, except: Member, payload: object) => void;

export function startWsChat(broadcast: Broadcast): void {
  exitWhenDone();
  const members = new Set<Member>();
  let numUsers = 0;
  const wss = new WebSocketServer({ host: BENCH_HOST, port: requestedPort(), perMessageDeflate: false, maxPayload: 64 * 1024, clientTracking: false });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const member: Member = { ws, raw: req.socket };
    members.add(member);
    const others = (payload: object): void => broadcast(members, member, payload);

    ws.on('message', (data) => {
      let event: { type?: unknown; username?: unknown; message?: unknown };
      try {
        event = JSON.parse(String(data)) as typeof event;
      } catch {
        return;
      }
      switch (event.type) {
        case 'add user':
          if (member.username !== undefined) return;
          member.username = String(event.username);
          numUsers++;
          ws.send(JSON.stringify({ type: 'login', numUsers }));
          others({ type: 'user joined', username: member.username, numUsers });
          return;
        case 'new message':
          others({ type: 'new message', username: member.username, message: event.message });
          return;
        case 'typing':
        case 'stop typing':
          others({ type: event.type, username: member.username });
          return;
      }
    });

    ws.on('close', () => {
      members.delete(member);
      if (member.username === undefined) return;
      numUsers--;
      others({ type: 'user left', username: member.username, numUsers });
    });
    ws.on('error', () => ws.terminate());
  });

  wss.on('listening', () => {
    const address = wss.address();
    announce(typeof address === 'object' && address ? address.port : undefined);
  });
}

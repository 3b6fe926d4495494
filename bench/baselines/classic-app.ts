/**
 * The classic Socket.IO chat server, the shape of socket.io's chat example, written for this
 * benchmark: express + socket.io, state in memory, every broadcast via `socket.broadcast.emit` (all
 * other connected sockets), bare-string payloads. Default JSON parser and no per-message deflate, like
 * the Parley relay, so the comparison is about the chat logic, not the wire settings.
 *
 * A function rather than a script, so the start-up scenario can time it the way it times
 * `createRelay`; `classic.ts` runs it as a benchmark server.
 */
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

export interface ClassicChat {
  port: number;
  close(): Promise<void>;
}

export function startClassicChat(opts: { port: number; host?: string }): Promise<ClassicChat> {
  const app = express();
  const httpServer = createServer(app);
  const io = new Server(httpServer, { perMessageDeflate: false });

  let numUsers = 0;

  io.on('connection', (socket) => {
    let username: string | undefined;

    socket.on('add user', (name: unknown) => {
      if (username !== undefined) return;
      username = String(name);
      numUsers++;
      socket.emit('login', { numUsers });
      socket.broadcast.emit('user joined', { username, numUsers });
    });

    socket.on('new message', (message: unknown) => {
      socket.broadcast.emit('new message', { username, message });
    });

    socket.on('typing', () => socket.broadcast.emit('typing', { username }));
    socket.on('stop typing', () => socket.broadcast.emit('stop typing', { username }));

    socket.on('disconnect', () => {
      if (username === undefined) return;
      numUsers--;
      socket.broadcast.emit('user left', { username, numUsers });
    });
  });

  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      resolve({ port: (httpServer.address() as AddressInfo).port, close: () => new Promise((done) => void io.close(() => done())) });
    });
  });
}

/**
 * Baseline 1: the classic Socket.IO chat server, the shape of socket.io's chat example, written for
 * this benchmark: express + socket.io, state in memory, every broadcast via `socket.broadcast.emit`
 * (all other connected sockets), bare-string payloads. Default JSON parser and no per-message deflate,
 * like the Parley relay, so the comparison is about the chat logic, not the wire settings.
 */
import express from 'express';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { announce, BENCH_HOST, exitWhenDone, requestedPort } from '../servers/entry';

exitWhenDone();
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

httpServer.listen(requestedPort(), BENCH_HOST, () => {
  const address = httpServer.address();
  announce(typeof address === 'object' && address ? address.port : undefined);
});

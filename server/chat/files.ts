/**
 * File sharing over the socket (protocol/files.ts): `upload:token` and `file:url`, each for a
 * conversation the socket may address (a joined room, or one of the user's DMs: addressing.ts), and
 * how a message with attachments reaches classic clients.
 *
 * Classic clients read only `username` and `message`, and live in the lobby. A lobby message with
 * files is therefore sent as two frames: the stored message to everyone but the classic sockets,
 * and to the classic sockets a copy whose text ends with one line per file (`📎 name (size) URL`,
 * a signed download URL on the origin the sender used) and which carries no `attachments`. Both are ordinary room broadcasts (encoded once each, across
 * instances through the adapter): every logged-in classic socket is in the lobby and in
 * CLASSIC_SOCKETS, so that room is exactly the lobby's classic part. In other rooms a socket without
 * Parley auth is one that speaks Parley's events (it joined with `room:join`) and gets the message
 * as stored. Nothing of this is stored: history keeps the text as sent.
 */
import type { ChatMessage } from '../../protocol/index';
import { formatBytes } from '../files/bytes';
import { audience, resolveTarget, type Target } from './addressing';
import type { Connection } from './connection';
import { CLASSIC_SOCKETS } from './context';
import { route } from './guard';

export const fileRoutes = [
  route('upload:token', {}, async (conn, req) => conn.ctx.files.uploadToken(conn.userId, resolveTarget(conn, req.room).room)),
  route('file:url', {}, async (conn, req) => conn.ctx.files.downloadUrl(resolveTarget(conn, req.room).room, req.id, req.variant, conn.userId)),
];

/** What the classic sockets of `message`'s conversation are sent: the message, or its text-only copy. */
export function forClassic(conn: Connection, message: ChatMessage): ChatMessage {
  if (message.room !== conn.ctx.lobby || (!message.attachments?.length && message.via === undefined)) return message;
  const { attachments: files, ...rest } = message;
  // A link valid for FILE_URL_TTL_MS: classic clients get no history, so they read it live or never.
  const link = (id: string) => conn.ctx.files.classicLink(conn.socket.request, message.room, id);
  const lines = (files ?? []).map((f) => `📎 ${f.name} (${formatBytes(f.size)}) ${link(f.id)}`);
  const copy = files?.length ? { ...rest, message: [message.message, ...lines].filter((line) => line !== '').join('\n') } : message;
  // A classic page shows only `username`: a message from another relay says so there.
  return message.via === undefined ? copy : { ...copy, username: `${message.username} (via ${message.via})` };
}

/**
 * Broadcasts a new message to its conversation (the sender's socket excepted), with classic sockets
 * given their copy; `servedClassic` already had one (the provisional copy while the store was down).
 */
export function deliverNew(conn: Connection, target: Target, message: ChatMessage, servedClassic: readonly string[]): void {
  const classic = forClassic(conn, message);
  const everyone = audience(conn, target);
  if (classic === message) {
    (servedClassic.length > 0 ? everyone.except([...servedClassic]) : everyone).emit('new message', message);
    return;
  }
  everyone.except(CLASSIC_SOCKETS).emit('new message', message);
  const classics = conn.socket.broadcast.to(CLASSIC_SOCKETS);
  (servedClassic.length > 0 ? classics.except([...servedClassic]) : classics).emit('new message', classic);
}

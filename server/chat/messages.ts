/**
 * `new message`: validate, rate-limit per user, store (idempotent by client id), deliver to the
 * room or the two DM parties, acknowledge with id, seq and ts. Nothing invalid reaches history.
 * Attachments are checked against the uploads (server/files) before anything is stored.
 */
import {
  ErrorCode,
  MESSAGE_MAX,
  ParleyError,
  type SendOk,
  type SendRequest,
} from '../../protocol/index';
import { audience, peerOf, resolveTarget } from './addressing';
import type { Connection } from './connection';
import { Later, route } from './guard';
import { CLASSIC_SOCKETS } from './context';
import { deliverNew, forClassic } from './files';
import { linkedDraft } from './link-messages';

// C0/C1 control characters other than tab and newlines have no business in chat text and can
// confuse terminals and log viewers.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// With the u flag only an unpaired surrogate matches: UTF-8 (Redis, any store) cannot carry one, so
// what was stored would differ from what was acknowledged.
const LONE_SURROGATE = /\p{Cs}/u;

export const messageRoutes = [route('new message', {}, send)];

/** What any message text must be, sent or edited; empty only beside attachments (`allowEmpty`). */
export function checkText(text: string, allowEmpty = false): void {
  if (text.length > MESSAGE_MAX) {
    throw new ParleyError(ErrorCode.TOO_LARGE, `Messages are limited to ${MESSAGE_MAX} characters (got ${text.length}).`);
  }
  if (!allowEmpty && text.trim().length === 0) throw new ParleyError(ErrorCode.EMPTY_MESSAGE, 'Message is empty.');
  if (CONTROL.test(text)) throw new ParleyError(ErrorCode.INVALID_PAYLOAD, 'Message contains control characters.');
  if (LONE_SURROGATE.test(text)) throw new ParleyError(ErrorCode.INVALID_PAYLOAD, 'Message text is not well-formed Unicode (an unpaired surrogate).');
}

/**
 * In order (serially per connection): validation and handing the message to the store, which takes
 * the user's rate-limit token and appends. Then, without holding up the connection's next message:
 * waiting for that, delivery and the ack. So a store that is slow, or down and buffering, never
 * stalls the sender's stream, and a burst costs Redis one pipelined round trip, not one each.
 */
async function send(conn: Connection, payload: string | SendRequest): Promise<Later<SendOk>> {
  const { ctx } = conn;
  const req: SendRequest = typeof payload === 'string' ? { text: payload } : payload;
  const text = req.text;
  const fileIds = req.attachments ?? [];
  checkText(text, fileIds.length > 0);

  const target = resolveTarget(conn, req.room, req.to);
  if (target.kind === 'dm') {
    const peer = peerOf(target, conn.userId);
    const user = await ctx.stores.presence.user(peer);
    if (!user || user.classic) {
      throw new ParleyError(ErrorCode.USER_NOT_FOUND, 'That user is not here or cannot receive direct messages.');
    }
  }
  // Once one message of a burst is refused, refuse the rest of it too until the wait is over:
  // a client that pipelines its outbox then retries them in their original order. (Messages of the
  // burst that were already submitted are refused by the bucket itself; see SubmitMessage.)
  const waitMs = conn.messagesBlockedUntil - Date.now();
  if (waitMs > 0) conn.reject(waitMs);

  // A retry of a stored message is answered with it (below) whatever became of its files since.
  const earlier = fileIds.length > 0 && req.clientId !== undefined ? await ctx.stores.history.stored(conn.userId, req.clientId) : undefined;
  const attachments = fileIds.length > 0 ? (earlier ? earlier.attachments : await ctx.files.attachments(fileIds, conn.userId, target.room, req.clientId)) : undefined;
  const linked = req.link ? linkedDraft(conn, req.link, target, fileIds.length > 0) : undefined;
  const clientId = linked ? linked.clientId : req.clientId;
  const draft = { room: target.room, userId: conn.userId, username: conn.username, message: text, ...(attachments ? { attachments } : {}), ...linked };
  // Classic sockets of this instance that got the provisional copy: they cannot tell a second copy
  // apart, so the stored one is not sent to them again.
  let servedClassic: string[] = [];
  const submitted = ctx.flushAfter(ctx.stores.submit(
    conn.userId,
    clientId === undefined ? draft : { ...draft, clientId },
    // The store is unreachable: clients on this instance see the message now; everyone gets the
    // stored copy (same id, real seq) when it is written, except the classic clients served now.
    (provisional) => {
      audience(conn, target, true).except(CLASSIC_SOCKETS).emit('new message', provisional);
      if (target.kind !== 'room') return;
      servedClassic = localClassicIn(conn, target.room);
      if (servedClassic.length > 0) ctx.io.local.to(servedClassic).emit('new message', forClassic(conn, provisional));
    },
  ));
  return new Later(
    submitted.then((r): SendOk => {
      if (r.message === undefined) {
        conn.messagesBlockedUntil = Math.max(conn.messagesBlockedUntil, Date.now() + r.retryAfterMs);
        return conn.reject(r.retryAfterMs);
      }
      const { message, duplicate } = r;
      if (!duplicate) {
        deliverNew(conn, target, message, servedClassic);
        ctx.redelivery.sent(message.id);
      }
      // A retry of a stored message: its first broadcast may have died with another instance.
      // Parley clients drop a copy they have by id; classic clients cannot, so they get first copies only.
      // A client id reused for another conversation is answered with the message it first named, but
      // that message goes only to its own conversation's audience, never to this request's.
      else if (message.room === target.room && ctx.redelivery.claim(message.id, message.ts)) audience(conn, target).except(CLASSIC_SOCKETS).emit('new message', message);
      // The sender learns the files' names and types as the relay recorded them.
      return { id: message.id, seq: message.seq, ts: message.ts, room: message.room, duplicate, ...(message.attachments ? { attachments: message.attachments } : {}) };
    }),
  );
}

/** The classic sockets of this instance in `room`, the sender excepted (it shows its own message itself). */
function localClassicIn(conn: Connection, room: string): string[] {
  const rooms = conn.ctx.io.of('/').adapter.rooms;
  const classic = rooms.get(CLASSIC_SOCKETS);
  const members = rooms.get(room);
  if (!classic || !members) return [];
  const out: string[] = [];
  for (const id of classic) if (id !== conn.socket.id && members.has(id)) out.push(id);
  return out;
}

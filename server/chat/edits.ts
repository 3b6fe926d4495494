/**
 * `message:edit` and `message:delete` (protocol/edits.ts): check that the message exists, is the
 * sender's and is inside the edit window; append the change entry (rate-limited and idempotent like
 * a message, so it has its own seq and every store and instance orders it); apply it to the target
 * in the store; deliver it to the conversation's Parley clients; acknowledge.
 *
 * If the relay dies between the append and the rewrite, the entry is stored but the target keeps its
 * old text in the store: clients that catch up still apply the entry, and a retry of the same
 * request (same clientId) applies it again.
 */
import { ErrorCode, ParleyError, type ChangeKind, type ChangeOk, type DeleteRequest, type EditRequest } from '../../protocol/index';
import { audience, resolveTarget } from './addressing';
import type { Connection } from './connection';
import { CLASSIC_SOCKETS } from './context';
import { Later, route } from './guard';
import { checkText } from './messages';

export const editRoutes = [
  route('message:edit', {}, (conn, req) => {
    checkText(req.text);
    return change(conn, 'edit', req);
  }),
  route('message:delete', {}, (conn, req) => change(conn, 'delete', req)),
];

async function change(conn: Connection, kind: ChangeKind, req: EditRequest | DeleteRequest): Promise<Later<ChangeOk>> {
  const { ctx } = conn;
  const target = resolveTarget(conn, req.room);
  const current = await ctx.stores.history.get(target.room, req.seq);
  if (!current || current.id !== req.id || current.change !== undefined || current.deleted) {
    throw new ParleyError(ErrorCode.UNKNOWN_MESSAGE, 'That message is not in this conversation’s history (or was deleted).');
  }
  if (current.userId !== conn.userId) throw new ParleyError(ErrorCode.NOT_AUTHOR, 'Only the author of a message can change it.');
  if (Date.now() - current.ts > ctx.editWindowMs) {
    throw new ParleyError(ErrorCode.EDIT_WINDOW_CLOSED, `Messages can be changed for ${Math.round(ctx.editWindowMs / 60_000)} minutes after sending.`);
  }
  const text = kind === 'edit' ? (req as EditRequest).text : '';
  const draft = {
    room: target.room,
    userId: conn.userId,
    username: conn.username,
    message: text,
    change: kind,
    target: { id: req.id, seq: req.seq },
    ...(req.clientId === undefined ? {} : { clientId: req.clientId }),
  };
  const submitted = ctx.stores.submit(conn.userId, draft);
  return new Later(
    submitted.then(async (r): Promise<ChangeOk> => {
      if (r.message === undefined) return conn.reject(r.retryAfterMs);
      const entry = r.message;
      // A retry whose first attempt was stored: apply again (it may have died before), deliver once.
      if (entry.change !== kind || entry.target?.id !== req.id) {
        throw new ParleyError(ErrorCode.INVALID_PAYLOAD, 'That clientId was already used for another message.');
      }
      const after = await ctx.stores.history.applyChange(entry);
      // An edit that lost a race with a deletion carries no text anywhere.
      const delivered = kind === 'edit' && after?.deleted ? { ...entry, message: '' } : entry;
      if (!r.duplicate) {
        audience(conn, target).except(CLASSIC_SOCKETS).emit('new message', delivered);
        ctx.redelivery.sent(entry.id);
      }
      return { id: entry.id, seq: entry.seq, ts: entry.ts, room: entry.room, duplicate: r.duplicate };
    }),
  );
}

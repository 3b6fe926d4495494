/**
 * `message:edit` and `message:delete` (protocol/edits.ts): check that the message exists, is the
 * sender's and is inside the edit window; append the change entry (rate-limited and idempotent like
 * a message, so it has its own seq and every store and instance orders it); apply it to the target
 * in the store; deliver it to the conversation's Parley clients; acknowledge.
 *
 * A retry (same clientId) is recognised before the checks, which its first attempt may have made
 * fail (the message is deleted now, the window closed since): it applies the stored entry again,
 * in case the first attempt died before that, and is answered `duplicate`.
 */
import { ErrorCode, ParleyError, type ChangeKind, type ChangeOk, type ChatMessage, type DeleteRequest, type EditRequest } from '../../protocol/index';
import { audience, resolveTarget, type Target } from './addressing';
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
  const history = ctx.stores.history;
  const earlier = req.clientId === undefined ? undefined : await history.stored(conn.userId, req.clientId);
  if (earlier) {
    if (earlier.change !== kind || earlier.target?.id !== req.id || earlier.room !== target.room) {
      throw new ParleyError(ErrorCode.INVALID_PAYLOAD, 'That clientId was already used for another message.');
    }
    return new Later(finish(conn, target, earlier, true));
  }
  const current = await history.get(target.room, req.seq);
  if (!current || current.id !== req.id || current.change !== undefined || current.deleted) {
    throw new ParleyError(ErrorCode.UNKNOWN_MESSAGE, 'That message is not in this conversation’s history (or was deleted).');
  }
  if (current.userId !== conn.userId) throw new ParleyError(ErrorCode.NOT_AUTHOR, 'Only the author of a message can change it.');
  if (Date.now() - current.ts > ctx.editWindowMs) {
    throw new ParleyError(ErrorCode.EDIT_WINDOW_CLOSED, `Messages can be changed for ${Math.round(ctx.editWindowMs / 60_000)} minutes after sending.`);
  }
  const draft = {
    room: target.room,
    userId: conn.userId,
    username: conn.username,
    message: kind === 'edit' ? (req as EditRequest).text : '',
    change: kind,
    target: { id: req.id, seq: req.seq },
    ...(req.clientId === undefined ? {} : { clientId: req.clientId }),
  };
  const submitted = ctx.stores.submit(conn.userId, draft);
  return new Later(
    submitted.then(async (r) => {
      if (r.message === undefined) return conn.reject(r.retryAfterMs);
      // The deletion is recorded: its files go now, whatever becomes of applying it (a retry finds
      // the stored entry above and does not come here again).
      if (kind === 'delete' && current.attachments?.length) await releaseFiles(conn, target.room, current.attachments.map((f) => f.id));
      // A duplicate here is a retry that raced its first attempt past the lookup above.
      return finish(conn, target, r.message, r.duplicate);
    }),
  );
}

async function releaseFiles(conn: Connection, room: string, ids: string[]): Promise<void> {
  try {
    await conn.ctx.files.release(ids, conn.userId, room);
  } catch (err) {
    // The message is deleted either way; a file left behind is removed by no one, so say so.
    conn.ctx.log.warn({ err, room, ids }, 'the files of a deleted message could not be removed');
  }
}

/**
 * Applies a stored change entry to its target and delivers it. The entry is delivered even when the
 * rewrite fails (clients apply it from the entry alone), and the sender is told the truth: stored,
 * not yet applied, retry (the retry applies it).
 */
async function finish(conn: Connection, target: Target, entry: ChatMessage, duplicate: boolean): Promise<ChangeOk> {
  const { ctx } = conn;
  let failure: unknown;
  let after: ChatMessage | undefined;
  try {
    after = await ctx.stores.history.applyChange(entry);
  } catch (err) {
    failure = err;
  }
  // An edit that lost a race with a deletion carries no text anywhere.
  const delivered = entry.change === 'edit' && after?.deleted ? { ...entry, message: '' } : entry;
  if (!duplicate) {
    audience(conn, target).except(CLASSIC_SOCKETS).emit('new message', delivered);
    ctx.redelivery.sent(entry.id);
  } else if (ctx.redelivery.claim(entry.id, entry.ts)) {
    // Its first broadcast may have died with the instance (or the attempt) that stored it.
    audience(conn, target).except(CLASSIC_SOCKETS).emit('new message', delivered);
  }
  if (failure !== undefined) {
    ctx.log.warn({ err: failure, room: entry.room, seq: entry.seq }, 'change stored but not applied');
    throw new ParleyError(ErrorCode.UNAVAILABLE, 'The change was recorded but could not be applied yet; send it again to finish it.');
  }
  return { id: entry.id, seq: entry.seq, ts: entry.ts, room: entry.room, duplicate };
}

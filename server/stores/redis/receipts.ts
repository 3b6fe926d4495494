/**
 * Receipt cursors in Redis, shared by every instance: one hash per conversation, P..'c:'..<conversation>,
 * with fields '<userId>:r' (read) and '<userId>:d' (delivered) holding seqs as decimal strings. An
 * advance is one script (ADVANCE_CURSOR, misc-lua.ts) that raises both fields in place, so advances
 * from several instances at once never lose one or move a cursor back. The hash goes with its
 * conversation in EXPIRE_CONVERSATION.
 *
 * Unlike messages, cursors have no write-behind queue: while Redis is unreachable every method fails
 * at once with UNAVAILABLE, as a history page does. A lost cursor move costs only a stale "read"
 * mark, and the client moves it again with its next read.
 */
import type { Redis } from 'ioredis';
import { ErrorCode, ParleyError } from '../../../protocol/index';
import type { Logger } from '../../logger';
import { checkAdvance, isSet } from '../memory-receipts';
import type { CursorKind, CursorPair, ReceiptStore, UserCursors } from '../types';
import type { ParleyCommands } from './commands';
import { isReplyError, type RedisConnections } from './connection';
import { decodeAdvanceCursor } from './replies';

export class RedisReceiptStore implements ReceiptStore {
  constructor(
    private readonly conns: RedisConnections,
    private readonly cmd: Redis & ParleyCommands,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  private key(conversation: string): string {
    return `${this.prefix}c:${conversation}`;
  }

  async advance(conversation: string, userId: string, kind: CursorKind, seq: number): Promise<{ cursor: CursorPair; moved: boolean }> {
    checkAdvance(kind, seq);
    return this.run(async () => decodeAdvanceCursor(await this.cmd.parleyAdvanceCursor(this.prefix, conversation, userId, kind, String(seq))));
  }

  cursors(conversation: string): Promise<UserCursors[]> {
    return this.run(async () => {
      const fields = await this.cmd.hgetall(this.key(conversation));
      const users = new Map<string, UserCursors>();
      for (const [field, value] of Object.entries(fields)) {
        const at = field.lastIndexOf(':');
        const userId = field.slice(0, at);
        let user = users.get(userId);
        if (!user) users.set(userId, (user = { userId, read: 0, delivered: 0 }));
        if (field.endsWith(':r')) user.read = Number(value);
        else if (field.endsWith(':d')) user.delivered = Number(value);
      }
      return [...users.values()].filter(isSet);
    });
  }

  async mine(userId: string, conversations: readonly string[]): Promise<Map<string, CursorPair>> {
    if (conversations.length === 0) return new Map();
    return this.run(async () => {
      // Issued in one turn, so they leave in one write (turn-writes.ts): one round trip, as a pipeline.
      const replies = await Promise.all(conversations.map((c) => this.cmd.hmget(this.key(c), `${userId}:r`, `${userId}:d`)));
      const found = new Map<string, CursorPair>();
      replies.forEach(([read, delivered], i) => {
        const pair = { read: Number(read ?? 0), delivered: Number(delivered ?? 0) };
        if (isSet(pair)) found.set(conversations[i]!, pair);
      });
      return found;
    });
  }

  drop(conversation: string): Promise<void> {
    return this.run(async () => {
      await this.cmd.del(this.key(conversation));
    });
  }

  /** Fails fast while Redis is away; a Redis error reply (a bug) is logged and reported as INTERNAL. */
  private async run<T>(op: () => Promise<T>): Promise<T> {
    if (this.conns.state !== 'up') throw unavailable();
    try {
      return await op();
    } catch (err) {
      if (isReplyError(err)) {
        this.log.error({ err }, 'Redis receipts error');
        throw new ParleyError(ErrorCode.INTERNAL, 'Read position store error.');
      }
      throw unavailable();
    }
  }
}

function unavailable(): ParleyError {
  return new ParleyError(ErrorCode.UNAVAILABLE, 'Read positions are unavailable right now; try again shortly.');
}

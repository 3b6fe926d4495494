/**
 * History in Redis Streams: one stream per room (entry id "<seq>-0"), trimmed to the history limit,
 * and a per-room seq counter, so any instance can serve catch-up after any other instance's writes.
 *
 * While Redis is unreachable, appends wait in an in-memory write-behind queue (bounded, in arrival
 * order) and are written when it returns; the caller gets a provisional copy at once (to show
 * local clients) and the stored message — with its seq — only after the write. A message counts as
 * acknowledged only once it is stored in Redis.
 *
 * New messages also take the sender's rate-limit token here (`submit`): in the same script as the
 * append while Redis is up, from a bucket local to this instance while it is not.
 */
import type { Redis } from 'ioredis';
import type { ChatMessage, HistoryPage } from '../../../protocol/index';
import { ErrorCode, ParleyError } from '../../../protocol/index';
import { newMessageId, seqBase } from '../../ids';
import type { Logger } from '../../logger';
import { selectWindow } from '../history-window';
import { MemoryRateLimiter, type BucketSpec } from '../token-bucket';
import type { AppendResult, HistoryStore, MessageDraft, PageQuery, SubmitResult } from '../types';
import { copyLinkFields, dedupeOwner } from '../link-fields';
import type { ParleyCommands } from './commands';
import { isReplyError, type RedisConnections } from './connection';
import type { DeliveryLedger } from './delivery-ledger';
import { decodeAppend, decodeSubmit } from './replies';
import { mergeChanged, RedisChanges } from './changes';

const DEDUPE_TTL_S = 24 * 3600;
/** Messages held while Redis is down; beyond this, senders are told to retry later. */
export const WRITE_BEHIND_MAX = 5000;

interface Deferred {
  /** Arrival order: the queue is kept in this order even when a direct write fails late. */
  order: number;
  args: (string | number)[];
  dedupe: string;
  resolve(r: AppendResult): void;
  reject(err: unknown): void;
  promise: Promise<AppendResult>;
}

export class RedisHistoryStore implements HistoryStore {
  private queue: Deferred[] = [];
  private byDedupe = new Map<string, Deferred>();
  private flushing = false;
  private arrivals = 0;
  private readonly fallback: MemoryRateLimiter;
  private readonly changes: RedisChanges;

  constructor(
    private readonly conns: RedisConnections,
    private readonly cmd: Redis & ParleyCommands,
    private readonly prefix: string,
    private readonly limit: number,
    /** The per-user message bucket (SubmitMessage), shared in Redis. */
    private readonly bucket: BucketSpec,
    private readonly log: Logger,
    /** Told of every id this instance issues: its own send path delivers those, never a gap fill. */
    private readonly ledger?: DeliveryLedger,
  ) {
    this.fallback = new MemoryRateLimiter(bucket);
    this.changes = new RedisChanges(cmd, prefix, limit);
    conns.on('state', (s: string) => {
      if (s === 'up') void this.flush();
    });
  }

  get pendingWrites(): number {
    return this.queue.length;
  }

  append(draft: MessageDraft, onDeferred?: (provisional: ChatMessage) => void): Promise<AppendResult> {
    return this.store(draft, onDeferred, undefined) as Promise<AppendResult>;
  }

  /**
   * SubmitMessage: with Redis up, one script takes the user's token and appends, so the limit holds
   * across instances and a message costs one round trip. While the write-behind queue is in use,
   * the bucket is this instance's own (`fallback`), as a shared one cannot be asked.
   */
  submit(limitKey: string, draft: MessageDraft, onDeferred?: (provisional: ChatMessage) => void): Promise<SubmitResult> {
    return this.store(draft, onDeferred, limitKey);
  }

  private async store(draft: MessageDraft, onDeferred: ((provisional: ChatMessage) => void) | undefined, limitKey: string | undefined): Promise<SubmitResult> {
    const id = newMessageId();
    this.ledger?.own(id);
    const ts = Date.now();
    const body: Omit<ChatMessage, 'seq'> = { username: draft.username, message: draft.message, id, ts, room: draft.room, userId: draft.userId };
    if (draft.clientId !== undefined) body.clientId = draft.clientId;
    if (draft.attachments !== undefined) body.attachments = draft.attachments;
    copyLinkFields(draft, body);
    if (draft.change !== undefined) {
      body.change = draft.change;
      body.target = draft.target!;
    }
    const dedupe = draft.clientId === undefined ? '' : `${dedupeOwner(draft)}/${draft.clientId}`;
    const args = [this.prefix, draft.room, String(seqBase()), this.limit, dedupe, DEDUPE_TTL_S, JSON.stringify(body)];

    const waiting = dedupe ? this.byDedupe.get(dedupe) : undefined;
    if (waiting) return waiting.promise.then((r) => ({ ...r, duplicate: true }));
    const order = ++this.arrivals;
    if (this.conns.state === 'up' && this.queue.length === 0) {
      // Issued now, before any await: writes reach Redis in call order, so seqs follow arrival.
      const direct = limitKey === undefined ? this.write(args) : this.writeCharged(args, limitKey);
      try {
        return await direct;
      } catch (err) {
        if (isReplyError(err)) throw internal(err, this.log);
        // Connection lost on this very write: queue it. The script is atomic, so it either ran
        // completely or not at all; if it did, the rewrite finds the idempotency record. Its token
        // was taken in Redis or the attempt was: it is not charged again.
      }
    } else if (limitKey !== undefined) {
      const limited = this.fallback.take(limitKey);
      if (!limited.ok) return { retryAfterMs: limited.retryAfterMs };
    }
    if (this.queue.length >= WRITE_BEHIND_MAX) {
      throw new ParleyError(ErrorCode.UNAVAILABLE, 'The message store is unavailable; try again shortly.');
    }
    const deferred = this.defer(order, args, dedupe);
    onDeferred?.({ ...body, seq: 0 });
    return deferred.promise;
  }

  async page(room: string, query: PageQuery): Promise<HistoryPage> {
    if (this.conns.state !== 'up') throw new ParleyError(ErrorCode.UNAVAILABLE, 'History is unavailable right now.');
    const stream = `${this.prefix}h:${room}`;
    try {
      const [last, first, firstChanged] = await Promise.all([
        this.cmd.get(`${stream}:seq`),
        this.cmd.xrange(stream, '-', '+', 'COUNT', 1),
        this.cmd.zrange(`${stream}:x`, 0, 0, 'WITHSCORES'),
      ]);
      const lastSeq = last === null ? 0 : Number(last);
      // The oldest entry may have left the stream for the change overlay (changes.ts); and once some
      // have, the stream keeps entries older than the last `limit` seqs, which are not retained.
      const oldest = Math.min(first.length > 0 ? entrySeq(first[0]![0]) : lastSeq + 1, firstChanged.length > 0 ? Number(firstChanged[1]) : Infinity);
      const oldestSeq = Math.max(oldest, lastSeq - this.limit + 1);
      const w = selectWindow(oldestSeq, lastSeq, query);
      // The window and its changed entries in one round trip, the stream first (changes.ts says why);
      // a conversation that never had a change has no overlay to read.
      const [entries, changed] = await Promise.all([
        w.to >= w.from ? this.cmd.xrange(stream, `${w.from}-0`, `${w.to}-0`) : [],
        w.to >= w.from && firstChanged.length > 0 ? this.cmd.zrangebyscore(`${stream}:x`, w.from, w.to) : [],
      ]);
      const messages = mergeChanged(entries.map(([, fields]) => JSON.parse(fields[1]!) as ChatMessage), changed);
      return { room, messages, lastSeq, hasMore: w.hasMore, gap: w.gap };
    } catch (err) {
      if (err instanceof ParleyError) throw err;
      if (isReplyError(err)) throw internal(err, this.log);
      throw new ParleyError(ErrorCode.UNAVAILABLE, 'History is unavailable right now.');
    }
  }

  async stored(userId: string, clientId: string): Promise<ChatMessage | undefined> {
    return this.guarded(async () => {
      const json = await this.cmd.get(`${this.prefix}d:${userId}/${clientId}`);
      return json === null ? undefined : (JSON.parse(json) as ChatMessage);
    });
  }

  async get(room: string, seq: number): Promise<ChatMessage | undefined> {
    return this.guarded(() => this.changes.get(room, seq));
  }

  async applyChange(entry: ChatMessage): Promise<ChatMessage | undefined> {
    return this.guarded(() => this.changes.apply(entry));
  }

  private async guarded<T>(fn: () => Promise<T>): Promise<T> {
    if (this.conns.state !== 'up') throw new ParleyError(ErrorCode.UNAVAILABLE, 'History is unavailable right now.');
    try {
      return await fn();
    } catch (err) {
      if (isReplyError(err)) throw internal(err, this.log);
      throw new ParleyError(ErrorCode.UNAVAILABLE, 'History is unavailable right now.');
    }
  }

  /** Fails every queued write (shutdown). */
  abandon(): void {
    for (const d of this.queue) d.reject(new ParleyError(ErrorCode.SHUTTING_DOWN, 'The relay shut down before the message was stored.'));
    this.queue = [];
    this.byDedupe.clear();
  }

  private async write(args: (string | number)[]): Promise<AppendResult> {
    return decodeAppend(await this.cmd.parleyAppend(...args));
  }

  private async writeCharged(args: (string | number)[], limitKey: string): Promise<SubmitResult> {
    const { capacity, perSecond } = this.bucket;
    return decodeSubmit(await this.cmd.parleySubmit(...args, `${this.prefix}rl:${limitKey}`, capacity, perSecond));
  }

  private defer(order: number, args: (string | number)[], dedupe: string): Deferred {
    let resolve!: (r: AppendResult) => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<AppendResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const d: Deferred = { order, args, dedupe, resolve, reject, promise };
    // Usually last; a write that failed late goes back before the ones that arrived after it.
    let at = this.queue.length;
    while (at > 0 && this.queue[at - 1]!.order > order) at--;
    this.queue.splice(at, 0, d);
    if (dedupe) this.byDedupe.set(dedupe, d);
    if (this.conns.state === 'up') void this.flush();
    return d;
  }

  /** Writes queued messages in order; stops (keeping the rest) if Redis drops again. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0 && this.conns.state === 'up') {
        const d = this.queue[0]!;
        let result: AppendResult;
        try {
          result = await this.write(d.args);
        } catch (err) {
          if (!isReplyError(err)) return; // down again: the next 'up' resumes here
          this.queue.shift();
          d.reject(internal(err, this.log));
          continue;
        }
        this.queue.shift();
        if (d.dedupe) this.byDedupe.delete(d.dedupe);
        d.resolve(result);
      }
      if (this.queue.length === 0) this.log.info('write-behind queue drained');
    } finally {
      this.flushing = false;
    }
  }
}

function entrySeq(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

function internal(err: unknown, log: Logger): ParleyError {
  log.error({ err }, 'Redis history error');
  return new ParleyError(ErrorCode.INTERNAL, 'Message store error; nothing was stored.');
}

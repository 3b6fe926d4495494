/**
 * History on disk. Each message is acknowledged only after the batch holding it is durable
 * (group-commit.ts), and is broadcast after that too, so nobody is ever shown a message a crash
 * could take back. Seqs are assigned in memory in arrival order and continue above the stored ones
 * after a restart; a page never shows past the newest committed seq.
 *
 * Idempotency records live for DEDUPE_TTL_MS, as in Redis mode: an outbox retrying after the relay
 * crashed between commit and ack gets the stored copy, from disk. Records of messages in flight (or
 * just written) are checked in memory first, so a retry racing its original cannot store twice.
 */
import { ErrorCode, ParleyError, type ChatMessage, type HistoryPage } from '../../../protocol/index';
import { seqBase } from '../../ids';
import { RecencyMap } from '../../recency-map';
import { storedMessage } from '../local';
import { dedupeOwner, storedDedupeOwner } from '../link-fields';
import { selectWindow } from '../history-window';
import { applyDelete, applyEdit, blank, isEditOf } from '../changes';
import type { AppendResult, HistoryStore, MessageDraft, PageQuery } from '../types';
import type { Database } from './database';
import type { GroupCommit, WriteOp } from './group-commit';
import { dedupeKey, DEDUPE, MESSAGE, messageKey, messageRange, prefixRange, seqOf } from './keys';

/** How long a (user, clientId) is remembered, as the Redis store does. */
export const DEDUPE_TTL_MS = 24 * 3600 * 1000;
/** Keys written recently, kept in memory: covers a lookup that read the disk just before their batch landed. */
const RECENT_KEYS = 10_000;

interface Conversation {
  /** Newest seq assigned (in memory, perhaps not yet on disk). */
  lastSeq: number;
  /** Newest seq on disk: pages stop here. */
  committedSeq: number;
  /** Oldest seq still kept (lastSeq + 1 when none is). */
  oldestSeq: number;
}

interface DedupeRecord {
  message: ChatMessage;
}

export class DurableHistoryStore implements HistoryStore {
  private readonly convs = new Map<string, Conversation>();
  private readonly inFlight = new Map<string, ChatMessage>();
  private readonly recent = new RecencyMap<string, ChatMessage>(RECENT_KEYS);
  /**
   * How many idempotency records on disk have each 32-bit fingerprint. A key whose fingerprint is not
   * here is certainly not on disk, so the disk is asked only about true retries (and the rare
   * collision): LevelDB has no Bloom filter here, and a lookup of a missing key reads every level,
   * which cost more than the write itself (bench/README.md). About 50 bytes per record of the last
   * DEDUPE_TTL_MS.
   */
  private readonly onDisk = new Map<number, number>();
  private fingerprintsLoaded = false;
  private fingerprints: Promise<void> = Promise.resolve();
  /** Assignment happens in arrival order, after each draft's own idempotency lookup. */
  private tail: Promise<unknown> = Promise.resolve();
  private changes: Promise<unknown> = Promise.resolve();
  private lookups: { key: string; resolve(m: ChatMessage | undefined): void; reject(err: unknown): void }[] = [];

  private constructor(
    private readonly db: Database,
    private readonly commit: GroupCommit,
    private readonly limit: number,
  ) {}

  /**
   * Opens the store over `db`. Each conversation's oldest and newest kept seq are its first and last
   * message keys: found with two seeks per conversation, skipping over its messages, so start-up
   * time follows the number of conversations, not of messages. (No per-conversation record is
   * written with each message for this: it would cost every message a second write.)
   */
  static async load(db: Database, commit: GroupCommit, limit: number): Promise<DurableHistoryStore> {
    const store = new DurableHistoryStore(db, commit, limit);
    const keys = db.keys(prefixRange(MESSAGE));
    try {
      for (let key = await keys.next(); key !== undefined; key = await keys.next()) {
        const id = key.slice(MESSAGE.length, key.lastIndexOf('!'));
        const [last] = await db.keys({ ...prefixRange(`${MESSAGE}${id}!`), reverse: true, limit: 1 }).all();
        const lastSeq = seqOf(last!);
        store.convs.set(id, { lastSeq, committedSeq: lastSeq, oldestSeq: seqOf(key) });
        keys.seek(`${MESSAGE}${id}!\uffff`);
      }
    } finally {
      await keys.close();
    }
    store.fingerprints = store.loadFingerprints();
    return store;
  }

  /**
   * Reads the fingerprints of the idempotency records on disk after start-up rather than before it
   * (about 2 µs a record: a quarter of a second for 100,000); until they are in, every key is looked
   * up on disk, which is only slower. In chunks of a thousand keys per call into LevelDB.
   */
  private async loadFingerprints(): Promise<void> {
    const records = this.db.keys(prefixRange(DEDUPE));
    try {
      for (let chunk = await records.nextv(1000); chunk.length > 0; chunk = await records.nextv(1000)) {
        for (const key of chunk) this.countOnDisk(key, 1);
      }
      this.fingerprintsLoaded = true;
    } catch {
      // Closed while reading (shutdown), or the disk failed: keys keep being looked up on disk.
    } finally {
      await records.close().catch(() => {});
    }
  }

  /** Resolves once the start-up read of fingerprints ended (tests, and close). */
  fingerprintsRead(): Promise<void> {
    return this.fingerprints;
  }

  append(draft: MessageDraft): Promise<AppendResult> {
    const key = draft.clientId === undefined ? undefined : dedupeKey(dedupeOwner(draft), draft.clientId);
    // The disk lookup starts now, in parallel with earlier drafts; the assignment waits its turn.
    const stored = key !== undefined && this.mayBeOnDisk(key) ? this.storedCopy(key) : Promise.resolve(undefined);
    // The chain waits for each draft's assignment, not for its write: writes of many drafts share a batch.
    const assigned = this.tail.then(() => stored).then((found) => ({ written: this.assign(draft, key, found) }));
    this.tail = assigned.catch(() => {});
    return assigned.then((a) => a.written);
  }

  /**
   * The message an idempotency key named, from disk. The keys asked for in one turn are read with one
   * getMany: their answers then arrive together, the drafts are assigned in one turn, and their
   * writes share one batch. (One read each would hand them back in separate turns, one per batch.)
   */
  private storedCopy(key: string): Promise<ChatMessage | undefined> {
    return new Promise((resolve, reject) => {
      if (this.lookups.length === 0) setImmediate(() => this.readLookups());
      this.lookups.push({ key, resolve, reject });
    });
  }

  private readLookups(): void {
    const batch = this.lookups;
    this.lookups = [];
    this.commit
      .readable()
      .then(() => this.db.getMany(batch.map((l) => l.key)))
      .then(
      (records) => {
        const now = Date.now();
        batch.forEach((l, i) => {
          const record = records[i] as DedupeRecord | undefined;
          l.resolve(record && now - record.message.ts < DEDUPE_TTL_MS ? record.message : undefined);
        });
      },
      (err: unknown) => {
        for (const l of batch) l.reject(new ParleyError(ErrorCode.UNAVAILABLE, `The relay could not read its history (${reason(err)}); try again later.`));
      },
    );
  }

  private assign(draft: MessageDraft, key: string | undefined, onDisk: ChatMessage | undefined): Promise<AppendResult> {
    if (key !== undefined) {
      const earlier = this.inFlight.get(key) ?? this.recent.get(key) ?? onDisk;
      if (earlier) return Promise.resolve({ message: earlier, duplicate: true });
    }
    const conv = this.conversation(draft.room);
    const message = storedMessage(draft, ++conv.lastSeq);
    const ops: WriteOp[] = [];
    if (this.limit > 0) {
      ops.push({ type: 'put', key: messageKey(draft.room, message.seq), value: message });
      const dropped = message.seq - this.limit;
      if (dropped >= conv.oldestSeq) ops.push({ type: 'del', key: messageKey(draft.room, dropped) });
    }
    if (key !== undefined) {
      ops.push({ type: 'put', key, value: { message } satisfies DedupeRecord });
      this.inFlight.set(key, message);
    }
    return this.commit.write(ops).then(
      () => {
        conv.committedSeq = Math.max(conv.committedSeq, message.seq);
        if (this.limit > 0) conv.oldestSeq = Math.max(conv.oldestSeq, message.seq - this.limit + 1);
        else conv.oldestSeq = conv.committedSeq + 1;
        if (key !== undefined) this.remember(key, message);
        return { message, duplicate: false };
      },
      (err: unknown) => {
        if (key !== undefined) this.inFlight.delete(key);
        // Nothing of it is on disk, so nothing was acknowledged: the sender's outbox retries it.
        throw new ParleyError(ErrorCode.UNAVAILABLE, `The relay could not save the message (${reason(err)}); try again later.`);
      },
    );
  }

  /** False only when the idempotency record is certainly not on disk (see `onDisk`). */
  private mayBeOnDisk(key: string): boolean {
    return !this.fingerprintsLoaded || this.onDisk.has(fingerprint(key));
  }

  private countOnDisk(key: string, delta: 1 | -1): void {
    const fp = fingerprint(key);
    const n = (this.onDisk.get(fp) ?? 0) + delta;
    if (n > 0) this.onDisk.set(fp, n);
    else this.onDisk.delete(fp);
  }

  private remember(key: string, message: ChatMessage): void {
    this.countOnDisk(key, 1);
    this.inFlight.delete(key);
    this.recent.set(key, message);
  }

  private conversation(id: string): Conversation {
    let conv = this.convs.get(id);
    if (!conv) {
      const base = seqBase();
      conv = { lastSeq: base, committedSeq: base, oldestSeq: base + 1 };
      this.convs.set(id, conv);
    }
    return conv;
  }

  async page(room: string, query: PageQuery): Promise<HistoryPage> {
    const conv = this.convs.get(room);
    // As the memory store: a conversation nobody wrote to has no seqs yet.
    const lastSeq = conv?.committedSeq ?? 0;
    const oldestSeq = conv ? Math.min(conv.oldestSeq, lastSeq + 1) : 1;
    const w = selectWindow(oldestSeq, lastSeq, query);
    let messages: ChatMessage[] = [];
    try {
      await this.commit.readable();
      if (w.from <= w.to) messages = (await this.db.values(messageRange(room, w.from, w.to)).all()) as ChatMessage[];
    } catch (err) {
      // The database is being reopened after a failed write, or cannot be (disk still full).
      throw new ParleyError(ErrorCode.UNAVAILABLE, `The relay could not read its history (${reason(err)}); try again later.`);
    }
    return { room, messages, lastSeq, hasMore: w.hasMore, gap: w.gap };
  }

  stored(userId: string, clientId: string): Promise<ChatMessage | undefined> {
    const key = dedupeKey(userId, clientId);
    const known = this.inFlight.get(key) ?? this.recent.get(key);
    if (known) return Promise.resolve(known);
    return this.mayBeOnDisk(key) ? this.storedCopy(key) : Promise.resolve(undefined);
  }

  async get(room: string, seq: number): Promise<ChatMessage | undefined> {
    const conv = this.convs.get(room);
    if (!conv || this.limit === 0 || seq < conv.oldestSeq || seq > conv.committedSeq) return undefined;
    try {
      await this.commit.readable();
      return (await this.db.get(messageKey(room, seq))) as ChatMessage | undefined;
    } catch (err) {
      throw new ParleyError(ErrorCode.UNAVAILABLE, `The relay could not read its history (${reason(err)}); try again later.`);
    }
  }

  /** One change at a time: each reads what the one before it wrote. */
  applyChange(entry: ChatMessage): Promise<ChatMessage | undefined> {
    const done = this.changes.then(() => this.change(entry));
    this.changes = done.catch(() => {});
    return done;
  }

  private async change(entry: ChatMessage): Promise<ChatMessage | undefined> {
    const ref = entry.target!;
    const target = await this.get(entry.room, ref.seq);
    if (!target || target.id !== ref.id) return undefined;
    const changed: ChatMessage[] = [];
    if (entry.change === 'edit') {
      if (applyEdit(target, entry)) changed.push(target);
      else if (target.deleted) changed.push({ ...entry, message: '' });
    } else {
      applyDelete(target);
      changed.push(target);
      for await (const value of this.db.values(messageRange(entry.room, ref.seq + 1, entry.seq))) {
        const later = value as ChatMessage;
        if (!isEditOf(later, ref.id)) continue;
        blank(later);
        changed.push(later);
      }
    }
    const ops: WriteOp[] = [];
    // Appends went on while this read: a message trimmed meanwhile (its delete is already queued
    // ahead of this batch) must not be written back below the window, where nothing deletes it.
    const conv = this.convs.get(entry.room);
    const floor = conv ? Math.max(conv.oldestSeq, conv.lastSeq - this.limit + 1) : Infinity;
    for (const m of changed) {
      if (m.seq < floor) continue;
      ops.push({ type: 'put', key: messageKey(m.room, m.seq), value: m });
      // The idempotency record holds a copy of the message: its words go too.
      if (m.clientId === undefined) continue;
      const key = dedupeKey(storedDedupeOwner(m), m.clientId);
      if (this.recent.get(key)) this.recent.set(key, m);
      if (this.mayBeOnDisk(key)) ops.push({ type: 'put', key, value: { message: m } satisfies DedupeRecord });
    }
    try {
      // LevelDB keeps an overwritten value inside its table files until a compaction merges them, and
      // compactRange cannot force that for a table already at the lowest level (tried: the words were
      // still in the file). So the words leave every answer now and the files later (docs/protocol.md).
      await this.commit.write(ops);
    } catch (err) {
      throw new ParleyError(ErrorCode.UNAVAILABLE, `The relay could not save the change (${reason(err)}); try again later.`);
    }
    return target;
  }

  /** Every conversation (room or DM) with a log. */
  conversations(): string[] {
    return [...this.convs.keys()];
  }

  /** The newest seq of a conversation; 0 when nobody wrote to it. */
  lastSeq(room: string): number {
    return this.convs.get(room)?.lastSeq ?? 0;
  }

  /** Deletes a conversation's log (it expired), if nothing was written since the caller saw `lastSeq`. */
  async drop(room: string, lastSeq: number): Promise<boolean> {
    if (this.lastSeq(room) !== lastSeq) return false;
    this.convs.delete(room);
    // A conversation re-created meanwhile starts at a higher seq (seqBase of now), so bounding the
    // range by `lastSeq` never touches its messages.
    await this.db.clear(messageRange(room, 0, lastSeq));
    return true;
  }

  /**
   * Retention by age (HISTORY_MAX_AGE): deletes messages older than `cutoffTs` from the oldest end of
   * each conversation, and idempotency records past their time. Returns how many messages went.
   */
  sweep(cutoffTs: number | undefined, now = Date.now()): Promise<number> {
    // In turn with changes: a change must not write back a message the sweep is deleting.
    const done = this.changes.then(() => this.sweepNow(cutoffTs, now));
    this.changes = done.catch(() => {});
    return done;
  }

  private async sweepNow(cutoffTs: number | undefined, now: number): Promise<number> {
    let removed = 0;
    if (cutoffTs !== undefined) {
      for (const [id, conv] of this.convs) {
        const old: number[] = [];
        for await (const message of this.db.values(messageRange(id, conv.oldestSeq, conv.committedSeq))) {
          if ((message as ChatMessage).ts >= cutoffTs) break;
          old.push((message as ChatMessage).seq);
        }
        if (old.length === 0) continue;
        await this.commit.write(old.map((seq) => ({ type: 'del', key: messageKey(id, seq) })));
        conv.oldestSeq = Math.max(conv.oldestSeq, old[old.length - 1]! + 1);
        removed += old.length;
      }
    }
    const stale: WriteOp[] = [];
    for await (const [key, value] of this.db.iterator(prefixRange(DEDUPE))) {
      if (now - (value as DedupeRecord).message.ts >= DEDUPE_TTL_MS) stale.push({ type: 'del', key });
    }
    if (stale.length > 0) {
      await this.commit.write(stale);
      for (const op of stale) this.countOnDisk(op.key, -1);
    }
    return removed;
  }
}

/** FNV-1a, 32 bits: cheap, and spread well enough for a presence filter. */
function fingerprint(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** LevelDB's own words when there are some (abstract-level wraps them as the error's cause). */
export function reason(err: unknown): string {
  const e = err as Error & { cause?: Error };
  return e.cause?.message ?? e.message;
}

/** History in process memory: a ring per room, bounded by the history limit. */
import type { ChatMessage, HistoryPage } from '../../protocol/index';
import { seqBase } from '../ids';
import { RecencyMap } from '../recency-map';
import { Ring } from './ring';
import { applyDelete, applyEdit, blank, isEditOf } from './changes';
import { storedMessage } from './local';
import { dedupeOwner } from './link-fields';
import { selectWindow } from './history-window';
import type { AppendResult, HistoryStore, MessageDraft, PageQuery } from './types';

interface RoomLog {
  lastSeq: number;
  ring: Ring<ChatMessage>;
  /** Idempotency keys → stored message; the oldest key is evicted first. */
  seen: RecencyMap<string, ChatMessage>;
}

export class MemoryHistoryStore implements HistoryStore {
  private readonly rooms = new Map<string, RoomLog>();
  /**
   * Which conversation's window holds each idempotency key: a key is one per (user, clientId) across
   * all conversations, as in Redis. Only keys some window still holds are here, so this is bounded
   * by the windows and goes with them when a conversation expires.
   */
  private readonly keyHolder = new Map<string, RoomLog>();
  private readonly dedupeWindow: number;

  constructor(private readonly limit: number) {
    // As many keys as the history window holds messages: a retry of a message history still has is
    // answered with it. (A retry seconds later finds its key unless the room took more than the
    // window's worth of messages meanwhile; a relay without history keeps a small window anyway.)
    this.dedupeWindow = Math.max(limit, 100);
  }

  private log(room: string): RoomLog {
    let log = this.rooms.get(room);
    if (!log) {
      const created: RoomLog = { lastSeq: seqBase(), ring: new Ring(this.limit), seen: undefined! };
      created.seen = new RecencyMap(this.dedupeWindow, (key) => this.release(created, key));
      this.rooms.set(room, (log = created));
    }
    return log;
  }

  async append(draft: MessageDraft): Promise<AppendResult> {
    const key = draft.clientId === undefined ? undefined : `${dedupeOwner(draft)}/${draft.clientId}`;
    if (key !== undefined) {
      const earlier = this.keyHolder.get(key)?.seen.get(key);
      if (earlier) return { message: earlier, duplicate: true };
    }
    // After the check: a duplicate naming another conversation must not open a log there.
    const log = this.log(draft.room);
    const message = storedMessage(draft, ++log.lastSeq);
    if (this.limit > 0) log.ring.push(message);
    if (key !== undefined) {
      log.seen.set(key, message);
      this.keyHolder.set(key, log);
    }
    return { message, duplicate: false };
  }

  /** Every conversation (room or DM) with a log here. */
  conversations(): string[] {
    return [...this.rooms.keys()];
  }

  /** The newest seq of a conversation; 0 when nobody wrote to it. */
  lastSeq(room: string): number {
    return this.rooms.get(room)?.lastSeq ?? 0;
  }

  /** Drops a conversation's log (it expired), if nothing was written since the caller saw `lastSeq`. */
  drop(room: string, lastSeq: number): boolean {
    if (this.lastSeq(room) !== lastSeq) return false;
    const log = this.rooms.get(room);
    if (log) for (const key of [...log.seen.keys()]) this.release(log, key);
    this.rooms.delete(room);
    return true;
  }

  /** The key left `log`'s window: it no longer names a message of `log`. */
  private release(log: RoomLog, key: string): void {
    if (this.keyHolder.get(key) === log) this.keyHolder.delete(key);
  }

  async stored(userId: string, clientId: string): Promise<ChatMessage | undefined> {
    const key = `${userId}/${clientId}`;
    return this.keyHolder.get(key)?.seen.get(key);
  }

  async get(room: string, seq: number): Promise<ChatMessage | undefined> {
    const log = this.rooms.get(room);
    if (!log || this.limit === 0) return undefined;
    const oldestSeq = log.lastSeq - log.ring.size + 1;
    return seq >= oldestSeq && seq <= log.lastSeq ? log.ring.at(seq - oldestSeq) : undefined;
  }

  /** Changes happen in place: the idempotency records hold the same objects, so they change too. */
  async applyChange(entry: ChatMessage): Promise<ChatMessage | undefined> {
    const ref = entry.target!;
    const target = await this.get(entry.room, ref.seq);
    if (!target || target.id !== ref.id) return undefined;
    if (entry.change === 'edit') {
      if (!applyEdit(target, entry) && target.deleted) blank(entry);
      return target;
    }
    applyDelete(target);
    for (let seq = ref.seq + 1; seq <= entry.seq; seq++) {
      const later = await this.get(entry.room, seq);
      if (later && isEditOf(later, ref.id)) blank(later);
    }
    return target;
  }

  async page(room: string, query: PageQuery): Promise<HistoryPage> {
    const log = this.rooms.get(room);
    // A room nobody wrote to has no seqs yet: report 0 rather than inventing a base.
    const lastSeq = log?.lastSeq ?? 0;
    const size = log && this.limit > 0 ? log.ring.size : 0;
    const oldestSeq = lastSeq - size + 1;
    const w = selectWindow(oldestSeq, lastSeq, query);
    const messages: ChatMessage[] = [];
    for (let seq = w.from; seq <= w.to; seq++) messages.push(log!.ring.at(seq - oldestSeq));
    return { room, messages, lastSeq, hasMore: w.hasMore, gap: w.gap };
  }
}

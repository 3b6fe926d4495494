/**
 * One room's (or DM's) message timeline: confirmed messages ordered by `seq` and deduplicated by
 * `id` (history replays and catch-ups overlap with live messages), system lines (joined/left), and
 * the user's own messages that the relay has not acknowledged yet, shown last.
 */
import type { ChatMessage } from '../../protocol/index';

export interface MessageEntry {
  kind: 'message';
  key: string;
  msg: ChatMessage;
}

export type PendingStatus = 'pending' | 'failed';

export interface PendingEntry {
  kind: 'pending';
  key: string;
  clientId: string;
  text: string;
  ts: number;
  status: PendingStatus;
  error?: string;
  /** Files going with it: upload keys (uploads.ts) and what to show while they upload. */
  files?: readonly PendingFile[];
}

export interface PendingFile {
  key: string;
  name: string;
  size: number;
}

export interface SystemEntry {
  kind: 'system';
  key: string;
  text: string;
  /** A nickname the line is about ("<subject> joined"): user text, shown set apart from the app's words. */
  subject?: string;
  ts: number;
  /**
   * The newest seq when the line was added: it stays right after that message whatever arrives
   * later. Ordering by this, not by `ts`, keeps client and server clocks out of the ordering.
   */
  after: number;
}

export type TimelineEntry = MessageEntry | PendingEntry | SystemEntry;

/** Keep memory bounded in a very long session; older messages can be fetched again. */
export const TIMELINE_CAP = 20_000;

export class Timeline {
  private items: (MessageEntry | SystemEntry)[] = [];
  private pending: PendingEntry[] = [];
  private readonly ids = new Set<string>();
  private systemCounter = 0;
  /** Highest seq seen. Not the catch-up cursor: messages from other instances can arrive out of order. */
  lastSeq = 0;
  /**
   * The catch-up cursor: every stored message up to this seq is held (or is older history, reachable
   * by scrolling back). Seqs are dense per conversation, so a seq seen above `syncedSeq + 1` means a
   * message in between is still in flight — or was lost, and must be fetched (see `hasHole`).
   * 0 until the first stored message or page.
   */
  syncedSeq = 0;
  /** Seqs seen above `syncedSeq`, waiting for the ones below them. */
  private readonly ahead = new Set<number>();
  /** Older messages exist on the relay than the oldest held here. */
  hasMore = false;

  constructor(private readonly cap = TIMELINE_CAP) {}

  /**
   * Adds a message; false when it was already there (by id). A provisional copy (seq 0: the relay
   * could not store it yet) goes last and is replaced, in place of order, by the stored copy.
   */
  add(msg: ChatMessage): boolean {
    this.noteSeq(msg.seq);
    if (msg.change !== undefined) return this.applyChange(msg);
    if (this.ids.has(msg.id)) {
      if (msg.seq > 0) this.confirm(msg);
      return false;
    }
    // At the cap, older messages than the oldest held were dropped on purpose: re-adding one would
    // only trim it again (and count it as new for unread badges).
    if (this.hasMore && this.items.length >= this.cap && msg.seq > 0 && msg.seq < (this.oldestSeq() ?? 0)) return false;
    this.ids.add(msg.id);
    if (msg.seq > this.lastSeq) this.lastSeq = msg.seq;
    if (msg.clientId !== undefined) this.pending = this.pending.filter((p) => p.clientId !== msg.clientId);
    this.insert(msg);
    this.trim();
    return true;
  }

  /**
   * A change entry (protocol/edits.ts) is not shown itself: it rewrites the message it names, if held
   * (an older one is fetched already changed when scrolled back to). Returns false: nothing new to
   * count as unread. Applying one twice changes nothing (a replayed page): deleting is final, and an
   * edit applies only over an older one.
   */
  private applyChange(entry: ChatMessage): boolean {
    if (entry.seq > this.lastSeq) this.lastSeq = entry.seq;
    const at = this.items.findIndex((e) => e.kind === 'message' && e.msg.id === entry.target?.id);
    if (at < 0) return false;
    const { msg } = this.items[at] as MessageEntry;
    let next: ChatMessage | undefined;
    if (entry.change === 'delete') {
      next = { ...msg, message: '', deleted: true };
      delete next.edited;
      delete next.editSeq;
    } else if (!msg.deleted && (msg.editSeq ?? 0) < entry.seq) {
      next = { ...msg, message: entry.message, edited: entry.ts, editSeq: entry.seq };
    }
    if (next) this.items[at] = { kind: 'message', key: msg.id, msg: next };
    return false;
  }

  /** The message with this id, as it is now (edited or deleted), if held. */
  message(id: string): ChatMessage | undefined {
    const found = this.items.find((e) => e.kind === 'message' && e.msg.id === id);
    return found?.kind === 'message' ? found.msg : undefined;
  }

  /** Stored messages are missing between `syncedSeq` and the newest seen. */
  get hasHole(): boolean {
    return this.ahead.size > 0;
  }

  /**
   * The relay answered for everything up to `upTo` (a history page read when the room's newest seq
   * was `upTo`, with no older part left out): seqs it did not return do not exist.
   */
  markSynced(upTo: number): void {
    if (upTo <= this.syncedSeq) return;
    this.syncedSeq = upTo;
    for (const seq of this.ahead) if (seq <= upTo) this.ahead.delete(seq);
    this.advance();
  }

  private noteSeq(seq: number): void {
    if (seq <= 0) return;
    // The first stored message this timeline sees: what came before it is older history, not a hole.
    if (this.syncedSeq === 0) this.syncedSeq = seq - 1;
    if (seq <= this.syncedSeq) return;
    this.ahead.add(seq);
    this.advance();
  }

  private advance(): void {
    while (this.ahead.delete(this.syncedSeq + 1)) this.syncedSeq++;
  }

  /** Replaces a provisional copy by the stored one (real seq), moving it to its place. */
  private confirm(msg: ChatMessage): void {
    const at = this.items.findIndex((e) => e.kind === 'message' && e.msg.id === msg.id);
    if (at < 0) return;
    const old = this.items[at] as MessageEntry;
    if (old.msg.seq !== 0) return;
    this.items.splice(at, 1);
    if (msg.seq > this.lastSeq) this.lastSeq = msg.seq;
    this.insert(msg);
  }

  private insert(msg: ChatMessage): void {
    // Usually the newest: walk back from the end past anything that belongs after it. Provisional
    // messages (seq 0) belong after every stored one.
    let i = this.items.length;
    while (i > 0) {
      const prev = this.items[i - 1]!;
      const after =
        msg.seq !== 0 && (prev.kind === 'system' ? prev.after >= msg.seq : prev.msg.seq === 0 || prev.msg.seq > msg.seq);
      if (after) i--;
      else break;
    }
    this.items.splice(i, 0, { kind: 'message', key: msg.id, msg });
  }

  /** Adds many (a history page); returns how many were new. */
  addAll(messages: readonly ChatMessage[]): number {
    let added = 0;
    for (const m of messages) if (this.add(m)) added++;
    return added;
  }

  addSystem(text: string, ts: number = Date.now(), subject?: string): void {
    const entry: SystemEntry = { kind: 'system', key: `sys-${++this.systemCounter}-${ts}`, text, ts, after: this.lastSeq };
    if (subject !== undefined) entry.subject = subject;
    this.items.push(entry);
    this.trim();
  }

  addPending(clientId: string, text: string, ts: number, files: readonly PendingFile[] = []): void {
    if (this.pending.some((p) => p.clientId === clientId)) return;
    const entry: PendingEntry = { kind: 'pending', key: `pending-${clientId}`, clientId, text, ts, status: 'pending' };
    if (files.length > 0) entry.files = files.map(({ key, name, size }) => ({ key, name, size }));
    this.pending.push(entry);
  }

  /** The files of a pending message changed (one was taken out). */
  setPendingFiles(clientId: string, files: readonly PendingFile[]): void {
    this.pending = this.pending.map((p) => (p.clientId === clientId ? { ...p, files: files.map(({ key, name, size }) => ({ key, name, size })) } : p));
  }

  setPendingStatus(clientId: string, status: PendingStatus, error?: string): void {
    this.pending = this.pending.map((p) =>
      p.clientId === clientId ? { ...p, status, ...(error === undefined ? { error: undefined } : { error }) } : p,
    );
  }

  removePending(clientId: string): void {
    this.pending = this.pending.filter((p) => p.clientId !== clientId);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Seq of the oldest confirmed message held (for scroll-back), or undefined. */
  oldestSeq(): number | undefined {
    for (const item of this.items) if (item.kind === 'message' && item.msg.seq > 0) return item.msg.seq;
    return undefined;
  }

  get messageCount(): number {
    return this.ids.size;
  }

  /** Everything to display, in order. A new array each call (cheap: references only). */
  entries(): TimelineEntry[] {
    return this.pending.length === 0 ? this.items.slice() : [...this.items, ...this.pending];
  }

  private trim(): void {
    const excess = this.items.length - this.cap;
    if (excess <= 0) return;
    for (const dropped of this.items.splice(0, excess)) if (dropped.kind === 'message') this.ids.delete(dropped.msg.id);
    this.hasMore = true;
  }
}

/** Consecutive messages of one author within this window share one header. */
export const GROUP_WINDOW_MS = 5 * 60_000;

/**
 * Whether entry `i` starts a new visual group (shows author and time) or continues the previous
 * one. Pending own messages group with the user's confirmed ones.
 */
export function startsGroup(entries: readonly TimelineEntry[], i: number, selfId: string | undefined): boolean {
  const cur = entries[i];
  const prev = entries[i - 1];
  if (!cur || cur.kind === 'system') return true;
  if (!prev || prev.kind === 'system') return true;
  const author = (e: MessageEntry | PendingEntry) => (e.kind === 'message' ? e.msg.userId : selfId);
  const time = (e: MessageEntry | PendingEntry) => (e.kind === 'message' ? e.msg.ts : e.ts);
  return author(cur) !== author(prev) || time(cur) - time(prev) > GROUP_WINDOW_MS;
}

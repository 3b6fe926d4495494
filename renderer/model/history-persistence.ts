/**
 * Keeps the history cache in step with the conversations: fills the timelines from it at start,
 * then writes what changed, coalesced, while the chat goes on.
 *
 * It watches the client's `revision` (bumped on every change the UI shows) rather than hooking each
 * place that changes a timeline, and writes a conversation only when its signature (cursor, newest
 * seq, size) moved since it was last saved: a burst of messages becomes one write per conversation,
 * and nothing is written back at start for what was just read.
 */
import { dmParties } from '../../protocol/index';
import type { ClientState } from './client-state';
import type { Conversation } from './conversation';
import type { ConversationList } from './conversation-list';
import type { CachedConversation, HistoryCache } from './history-cache';

/** Quiet time before a write: the rest of a burst (a catch-up, a busy room) goes into the same one. */
const WRITE_DELAY_MS = 300;
/** A room that never goes quiet is still written this often. */
const MAX_WRITE_DELAY_MS = 2000;

export class HistoryPersistence {
  /** Each conversation's signature as last saved (or restored): what "changed" is measured against. */
  private readonly saved = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firstChangeAt: number | undefined;
  /** Cache operations run one after another, so a clear is never overtaken by an earlier write. */
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private restoring: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly cache: HistoryCache,
    private readonly state: ClientState,
    private readonly convs: ConversationList,
  ) {}

  /**
   * Fills the timelines from the cache (once) and starts watching for changes; resolves how many
   * conversations came from it. A restored timeline counts as loaded up to its cached cursor: the
   * next login asks only for what came after.
   */
  restore(): Promise<number> {
    this.restoring ??= this.cache.load().then((cached) => {
      if (this.stopped) return 0;
      let filled = 0;
      for (const c of cached) if (this.fill(c)) filled++;
      for (const conv of this.convs.all()) {
        const sig = signature(conv);
        if (this.saved.has(conv.id) && sig !== undefined) this.saved.set(conv.id, sig);
      }
      this.unsubscribe = this.state.revision.subscribe(() => this.schedule());
      if (filled > 0) this.state.bump();
      return filled;
    });
    return this.restoring;
  }

  /** Writes what is pending now (closing the session); resolves when it is written. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.firstChangeAt = undefined;
    if (this.stopped) return this.queue;
    for (const conv of this.convs.all()) {
      const sig = signature(conv);
      if (sig === undefined || this.saved.get(conv.id) === sig) continue;
      this.saved.set(conv.id, sig);
      const snapshot = this.snapshot(conv);
      this.enqueue(() => this.cache.save(snapshot));
    }
    // A conversation that is gone (a room left) leaves the cache too.
    for (const id of [...this.saved.keys()]) {
      if (this.convs.has(id)) continue;
      this.saved.delete(id);
      this.enqueue(() => this.cache.remove(id));
    }
    return this.queue;
  }

  /** Stops writing; pending changes are written first unless `discard`. */
  stop({ discard = false } = {}): Promise<void> {
    if (this.stopped) return this.queue;
    if (!discard) void this.flush();
    clearTimeout(this.timer);
    this.stopped = true;
    this.unsubscribe?.();
    this.enqueue(async () => this.cache.close?.());
    return this.queue;
  }

  /** Stops writing and forgets this server and identity's cache (sign-out). */
  clear(): Promise<void> {
    void this.stop({ discard: true });
    this.enqueue(() => this.cache.clear());
    this.enqueue(async () => this.cache.close?.());
    return this.queue;
  }

  /** Shows one cached conversation; false when it is left out. */
  private fill(c: CachedConversation): boolean {
    // Only ids the relay could have given: a tampered or stale record must not invent conversations.
    if ((c.kind === 'dm') !== (dmParties(c.id) !== null)) return false;
    // The list of joined rooms is kept elsewhere, and written at once on leaving: a room cached but
    // not in it was left before the cache caught up. Leave it out (the next write drops it), lest the
    // login rejoin it.
    if (c.kind === 'room' && !this.convs.has(c.id)) {
      this.saved.set(c.id, '');
      return false;
    }
    const conv = this.convs.ensure(c.id);
    if (c.kind === 'dm' && c.peerName !== undefined && conv.peerName === undefined) conv.peerName = c.peerName;
    conv.timeline.addAll(c.messages);
    conv.timeline.markSynced(c.syncedSeq);
    conv.timeline.hasMore = conv.timeline.hasMore || c.hasMore;
    conv.loaded = true;
    this.saved.set(c.id, '');
    return true;
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = Date.now();
    this.firstChangeAt ??= now;
    clearTimeout(this.timer);
    const wait = Math.min(WRITE_DELAY_MS, this.firstChangeAt + MAX_WRITE_DELAY_MS - now);
    this.timer = setTimeout(() => void this.flush(), Math.max(0, wait));
  }

  private snapshot(conv: Conversation): CachedConversation {
    const messages = [];
    for (const e of conv.timeline.entries()) if (e.kind === 'message' && e.msg.seq > 0) messages.push(e.msg);
    const held = messages.slice(-this.cache.limits.perConversation);
    const c: CachedConversation = {
      id: conv.id,
      kind: conv.kind,
      syncedSeq: conv.timeline.syncedSeq,
      hasMore: conv.timeline.hasMore || held.length < messages.length,
      messages: held,
    };
    if (conv.peerId !== undefined) c.peerId = conv.peerId;
    if (conv.peerName !== undefined) c.peerName = conv.peerName;
    return c;
  }

  private enqueue(op: () => Promise<void>): void {
    // The cache reports its own failures; one must not stop the operations after it.
    this.queue = this.queue.then(op).catch(() => undefined);
  }
}

/** What a cached copy would hold; undefined for a conversation with nothing stored to cache yet. */
function signature(conv: Conversation): string | undefined {
  const t = conv.timeline;
  if (t.lastSeq === 0) return undefined;
  return `${t.syncedSeq}:${t.lastSeq}:${t.messageCount}:${t.hasMore}:${conv.peerName ?? ''}`;
}

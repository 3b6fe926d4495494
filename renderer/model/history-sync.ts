/**
 * Keeping each conversation's timeline complete: applying the pages a login or join returns,
 * catching up after a reconnect or an outage, repairing holes left by out-of-order delivery, and
 * scrolling back.
 */
import type { HistoryPage, RoomState } from '../../protocol/index';
import { DEFAULT_ROOM, HISTORY_PAGE_MAX } from '../../protocol/index';
import type { ClientState } from './client-state';
import type { Conversation } from './conversation';
import type { ConversationList } from './conversation-list';
import type { RelayConnection } from './relay-connection';

/** How long a missing seq may take to arrive live before it is fetched. */
const HOLE_GRACE_MS = 1000;
/** Catch-up walks back at most this many history pages (of the relay's page size) per conversation. */
const MAX_CATCH_UP_PAGES = 50;
/** Scroll-back page size. */
const OLDER_PAGE = 100;
/** Messages loaded above a search hit, so it shows with what led to it. */
const CONTEXT = 20;
const LOST_NOTE = 'Some messages could not be recovered after the reconnect.';

export class HistorySync {
  /** Pending hole repairs, by conversation. */
  private readonly repairs = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly state: ClientState,
    private readonly convs: ConversationList,
    private readonly relay: RelayConnection,
  ) {}

  applyRoomState(conv: Conversation, room: RoomState, since?: number): void {
    conv.presence.applySnapshot(room.presence, true);
    if (conv.id === DEFAULT_ROOM) this.state.numUsers.value = room.presence.numUsers;
    this.applyPage(conv, room.history, since);
  }

  /**
   * Applies a page of the newest messages (after `since`, when given). A first load is complete up to
   * the room's newest seq (older ones are scroll-back). A catch-up page cut short by the page size
   * (`hasMore`) left out the middle of what was missed: that part is fetched before the cursor moves.
   */
  applyPage(conv: Conversation, page: HistoryPage, since?: number): void {
    if (page.unavailable) return; // loaded later, when the relay reports its store is back
    const firstLoad = !conv.loaded;
    conv.timeline.addAll(page.messages);
    if (firstLoad) conv.timeline.hasMore = page.hasMore;
    if (page.gap && !firstLoad) conv.timeline.addSystem(LOST_NOTE);
    conv.loaded = true;
    if (since !== undefined && page.hasMore) void this.syncForward(conv);
    else conv.timeline.markSynced(page.lastSeq);
  }

  /**
   * Fetches everything after the conversation's cursor: the newest page, then older pages down to the
   * cursor, so that nothing in between is skipped however much was missed. Returns false when the
   * relay could not answer (the cursor stays, and the next reconnect or repair tries again).
   */
  async syncForward(conv: Conversation): Promise<boolean> {
    const from = conv.timeline.syncedSeq;
    const firstLoad = !conv.loaded;
    // Not shown yet: the newest page (with its older history). Shown: only what came after the cursor.
    const first = await this.relay.request('history:fetch', firstLoad || from === 0 ? { room: conv.id } : { room: conv.id, afterSeq: from });
    if (!first.ok || first.unavailable) return false;
    conv.timeline.addAll(first.messages);
    if (firstLoad) conv.timeline.hasMore = first.hasMore;
    conv.loaded = true;
    let page: HistoryPage = first;
    let pages = 1;
    const short = (p: HistoryPage) => from > 0 && p.hasMore && p.messages.length > 0 && p.messages[0]!.seq > from + 1;
    while (short(page) && pages < MAX_CATCH_UP_PAGES) {
      const next = await this.relay.request('history:fetch', { room: conv.id, afterSeq: from, beforeSeq: page.messages[0]!.seq });
      if (!next.ok || next.unavailable) return false;
      conv.timeline.addAll(next.messages);
      page = next;
      pages++;
    }
    if (!firstLoad && (first.gap || short(page))) conv.timeline.addSystem(LOST_NOTE);
    conv.timeline.markSynced(first.lastSeq);
    this.state.bump();
    return true;
  }

  /**
   * A stored message is missing below one that arrived (instances deliver out of order, and a
   * broadcast can be lost while an instance's link to Redis blinks). Give it a moment to arrive live,
   * then fetch from the cursor.
   */
  scheduleRepair(conv: Conversation): void {
    if (this.repairs.has(conv.id)) return;
    const timer = setTimeout(() => {
      void (async () => {
        try {
          if (conv.timeline.hasHole && this.state.status.value === 'online') await this.syncForward(conv);
        } finally {
          this.repairs.delete(conv.id);
        }
        if (conv.timeline.hasHole) this.scheduleRepair(conv);
      })();
    }, HOLE_GRACE_MS);
    this.repairs.set(conv.id, timer);
  }

  /** Everything after each conversation's cursor (after the relay's store came back). */
  async catchUp(): Promise<void> {
    for (const conv of this.convs.all()) await this.syncForward(conv);
    this.state.bump();
  }

  async loadLatest(conv: Conversation): Promise<void> {
    await this.syncForward(conv);
    this.state.bump();
  }

  /**
   * One page of older messages, or with `downTo` as many as it takes to hold that seq (bounded by
   * what the relay retains: it says `hasMore: false` at its oldest).
   */
  async loadOlder(conv: Conversation, downTo?: number): Promise<void> {
    for (;;) {
      const before = conv.timeline.oldestSeq();
      if (before === undefined || (downTo !== undefined && before <= downTo)) return;
      const limit = downTo === undefined ? OLDER_PAGE : Math.min(HISTORY_PAGE_MAX, Math.max(OLDER_PAGE, before - downTo + CONTEXT));
      const res = await this.relay.request('history:fetch', { room: conv.id, beforeSeq: before, limit });
      if (!res.ok) return;
      conv.timeline.addAll(res.messages);
      conv.timeline.hasMore = res.hasMore;
      this.state.bump();
      // Stop when nothing older was taken in (the timeline is at its cap): asking again would not help.
      const now = conv.timeline.oldestSeq();
      if (downTo === undefined || !res.hasMore || now === undefined || now >= before) return;
    }
  }

  close(): void {
    for (const timer of this.repairs.values()) clearTimeout(timer);
    this.repairs.clear();
  }
}

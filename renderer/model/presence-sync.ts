/**
 * Who is in each conversation and who is typing there, from the relay's presence deltas and typing
 * notices; a snapshot is fetched when a missed delta left the list disagreeing with the relay's count.
 */
import { DEFAULT_ROOM, TYPING_TIMEOUT_MS, type PresenceDelta, type TypingNotice, type UserSummary } from '../../protocol/index';
import type { ClientState } from './client-state';
import type { Conversation } from './conversation';
import type { ConversationList } from './conversation-list';
import type { RelayConnection } from './relay-connection';

/** Joins or leaves in one delta beyond this many are summed up in one line ("5 people joined"). */
const NAMED_CHANGES_MAX = 3;
/** A re-render just after a typist's indicator expires, so it disappears even if no event arrives. */
const TYPING_EXPIRY_RENDER_MS = TYPING_TIMEOUT_MS + 100;

export class PresenceSync {
  private readonly resyncing = new Set<string>();

  constructor(
    private readonly state: ClientState,
    private readonly convs: ConversationList,
    private readonly relay: RelayConnection,
  ) {}

  onDelta(delta: PresenceDelta): void {
    const conv = this.convs.get(delta.room);
    if (!conv) return;
    const { joined, left } = conv.presence.applyDelta(delta);
    if (delta.room === DEFAULT_ROOM) this.state.numUsers.value = delta.numUsers;
    const me = this.state.me.value?.userId;
    const others = (list: UserSummary[]) => list.filter((u) => u.id !== me);
    const j = others(joined);
    const l = others(left);
    if (j.length > NAMED_CHANGES_MAX) conv.timeline.addSystem(`${j.length} people joined`);
    else for (const u of j) conv.timeline.addSystem('joined', Date.now(), u.username);
    if (l.length > NAMED_CHANGES_MAX) conv.timeline.addSystem(`${l.length} people left`);
    else for (const u of l) conv.timeline.addSystem('left', Date.now(), u.username);
    for (const u of left) conv.typing.stop(u.id);
    if (conv.presence.outOfSync) void this.resync(conv);
    this.state.bump();
  }

  onTyping(notice: TypingNotice): void {
    const conv = notice.room ? this.convs.get(notice.room) : undefined;
    if (!conv || !notice.userId || notice.userId === this.state.me.value?.userId) return;
    conv.typing.start(notice.userId, notice.username);
    this.state.bump();
    setTimeout(() => this.state.bump(), TYPING_EXPIRY_RENDER_MS);
  }

  onStopTyping(notice: TypingNotice): void {
    const conv = notice.room ? this.convs.get(notice.room) : undefined;
    if (conv && notice.userId && conv.typing.stop(notice.userId)) this.state.bump();
  }

  /** Disconnected: typists' stop notices cannot reach us, so none is shown any more. */
  clearTypists(): void {
    for (const c of this.convs.all()) c.typing.clear();
  }

  /** Our participant list disagrees with the relay's count (a delta was missed): fetch a snapshot. */
  private async resync(conv: Conversation): Promise<void> {
    if (this.resyncing.has(conv.id)) return;
    this.resyncing.add(conv.id);
    try {
      const res = await this.relay.request('users:list', { room: conv.id });
      if (res.ok) conv.presence.applySnapshot(res);
      this.state.bump();
    } finally {
      this.resyncing.delete(conv.id);
    }
  }
}

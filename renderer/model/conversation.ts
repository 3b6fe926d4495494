/** One conversation the user takes part in: a public room or a DM, with its timeline, presence and typists. */
import { RoomPresence } from './presence';
import { Timeline } from './timeline';
import { TypingTracker } from './typing';

export type ConversationKind = 'room' | 'dm';

export class Conversation {
  readonly timeline = new Timeline();
  readonly presence = new RoomPresence();
  readonly typing = new TypingTracker();
  /** History has been loaded at least once (DMs opened from the participant list start empty). */
  loaded = false;

  constructor(
    /** Room name or DM conversation id: what the relay calls `room`. */
    readonly id: string,
    readonly kind: ConversationKind,
    /** For DMs: the other user's id. */
    readonly peerId?: string,
    /** For DMs: the other user's name as last seen. */
    public peerName?: string,
  ) {}

  get title(): string {
    return this.kind === 'room' ? `#${this.id}` : (this.peerName ?? 'Direct message');
  }
}

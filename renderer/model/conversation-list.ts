/** The conversations the user is in, in display order, and the joined rooms kept across restarts. */
import { DEFAULT_ROOM, dmParties, type ChatMessage } from '../../protocol/index';
import type { ClientState } from './client-state';
import { Conversation } from './conversation';
import type { KeyValueStore } from './storage';

export class ConversationList {
  private readonly convs = new Map<string, Conversation>();

  constructor(
    private readonly state: ClientState,
    private readonly storage: KeyValueStore,
    private readonly storageKey: string,
  ) {
    this.ensure(DEFAULT_ROOM);
    for (const room of this.storage.get<string[]>(`${this.storageKey}:rooms`) ?? []) this.ensure(room);
  }

  get(id: string): Conversation | undefined {
    return this.convs.get(id);
  }

  has(id: string): boolean {
    return this.convs.has(id);
  }

  all(): Conversation[] {
    return [...this.convs.values()];
  }

  /** Rooms first (lobby leading), then DMs. */
  ordered(): Conversation[] {
    const all = this.all();
    const rooms = all.filter((c) => c.kind === 'room').sort((a, b) => (a.id === DEFAULT_ROOM ? -1 : b.id === DEFAULT_ROOM ? 1 : a.id.localeCompare(b.id)));
    const dms = all.filter((c) => c.kind === 'dm').sort((a, b) => a.title.localeCompare(b.title));
    return [...rooms, ...dms];
  }

  /** Joined public rooms besides the lobby (what a login asks to rejoin). */
  extraRooms(): string[] {
    return this.all().filter((c) => c.kind === 'room' && c.id !== DEFAULT_ROOM).map((c) => c.id);
  }

  /** The conversation `id`, created on first sight. A DM's peer is named from the message that opened it, or from the lobby's presence. */
  ensure(id: string, hint?: ChatMessage): Conversation {
    let conv = this.convs.get(id);
    if (conv) return conv;
    const parties = dmParties(id);
    if (parties) {
      const me = this.state.me.value?.userId;
      const peer = parties[0] === me ? parties[1] : parties[0];
      const name = hint && hint.userId === peer ? hint.username : this.convs.get(DEFAULT_ROOM)?.presence.get(peer)?.username;
      conv = new Conversation(id, 'dm', peer, name);
    } else {
      conv = new Conversation(id, 'room');
    }
    this.convs.set(id, conv);
    return conv;
  }

  remove(id: string): void {
    this.convs.delete(id);
  }

  saveRooms(): void {
    this.storage.set(`${this.storageKey}:rooms`, this.extraRooms());
  }
}

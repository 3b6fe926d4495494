/**
 * The conversation last open on one server under one identity, kept in the client's storage beside
 * its joined rooms and outbox, so the next visit to that server opens it again. Per server because a
 * room name means a different room on each server, and per identity because a DM belongs to one user.
 *
 * What to show is decided twice: from the history cache before any connection (the conversation is
 * shown if the cache held it), and at the first login, from what the relay answered (it is kept, or
 * opened, only if the login put the user back in it; otherwise the lobby).
 */
import { DEFAULT_ROOM, isRoomAddress } from '../../protocol/index';
import type { KeyValueStore } from './storage';

export class LastConversation {
  private readonly key: string;
  /** The first login has been seen: from then on only the user moves between conversations. */
  private settled = false;

  constructor(
    private readonly storage: KeyValueStore,
    storageKey: string,
  ) {
    this.key = `${storageKey}:active`;
  }

  /** The saved conversation id, if a well-formed one was saved (storage is the user's to edit). */
  saved(): string | undefined {
    const id = this.storage.get<unknown>(this.key);
    return typeof id === 'string' && isRoomAddress(id) ? id : undefined;
  }

  save(id: string): void {
    if (id === DEFAULT_ROOM) this.storage.remove(this.key);
    else this.storage.set(this.key, id);
  }

  /**
   * Where to be after the first login, or undefined to stay. `active` is what is showing now; `rejoined`
   * holds the conversations the login answer put the user back in (rooms, and DMs with history).
   * Something other than the lobby or the saved conversation showing means a link or the user chose
   * it meanwhile, and that choice stands.
   */
  afterLogin(active: string, rejoined: ReadonlySet<string>): string | undefined {
    if (this.settled) return undefined;
    this.settled = true;
    const saved = this.saved();
    if (saved === undefined) return undefined;
    if (active === DEFAULT_ROOM) return rejoined.has(saved) ? saved : undefined;
    // Shown from the cache before connecting, but the relay no longer has the user in it.
    if (active === saved && !rejoined.has(saved)) return DEFAULT_ROOM;
    return undefined;
  }
}

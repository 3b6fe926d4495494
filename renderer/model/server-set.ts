/**
 * The servers open side by side (a LAN session and any number of cloud relays), as Mattermost's
 * server list or Slack's workspace rail: one ChatClient each, all connected at once, each with its own
 * identity key, nickname, rooms, outbox, history cache and unread counts (a ChatClient keeps all of
 * these per server and key). Switching only changes which one is shown: the others stay connected
 * and keep counting what arrives.
 *
 * DOM-free like ChatClient, so the multi-server behaviour is tested in Node against real relays.
 * What is remembered between runs (the saved list, nicknames) is the platform's business: the UI
 * layer (renderer/ui/workspace.tsx) reads and writes it through the callbacks here.
 */
import { signal } from '@preact/signals-core';
import type { ChatMessage } from '../../protocol/index';
import type { ChatClient } from './chat-client';
import type { Conversation } from './conversation';
import { Emitter } from './emitter';

export interface ServerEntry {
  /** The server's origin (scheme, host, port): one entry per server. */
  readonly id: string;
  readonly client: ChatClient;
  /** What the rail and notifications call it: the saved name, else host and port. */
  name: string;
  /** In the saved list (desktop settings): reopened at the next start. */
  saved: boolean;
  /** The LAN session this computer hosts. */
  hosted: boolean;
  /** Notifications for this server (the global switch is the platform's). */
  notifications: boolean;
}

export interface AddOptions {
  name?: string;
  saved?: boolean;
  hosted?: boolean;
  notifications?: boolean;
  /** Show it now (default): a server the user just joined comes to the front. */
  activate?: boolean;
}

export class ServerSet {
  private readonly entries: ServerEntry[] = [];
  private readonly unsubscribe = new Map<string, () => void>();
  private attended = true;
  /** False while the window shows Settings or "Add a server": no server's chat is on screen then. */
  private chatShown = true;
  /** Bumped on every change to the list or to which server is shown. */
  readonly revision = signal(0);
  /** The server shown, or null when none is open. */
  readonly active = signal<string | null>(null);
  /** A message from someone else on any server, with the server it came from. */
  readonly incoming = new Emitter<[entry: ServerEntry, conversation: Conversation, message: ChatMessage]>();

  list(): readonly ServerEntry[] {
    return this.entries;
  }

  get(id: string): ServerEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** The entry for a URL on any path of a server already open. */
  find(url: string): ServerEntry | undefined {
    const id = serverId(url);
    return id === null ? undefined : this.get(id);
  }

  current(): ServerEntry | undefined {
    const id = this.active.value;
    return id === null ? undefined : this.get(id);
  }

  /**
   * Opens `client`'s server in the set. A server already open is replaced (its old client closed):
   * two connections with one identity to one relay would only compete.
   */
  add(client: ChatClient, opts: AddOptions = {}): ServerEntry {
    const id = serverId(client.url) ?? client.url;
    const existing = this.get(id);
    if (existing) this.unsubscribe.get(id)?.();
    if (existing && existing.client !== client) existing.client.close();
    const entry: ServerEntry = {
      id,
      client,
      name: opts.name ?? existing?.name ?? defaultName(id),
      saved: opts.saved ?? existing?.saved ?? false,
      hosted: opts.hosted ?? existing?.hosted ?? false,
      notifications: opts.notifications ?? existing?.notifications ?? true,
    };
    if (existing) this.entries[this.entries.indexOf(existing)] = entry;
    else this.entries.push(entry);
    this.unsubscribe.set(id, client.incoming.subscribe((conv, msg) => this.incoming.emit(entry, conv, msg)));
    if (opts.activate !== false || this.active.value === null) this.show(id);
    else client.setViewing(false);
    this.changed();
    return entry;
  }

  /**
   * Closes a server's connection and takes it out of the set. With `signOut` its cached history goes
   * too (ChatClient.signOut). The next server in the list is shown if this one was.
   */
  async remove(id: string, { signOut = false }: { signOut?: boolean } = {}): Promise<void> {
    const entry = this.get(id);
    if (!entry) return;
    const at = this.entries.indexOf(entry);
    this.entries.splice(at, 1);
    this.unsubscribe.get(id)?.();
    this.unsubscribe.delete(id);
    if (this.active.value === id) {
      const next = this.entries[Math.min(at, this.entries.length - 1)];
      this.active.value = null;
      if (next) this.show(next.id);
    }
    this.changed();
    if (signOut) await entry.client.signOut();
    else entry.client.close();
  }

  /** Shows another server; every connection stays as it is. */
  show(id: string): void {
    const entry = this.get(id);
    if (!entry) return;
    this.active.value = id;
    this.applyViewing();
    this.changed();
  }

  /** Whether the user can see the window: the shown server's open conversation is then being read. */
  setAttended(attended: boolean): void {
    this.attended = attended;
    this.applyViewing();
  }

  /** Whether a server's chat is on screen at all (not Settings or "Add a server"). */
  setChatShown(shown: boolean): void {
    this.chatShown = shown;
    this.applyViewing();
  }

  /** Only the server on screen has a conversation in view; the others count what arrives. */
  private applyViewing(): void {
    const id = this.active.value;
    for (const e of this.entries) e.client.setViewing(e.id === id && this.attended && this.chatShown);
  }

  rename(id: string, name: string): void {
    const entry = this.get(id);
    if (!entry) return;
    entry.name = name;
    this.changed();
  }

  update(id: string, patch: Partial<Pick<ServerEntry, 'saved' | 'notifications' | 'hosted'>>): void {
    const entry = this.get(id);
    if (!entry) return;
    Object.assign(entry, patch);
    this.changed();
  }

  /** Moves a server `by` places up (negative) or down the list, within its ends. */
  move(id: string, by: number): void {
    const from = this.entries.findIndex((e) => e.id === id);
    if (from < 0) return;
    const to = Math.max(0, Math.min(this.entries.length - 1, from + by));
    if (to === from) return;
    const [entry] = this.entries.splice(from, 1);
    this.entries.splice(to, 0, entry!);
    this.changed();
  }

  /** Puts the servers in the order of `ids` (those not named keep their order, after them). */
  reorder(ids: readonly string[]): void {
    const rank = (e: ServerEntry) => {
      const i = ids.indexOf(e.id);
      return i < 0 ? ids.length : i;
    };
    // Array.prototype.sort is stable: equal ranks keep their order.
    this.entries.sort((a, b) => rank(a) - rank(b));
    this.changed();
  }

  /** Unread messages over every server: the window title, the tray and the dock badge. */
  totalUnread(): number {
    let n = 0;
    for (const e of this.entries) n += e.client.unread.total();
    return n;
  }

  /** Each server's client, for what applies to every connection (wake from sleep, network back). */
  clients(): ChatClient[] {
    return this.entries.map((e) => e.client);
  }

  private changed(): void {
    this.revision.value++;
  }
}

/** A server's identity in the set: the origin of its URL, or null for what is not an http(s) URL. */
export function serverId(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** "192.168.1.20:3000", "chat.example.com": the address without the scheme, until it has a name. */
export function defaultName(id: string): string {
  try {
    return new URL(id).host;
  } catch {
    return id;
  }
}

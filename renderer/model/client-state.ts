/** The chat session's observable state: the signals the UI renders from, shared by the model's parts. */
import { signal } from '@preact/signals-core';
import { DEFAULT_ROOM, type RoomInfo } from '../../protocol/index';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'closed';

export class ClientState {
  readonly status = signal<ConnectionStatus>('connecting');
  /** When the next reconnect attempt happens (ms since epoch), while reconnecting. */
  readonly retryAt = signal<number | null>(null);
  readonly me = signal<{ userId: string; username: string } | null>(null);
  readonly active = signal<string>(DEFAULT_ROOM);
  /** Bumped on every change to conversations, timelines, presence or typing: the UI re-renders on it. */
  readonly revision = signal(0);
  /** A short message for the user about something that went wrong in the chat (not the connection). */
  readonly notice = signal<string | null>(null);
  /** Public rooms on the relay (from room:list / room:created). */
  readonly directory = signal<RoomInfo[]>([]);
  /** The relay's lobby user count (everyone). */
  readonly numUsers = signal(0);
  /** 'degraded': the relay cannot reach its message store; messages reach people on the same server now and are saved later. */
  readonly serverStatus = signal<'ok' | 'degraded'>('ok');
  /** Set when the relay said it is shutting down (a LAN host quit, a deployment); cleared at the next login. */
  readonly serverClosed = signal(false);
  /** The session started from the history cache, the relay out of reach; cleared at the first login. */
  readonly fromCache = signal(false);

  bump(): void {
    this.revision.value++;
  }

  /** A room the relay announced (`room:created`), kept in name order, once. */
  addToDirectory(info: RoomInfo): void {
    if (this.directory.value.some((r) => r.room === info.room)) return;
    this.directory.value = [...this.directory.value, info].sort((a, b) => a.room.localeCompare(b.room));
  }
}

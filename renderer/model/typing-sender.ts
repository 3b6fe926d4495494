/** This user's typing indicator: sent when they start, refreshed while they type, withdrawn when they stop. */
import type { ClientState } from './client-state';
import type { RelayConnection } from './relay-connection';

/** Re-sent this often while typing goes on, well inside the relay's TYPING_TIMEOUT_MS. */
const TYPING_REFRESH_MS = 2500;
/** No keystroke for this long counts as stopped. */
const TYPING_IDLE_MS = 3000;

export class TypingSender {
  private room: string | null = null;
  private sentAt = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly state: ClientState,
    private readonly relay: RelayConnection,
  ) {}

  /** Called on every edit of the composer, for the active conversation. */
  composing(text: string): void {
    if (!this.relay.connected || !this.state.me.value) return;
    if (text.length === 0) return this.stop();
    const room = this.state.active.value;
    const now = Date.now();
    if (this.room !== room || now - this.sentAt > TYPING_REFRESH_MS) {
      if (this.room && this.room !== room) this.stop();
      this.relay.notify('typing', { room });
      this.room = room;
      this.sentAt = now;
    }
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  stop(): void {
    clearTimeout(this.idle);
    if (this.room) this.relay.notify('stop typing', { room: this.room });
    this.room = null;
  }

  close(): void {
    clearTimeout(this.idle);
  }
}

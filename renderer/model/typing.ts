/**
 * Who is typing in a room. Entries expire on their own, so a lost `stop typing` (the typist's
 * connection died) cannot leave "Ana is typing…" on screen forever.
 */
import { TYPING_TIMEOUT_MS } from '../../protocol/index';

export class TypingTracker {
  private readonly typists = new Map<string, { username: string; until: number }>();

  start(userId: string, username: string, now: number = Date.now()): void {
    this.typists.set(userId, { username, until: now + TYPING_TIMEOUT_MS });
  }

  stop(userId: string): boolean {
    return this.typists.delete(userId);
  }

  clear(): void {
    this.typists.clear();
  }

  /** Names of current typists, dropping expired ones. */
  names(now: number = Date.now()): string[] {
    const names: string[] = [];
    for (const [id, t] of this.typists) {
      if (t.until <= now) this.typists.delete(id);
      else names.push(t.username);
    }
    return names.sort((a, b) => a.localeCompare(b));
  }
}

/** "Ana is typing…", "Ana and Bo are typing…", "Ana, Bo and Cy are typing…", "Several people are typing…". */
export function typingLabel(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
  return 'Several people are typing…';
}

/** Unread counts per conversation, and the total shown in the title and the desktop badge. */
export class UnreadCounter {
  private readonly counts = new Map<string, number>();
  /** Conversations with more unread than counted (the relay's history no longer reaches the read position). */
  private readonly more = new Set<string>();

  /** The relay's count (login), or a recount after the read position moved. */
  set(room: string, count: number, more: boolean): void {
    if (count > 0) this.counts.set(room, count);
    else this.counts.delete(room);
    if (more && count > 0) this.more.add(room);
    else this.more.delete(room);
  }

  /** Whether `get(room)` is a lower bound ("99+"-style display). */
  isLowerBound(room: string): boolean {
    return this.more.has(room);
  }

  /** A message arrived in `room`; counts unless the user is looking at that room right now. */
  bump(room: string, viewing: boolean): void {
    if (viewing) return;
    this.counts.set(room, (this.counts.get(room) ?? 0) + 1);
  }

  clear(room: string): void {
    this.counts.delete(room);
    this.more.delete(room);
  }

  forget(room: string): void {
    this.clear(room);
  }

  get(room: string): number {
    return this.counts.get(room) ?? 0;
  }

  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }
}

/** "(3) Parley" / "Parley": the document title with the unread total. */
export function titleWithUnread(base: string, total: number): string {
  if (total <= 0) return base;
  return `(${total > 99 ? '99+' : total}) ${base}`;
}

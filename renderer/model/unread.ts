/** Unread counts per conversation, and the total shown in the title and the desktop badge. */
export class UnreadCounter {
  private readonly counts = new Map<string, number>();

  /** A message arrived in `room`; counts unless the user is looking at that room right now. */
  bump(room: string, viewing: boolean): void {
    if (viewing) return;
    this.counts.set(room, (this.counts.get(room) ?? 0) + 1);
  }

  clear(room: string): void {
    this.counts.delete(room);
  }

  forget(room: string): void {
    this.counts.delete(room);
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

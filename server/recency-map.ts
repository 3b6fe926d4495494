/**
 * A map bounded to `max` entries that drops the least recently set one: the relay's memory of recent
 * message ids and idempotency keys.
 *
 * Why not a plain Map evicting `map.keys().next()`: V8 leaves a hole for each deleted entry until the
 * table is rebuilt, and the iterator walks over every hole from the front, so with thousands of
 * entries each eviction scanned thousands of holes (about 6 µs an eviction at 10,000 entries against
 * 0.3 µs this way; measured in bench/README.md, "Durable history"). Here the order lives in an array
 * of (key, stamp) pairs read from a moving head; a pair whose key was set again since carries an old
 * stamp and is skipped. The array is compacted once it holds more stale pairs than live ones, so
 * every operation is O(1) amortised and memory stays within a small multiple of `max`.
 */
export class RecencyMap<K, V> {
  private readonly entries = new Map<K, { value: V; stamp: number }>();
  private order: { key: K; stamp: number }[] = [];
  private head = 0;
  private stamps = 0;

  /** `onEvict` hears of each entry dropped for room (not of deletes). */
  constructor(
    private readonly max: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Sets `key` as the most recent entry, evicting the least recent one beyond `max`. */
  set(key: K, value: V): this {
    const stamp = ++this.stamps;
    this.entries.set(key, { value, stamp });
    this.order.push({ key, stamp });
    while (this.entries.size > this.max) this.evictOldest();
    // Stale and consumed pairs together outnumber the live ones: at least `size` sets since the last
    // compaction paid for this one.
    if (this.order.length > 2 * this.entries.size + 64) this.compact();
    return this;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Keys from least to most recently set. */
  *keys(): IterableIterator<K> {
    for (let i = this.head; i < this.order.length; i++) {
      const { key, stamp } = this.order[i]!;
      if (this.entries.get(key)?.stamp === stamp) yield key;
    }
  }

  private evictOldest(): void {
    while (this.head < this.order.length) {
      const { key, stamp } = this.order[this.head++]!;
      const entry = this.entries.get(key);
      if (entry?.stamp === stamp) {
        this.entries.delete(key);
        this.onEvict?.(key, entry.value);
        return;
      }
    }
  }

  /** Keeps only the pairs that still name their key's latest set, in order. */
  private compact(): void {
    const live: { key: K; stamp: number }[] = [];
    for (let i = this.head; i < this.order.length; i++) {
      const pair = this.order[i]!;
      if (this.entries.get(pair.key)?.stamp === pair.stamp) live.push(pair);
    }
    this.order = live;
    this.head = 0;
  }
}

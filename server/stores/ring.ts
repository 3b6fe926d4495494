/** Fixed-capacity FIFO: push overwrites the oldest item once full. O(1) push and index. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const cap = this.items.length;
    if (this.count < cap) {
      this.items[(this.start + this.count) % cap] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % cap;
    }
  }

  /** Item `i` counted from the oldest (0). */
  at(i: number): T {
    return this.items[(this.start + i) % this.items.length] as T;
  }
}

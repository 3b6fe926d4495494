/** A list of subscribers: the UI subscribes to model events and unsubscribes on unmount, instead of swapping a callback slot. */
export class Emitter<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (...args: Args) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(...args: Args): void {
    // A copy: a listener that unsubscribes (or subscribes another) while running does not disturb this round.
    for (const listener of [...this.listeners]) listener(...args);
  }
}

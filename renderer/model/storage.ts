/** Small persistent key-value storage: localStorage in the browser, a Map in tests. Values are JSON. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const raw = this.map.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  set(key: string, value: unknown): void {
    this.map.set(key, JSON.stringify(value));
  }
  remove(key: string): void {
    this.map.delete(key);
  }
}

/** The part of the Web Storage API used here (localStorage). */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Wraps Web Storage; a full or disabled storage (private mode, quota) degrades to memory, never throws. */
export class WebStore implements KeyValueStore {
  private readonly fallback = new MemoryStore();
  constructor(private readonly storage: WebStorageLike | undefined) {}
  get<T>(key: string): T | undefined {
    // A value that could not be written to storage (quota) is newer than whatever storage still has.
    const fallback = this.fallback.get<T>(key);
    if (fallback !== undefined || !this.storage) return fallback;
    try {
      const raw = this.storage.getItem(key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch {
      return undefined;
    }
  }
  set(key: string, value: unknown): void {
    if (!this.storage) return this.fallback.set(key, value);
    try {
      this.storage.setItem(key, JSON.stringify(value));
      this.fallback.remove(key);
    } catch {
      this.fallback.set(key, value);
    }
  }
  remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      /* nothing to remove */
    }
    this.fallback.remove(key);
  }
}

import { describe, expect, it } from 'vitest';
import { RecencyMap } from '../../server/recency-map';

/** The obvious model: an array in recency order, O(n) per operation. */
class ModelMap {
  readonly items: [string, number][] = [];
  readonly evicted: string[] = [];
  constructor(private readonly max: number) {}
  set(key: string, value: number): void {
    const i = this.items.findIndex(([k]) => k === key);
    if (i >= 0) this.items.splice(i, 1);
    this.items.push([key, value]);
    while (this.items.length > this.max) this.evicted.push(this.items.shift()![0]);
  }
  delete(key: string): void {
    const i = this.items.findIndex(([k]) => k === key);
    if (i >= 0) this.items.splice(i, 1);
  }
}

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('RecencyMap', () => {
  it('evicts the least recently set key, and a key set again becomes the newest', () => {
    const evicted: string[] = [];
    const map = new RecencyMap<string, number>(3, (key) => evicted.push(key));
    map.set('a', 1).set('b', 2).set('c', 3);
    map.set('a', 4); // a is now the newest
    map.set('d', 5);
    expect(evicted).toEqual(['b']);
    expect([...map.keys()]).toEqual(['c', 'a', 'd']);
    expect(map.get('a')).toBe(4);
    expect(map.has('b')).toBe(false);
  });

  it('does not report deleted keys as evicted, and frees their place', () => {
    const evicted: string[] = [];
    const map = new RecencyMap<string, number>(2, (key) => evicted.push(key));
    map.set('a', 1).set('b', 2);
    expect(map.delete('a')).toBe(true);
    map.set('c', 3);
    expect(evicted).toEqual([]);
    expect([...map.keys()]).toEqual(['b', 'c']);
  });

  it('agrees with a plain model over many random sets and deletes', () => {
    for (const seed of [1, 2, 3]) {
      const random = lcg(seed);
      const max = 1 + Math.floor(random() * 20);
      const model = new ModelMap(max);
      const evicted: string[] = [];
      const map = new RecencyMap<string, number>(max, (key) => evicted.push(key));
      for (let i = 0; i < 5000; i++) {
        const key = `k${Math.floor(random() * 40)}`;
        if (random() < 0.2) {
          model.delete(key);
          map.delete(key);
        } else {
          model.set(key, i);
          map.set(key, i);
        }
      }
      expect(evicted).toEqual(model.evicted);
      expect([...map.keys()]).toEqual(model.items.map(([k]) => k));
      for (const [k, v] of model.items) expect(map.get(k)).toBe(v);
      expect(map.size).toBe(model.items.length);
    }
  });

  it('keeps its bookkeeping bounded when the same few keys are set over and over', () => {
    const map = new RecencyMap<string, number>(1000);
    for (let i = 0; i < 200_000; i++) map.set(`k${i % 3}`, i);
    // The order array is internal; its bound is the point of the class, so it is checked here.
    const order = (map as unknown as { order: unknown[] }).order;
    expect(map.size).toBe(3);
    expect(order.length).toBeLessThanOrEqual(2 * 3 + 64 + 1);
  });
});

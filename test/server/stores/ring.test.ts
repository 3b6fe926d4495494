/** Ring: the fixed-size FIFO that bounds in-memory history. */
import { describe, expect, it } from 'vitest';
import { Ring } from '../../../server/stores/ring';

function contents<T>(ring: Ring<T>): T[] {
  return Array.from({ length: ring.size }, (_, i) => ring.at(i));
}

describe('Ring', () => {
  it('starts empty', () => {
    const ring = new Ring<number>(3);
    expect(ring.size).toBe(0);
    expect(ring.capacity).toBe(3);
  });

  it('keeps items in insertion order while below capacity', () => {
    const ring = new Ring<string>(3);
    ring.push('a');
    ring.push('b');
    expect(ring.size).toBe(2);
    expect(contents(ring)).toEqual(['a', 'b']);
  });

  it('fills up to capacity exactly', () => {
    const ring = new Ring<number>(3);
    for (const n of [1, 2, 3]) ring.push(n);
    expect(ring.size).toBe(3);
    expect(contents(ring)).toEqual([1, 2, 3]);
  });

  it('overwrites the oldest item once full, and index 0 stays the oldest', () => {
    const ring = new Ring<number>(3);
    for (const n of [1, 2, 3, 4]) ring.push(n);
    expect(ring.size).toBe(3);
    expect(contents(ring)).toEqual([2, 3, 4]);
    expect(ring.at(0)).toBe(2);
  });

  it('stays correct after wrapping around many times', () => {
    const ring = new Ring<number>(4);
    for (let n = 1; n <= 1003; n++) ring.push(n);
    expect(ring.size).toBe(4);
    expect(contents(ring)).toEqual([1000, 1001, 1002, 1003]);
  });

  it('with capacity 1 keeps only the newest item', () => {
    const ring = new Ring<string>(1);
    ring.push('a');
    ring.push('b');
    expect(ring.size).toBe(1);
    expect(ring.at(0)).toBe('b');
  });

  it('stores objects by reference, not by copy', () => {
    const ring = new Ring<{ n: number }>(2);
    const item = { n: 1 };
    ring.push(item);
    expect(ring.at(0)).toBe(item);
  });
});

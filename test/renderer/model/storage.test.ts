import { describe, expect, it } from 'vitest';
import { MemoryStore, WebStore, type WebStorageLike } from '../../../renderer/model/storage';

/** A localStorage stand-in; each operation can be made to throw (quota, private mode). */
class FakeWebStorage implements WebStorageLike {
  readonly data = new Map<string, string>();
  failGet = false;
  failSet = false;
  failRemove = false;
  getItem(key: string): string | null {
    if (this.failGet) throw new Error('SecurityError');
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failSet) throw new Error('QuotaExceededError');
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    if (this.failRemove) throw new Error('SecurityError');
    this.data.delete(key);
  }
}

describe('MemoryStore', () => {
  it('round-trips JSON values and returns undefined for missing keys', () => {
    const s = new MemoryStore();
    const value = { rooms: ['lobby', 'dev'], n: 3, nested: { ok: true }, none: null };
    s.set('k', value);
    expect(s.get('k')).toEqual(value);
    s.set('n', 0);
    expect(s.get('n')).toBe(0);
    s.set('s', '');
    expect(s.get('s')).toBe('');
    expect(s.get('missing')).toBeUndefined();
  });

  it('stores a copy, like real storage: later mutations and non-JSON parts do not survive', () => {
    const s = new MemoryStore();
    const value = { list: [1], at: new Date(0), fn: () => 1 };
    s.set('k', value);
    value.list.push(2);
    expect(s.get('k')).toEqual({ list: [1], at: '1970-01-01T00:00:00.000Z' });
    expect(s.get('k')).not.toBe(s.get('k'));
  });

  it('removes keys', () => {
    const s = new MemoryStore();
    s.set('k', 1);
    s.remove('k');
    expect(s.get('k')).toBeUndefined();
  });
});

describe('WebStore', () => {
  it('writes JSON into the web storage and reads it back', () => {
    const web = new FakeWebStorage();
    const s = new WebStore(web);
    s.set('k', { a: [1, 2] });
    expect(web.data.get('k')).toBe('{"a":[1,2]}');
    expect(s.get('k')).toEqual({ a: [1, 2] });
    web.data.set('other', '"from another tab"');
    expect(s.get('other')).toBe('from another tab');
    s.remove('k');
    expect(web.data.has('k')).toBe(false);
    expect(s.get('k')).toBeUndefined();
  });

  it('falls back to memory when setItem throws (quota), without throwing', () => {
    const web = new FakeWebStorage();
    web.failSet = true;
    const s = new WebStore(web);
    expect(() => s.set('k', { big: true })).not.toThrow();
    expect(web.data.has('k')).toBe(false);
    expect(s.get('k')).toEqual({ big: true });
    s.remove('k');
    expect(s.get('k')).toBeUndefined();
  });

  it('reads the newest value after a quota failure over an existing key', () => {
    const web = new FakeWebStorage();
    const s = new WebStore(web);
    s.set('outbox', ['a']);
    web.failSet = true; // the bigger value no longer fits; the browser keeps the old one
    s.set('outbox', ['a', 'b']);
    expect(s.get('outbox')).toEqual(['a', 'b']);
  });

  it('falls back to memory when getItem throws (storage disabled)', () => {
    const web = new FakeWebStorage();
    web.failGet = true;
    web.failSet = true;
    web.failRemove = true;
    const s = new WebStore(web);
    expect(s.get('k')).toBeUndefined();
    s.set('k', 42);
    expect(s.get('k')).toBe(42);
    expect(() => s.remove('k')).not.toThrow();
    expect(s.get('k')).toBeUndefined();
  });

  it('treats a corrupt stored value as missing instead of throwing', () => {
    const web = new FakeWebStorage();
    web.data.set('k', '{not json');
    expect(new WebStore(web).get('k')).toBeUndefined();
  });

  // session.ts passes undefined when localStorage is missing and relies on reading back the user key.
  it('works in memory when there is no web storage at all', () => {
    const s = new WebStore(undefined);
    expect(s.get('k')).toBeUndefined();
    s.set('k', 'v');
    expect(s.get('k')).toBe('v');
    s.remove('k');
    expect(s.get('k')).toBeUndefined();
  });
});

/** Quota accounting: declared lengths count at once, per user and in total; releases give them back. */
import { describe, expect, it } from 'vitest';
import { UploadQuota } from '../../../server/files/quota';

describe('UploadQuota', () => {
  it('refuses what would pass a user share or the total, and counts nothing it refused', () => {
    const q = new UploadQuota({ total: 100, perUser: 60 });
    expect(q.reserve('a1', 'ana', 50)).toBeUndefined();
    expect(q.reserve('a2', 'ana', 11)).toEqual({ scope: 'user', limit: 60, used: 50 });
    expect(q.remaining('ana')).toBe(10);
    expect(q.reserve('b1', 'bob', 51)).toEqual({ scope: 'relay', limit: 100, used: 50 });
    expect(q.reserve('b1', 'bob', 40)).toBeUndefined();
    expect(q.remaining('bob')).toBe(10);
    q.release('a1');
    q.release('a1');
    expect(q.remaining('ana')).toBe(60);
    expect(q.remaining('bob')).toBe(20);
  });

  it('counts what exists at start even over the limits, and a reservation once', () => {
    const q = new UploadQuota({ total: 10, perUser: 5 });
    q.count('x', 'ana', 50);
    expect(q.remaining('ana')).toBe(0);
    expect(q.remaining('bob')).toBe(0);
    q.release('x');
    expect(q.reserve('y', 'bob', 5)).toBeUndefined();
    expect(q.reserve('y', 'bob', 5)).toBeUndefined();
    expect(q.remaining('carl')).toBe(5);
  });
});

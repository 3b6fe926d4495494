import { describe, expect, it } from 'vitest';
import { Redelivery } from '../../../server/chat/redelivery';

describe('Redelivery', () => {
  it('repeats a recent message once, and never one this instance broadcast itself', () => {
    const now = 1_000_000;
    const r = new Redelivery(() => now);
    expect(r.claim('a', now - 1000)).toBe(true);
    expect(r.claim('a', now - 1000)).toBe(false);
    r.sent('b');
    expect(r.claim('b', now)).toBe(false);
  });

  it('does not repeat a message older than ten minutes', () => {
    const now = 10_000_000;
    const r = new Redelivery(() => now);
    expect(r.claim('old', now - 10 * 60_000 - 1)).toBe(false);
    expect(r.claim('fresh', now - 10 * 60_000 + 1000)).toBe(true);
  });

  it('remembers a bounded number of ids, forgetting the oldest first', () => {
    const now = 5_000_000;
    const r = new Redelivery(() => now, 3);
    for (const id of ['1', '2', '3', '4']) expect(r.claim(id, now)).toBe(true);
    expect(r.claim('4', now)).toBe(false);
    expect(r.claim('2', now)).toBe(false);
    expect(r.claim('1', now)).toBe(true); // forgotten: the memory stays at 3 entries
  });
});

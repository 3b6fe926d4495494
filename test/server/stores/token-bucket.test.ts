/** Token buckets: rate limits per socket and per user. Time is passed explicitly; nothing sleeps. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryRateLimiter, TokenBucket } from '../../../server/stores/token-bucket';

const T0 = 1_700_000_000_000;

describe('TokenBucket', () => {
  it('starts full: allows a burst of `capacity`, then refuses', () => {
    const bucket = new TokenBucket({ capacity: 3, perSecond: 1 }, T0);
    expect(bucket.take(1, T0)).toEqual({ ok: true });
    expect(bucket.take(1, T0)).toEqual({ ok: true });
    expect(bucket.take(1, T0)).toEqual({ ok: true });
    expect(bucket.take(1, T0)).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it('refills continuously at perSecond', () => {
    const bucket = new TokenBucket({ capacity: 2, perSecond: 4 }, T0);
    bucket.take(2, T0);
    expect(bucket.take(1, T0 + 200).ok).toBe(false); // 0.8 tokens
    expect(bucket.take(1, T0 + 250).ok).toBe(true); // 1.0 tokens
    expect(bucket.take(1, T0 + 250).ok).toBe(false);
  });

  it('says how long until a retry succeeds, and a retry then does succeed', () => {
    const bucket = new TokenBucket({ capacity: 1, perSecond: 2 }, T0);
    bucket.take(1, T0);
    const refused = bucket.take(1, T0 + 100); // 0.2 tokens, 0.8 missing at 2/s = 400 ms
    expect(refused).toEqual({ ok: false, retryAfterMs: 400 });
    if (refused.ok) return;
    expect(bucket.take(1, T0 + 100 + refused.retryAfterMs - 1).ok).toBe(false);
    expect(bucket.take(1, T0 + 100 + refused.retryAfterMs).ok).toBe(true);
  });

  it('rounds retryAfterMs up to whole milliseconds', () => {
    const bucket = new TokenBucket({ capacity: 1, perSecond: 3 }, T0);
    bucket.take(1, T0);
    expect(bucket.take(1, T0)).toEqual({ ok: false, retryAfterMs: 334 }); // 333.33…
  });

  it('a refused take consumes nothing', () => {
    const bucket = new TokenBucket({ capacity: 2, perSecond: 1 }, T0);
    bucket.take(2, T0);
    for (let i = 0; i < 10; i++) expect(bucket.take(1, T0 + 500).ok).toBe(false);
    expect(bucket.take(1, T0 + 1000).ok).toBe(true);
  });

  it('never holds more than capacity, however long it was idle', () => {
    const bucket = new TokenBucket({ capacity: 2, perSecond: 10 }, T0);
    const later = T0 + 3_600_000;
    expect(bucket.take(1, later).ok).toBe(true);
    expect(bucket.take(1, later).ok).toBe(true);
    expect(bucket.take(1, later).ok).toBe(false);
  });

  it('charges the given cost', () => {
    const bucket = new TokenBucket({ capacity: 5, perSecond: 1 }, T0);
    expect(bucket.take(3, T0).ok).toBe(true);
    expect(bucket.take(3, T0)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(bucket.take(2, T0).ok).toBe(true);
  });

  it('isFull reports when the bucket has refilled completely', () => {
    const bucket = new TokenBucket({ capacity: 2, perSecond: 1 }, T0);
    expect(bucket.isFull(T0)).toBe(true);
    bucket.take(1, T0);
    expect(bucket.isFull(T0)).toBe(false);
    expect(bucket.isFull(T0 + 999)).toBe(false);
    expect(bucket.isFull(T0 + 1000)).toBe(true);
  });
});

describe('MemoryRateLimiter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a separate bucket per key', () => {
    vi.useFakeTimers({ now: T0, toFake: ['Date'] });
    const limiter = new MemoryRateLimiter({ capacity: 2, perSecond: 1 });
    expect(limiter.take('ana').ok).toBe(true);
    expect(limiter.take('ana').ok).toBe(true);
    expect(limiter.take('ana')).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(limiter.take('bob').ok).toBe(true);
  });

  it('refills with the clock', () => {
    vi.useFakeTimers({ now: T0, toFake: ['Date'] });
    const limiter = new MemoryRateLimiter({ capacity: 1, perSecond: 2 });
    expect(limiter.take('ana').ok).toBe(true);
    expect(limiter.take('ana').ok).toBe(false);
    vi.setSystemTime(T0 + 500);
    expect(limiter.take('ana').ok).toBe(true);
  });

  it('sweeping idle buckets never forgets one that is still draining', () => {
    vi.useFakeTimers({ now: T0, toFake: ['Date'] });
    const limiter = new MemoryRateLimiter({ capacity: 2, perSecond: 1 });
    limiter.take('ana');
    limiter.take('ana');
    // Enough takes on other keys to trigger at least one sweep, with the clock standing still.
    for (let i = 0; i < 5000; i++) limiter.take(`user-${i}`);
    expect(limiter.take('ana').ok).toBe(false);
  });

  it('a swept key starts again with a full bucket', () => {
    vi.useFakeTimers({ now: T0, toFake: ['Date'] });
    const limiter = new MemoryRateLimiter({ capacity: 2, perSecond: 1 });
    limiter.take('ana');
    vi.setSystemTime(T0 + 10_000);
    for (let i = 0; i < 5000; i++) limiter.take(`user-${i}`);
    expect(limiter.take('ana').ok).toBe(true);
    expect(limiter.take('ana').ok).toBe(true);
    expect(limiter.take('ana').ok).toBe(false);
  });
});

describe('MemoryRateLimiter after the traffic stops', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives back the buckets of users who came and went, with no further takes, and then holds no timer', () => {
    vi.useFakeTimers({ now: T0, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const limiter = new MemoryRateLimiter({ capacity: 2, perSecond: 1 });
    // Fewer takes than the load-driven sweep needs: only the timer can give these back.
    for (let i = 0; i < 100; i++) limiter.take(`user-${i}`);
    limiter.take('ana');
    limiter.take('ana');
    expect(limiter.size).toBe(101);
    vi.advanceTimersByTime(60_000);
    // Every bucket refilled within the minute and was forgotten.
    expect(limiter.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps a bucket that is still draining when the timer sweeps', () => {
    vi.useFakeTimers({ now: T0, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const limiter = new MemoryRateLimiter({ capacity: 100, perSecond: 1 });
    for (let i = 0; i < 100; i++) limiter.take('ana');
    vi.advanceTimersByTime(60_000);
    expect(limiter.size).toBe(1);
    expect(limiter.take('ana').ok).toBe(true);
  });
});

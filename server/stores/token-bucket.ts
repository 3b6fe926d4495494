/**
 * Token buckets: `capacity` tokens, refilled continuously at `perSecond`. Used per socket (always
 * local) and per user (in memory here; in Redis when the relay is scaled out).
 */
import type { RateLimiter, RateResult } from './types';

export interface BucketSpec {
  capacity: number;
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private updated: number;

  constructor(private readonly spec: BucketSpec, now: number = Date.now()) {
    this.tokens = spec.capacity;
    this.updated = now;
  }

  take(cost = 1, now: number = Date.now()): RateResult {
    const { capacity, perSecond } = this.spec;
    this.tokens = Math.min(capacity, this.tokens + ((now - this.updated) / 1000) * perSecond);
    this.updated = now;
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return OK;
    }
    return { ok: false, retryAfterMs: Math.ceil(((cost - this.tokens) / perSecond) * 1000) };
  }

  /** True when the bucket has refilled completely and can be forgotten. */
  isFull(now: number = Date.now()): boolean {
    return this.tokens + ((now - this.updated) / 1000) * this.spec.perSecond >= this.spec.capacity;
  }
}

const OK: RateResult = { ok: true };

/** How often idle buckets are looked for while any exist. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Many keyed buckets; full ones are swept so idle keys cost nothing: every 4096 takes under load,
 * and on a timer while any bucket exists, so that the buckets of users who came and went are given
 * back when the traffic stops too (every new user has one).
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private takes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly spec: BucketSpec) {}

  take(key: string, cost = 1): RateResult {
    const now = Date.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.spec, now);
      this.buckets.set(key, bucket);
      this.timer ??= this.scheduleSweep();
    }
    if (++this.takes % 4096 === 0) this.sweep(now);
    return bucket.take(cost, now);
  }

  /** Buckets held (tests). */
  get size(): number {
    return this.buckets.size;
  }

  sweep(now: number = Date.now()): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }

  private scheduleSweep(): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.sweep();
      // Rescheduled only while there is something to sweep: an idle limiter holds no timer.
      this.timer = this.buckets.size > 0 ? this.scheduleSweep() : undefined;
    }, SWEEP_EVERY_MS);
    // Never what keeps a process alive.
    timer.unref?.();
    return timer;
  }
}

/** Per-user token buckets in Redis, so a user's limit holds across instances; local buckets while Redis is down. */
import type { Redis } from 'ioredis';
import { MemoryRateLimiter, type BucketSpec } from '../token-bucket';
import type { RateLimiter, RateResult } from '../types';
import type { ParleyCommands } from './commands';
import type { RedisConnections } from './connection';

export class RedisRateLimiter implements RateLimiter {
  private readonly fallback: MemoryRateLimiter;

  constructor(
    private readonly conns: RedisConnections,
    private readonly cmd: Redis & ParleyCommands,
    private readonly prefix: string,
    private readonly spec: BucketSpec,
  ) {
    this.fallback = new MemoryRateLimiter(spec);
  }

  async take(key: string, cost = 1): Promise<RateResult> {
    if (this.conns.state === 'up') {
      try {
        const [ok, wait] = (await this.cmd.parleyTakeToken(`${this.prefix}rl:${key}`, this.spec.capacity, this.spec.perSecond, cost)) as [number, number];
        return ok === 1 ? { ok: true } : { ok: false, retryAfterMs: Number(wait) };
      } catch {
        /* fall back below */
      }
    }
    return this.fallback.take(key, cost);
  }
}

/**
 * Stand-in backend for a relay whose shared backend configuration is unusable (e.g. REDIS_URL does
 * not parse): health says 'misconfigured' with the reason, so the relay stays up — no crash loop —
 * but refuses clients and fails readiness until the configuration is fixed and it is restarted.
 */
import { createMemoryStores } from './memory';
import type { BucketSpec } from './token-bucket';
import type { ChatStores } from './types';

export function misconfiguredStores(reason: string, opts: { historyLimit: number; lobby: string; userMessages: BucketSpec }): ChatStores {
  return {
    ...createMemoryStores(opts),
    health: () => 'misconfigured',
    describe: () => ({ backend: 'redis', redis: 'misconfigured', redisError: reason }),
  };
}

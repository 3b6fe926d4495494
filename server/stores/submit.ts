/** SubmitMessage for a bucket kept in this process: charge it, then append (or refuse). */
import type { HistoryStore, RateLimiter, SubmitMessage } from './types';

export function submitLocally(limiter: RateLimiter, history: HistoryStore): SubmitMessage {
  return (limitKey, draft, onDeferred) => {
    const limited = limiter.take(limitKey);
    return limited.ok ? history.append(draft, onDeferred) : Promise.resolve({ retryAfterMs: limited.retryAfterMs });
  };
}

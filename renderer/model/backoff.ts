/**
 * The reconnect policy of Parley's client: exponential from `base` to `max`, with ±`jitter` so a
 * restarted relay is not hit by everyone at once. The benchmark's Parley clients use the same
 * figures (through socket.io-client's equivalent options), so its reconnect storm measures what a
 * Parley user's client does.
 */
export const RECONNECT = { baseMs: 500, maxMs: 8000, jitter: 0.2 } as const;

export function reconnectDelay(attempt: number, base: number = RECONNECT.baseMs, max: number = RECONNECT.maxMs, random: () => number = Math.random): number {
  const raw = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(raw * (1 - RECONNECT.jitter + 2 * RECONNECT.jitter * random()));
}

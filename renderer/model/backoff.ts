/** Reconnect delays: exponential from `base` to `max`, with ±20 % jitter so a restarted relay is not hit by everyone at once. */
export function reconnectDelay(attempt: number, base = 500, max = 8000, random: () => number = Math.random): number {
  const raw = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

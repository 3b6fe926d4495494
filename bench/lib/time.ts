/**
 * Wall-clock time with sub-millisecond resolution. The sender, the receivers and the coordinator are
 * different processes on one machine: `performance.timeOrigin` anchors each process's monotonic clock to
 * the shared system clock, so a timestamp taken in one process can be compared with one from another.
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Integer microseconds since the epoch (below 2^53 until the year 2255), cheap to embed in a message. */
export function nowUs(): number {
  return Math.round(nowMs() * 1000);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects with a message naming `what` when `promise` takes longer than `ms`: every wait in the bench is bounded. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waiting for our own processes to go quiet between phases of a scenario. */
import { readProcStats } from './proc-stats';

/**
 * Waits until the given processes are (nearly) idle: after a login wave the classic protocols still
 * push O(N²) `user joined` frames for a while, and a measurement that starts before they drained
 * would charge that backlog to the next scenario. Bounded by `maxMs`; resolves with the time waited.
 */
export async function waitIdle(pids: number[], maxMs: number, windowMs = 250, idlePct = 10): Promise<number> {
  const start = Date.now();
  const cpuOf = (): number => pids.reduce((sum, pid) => sum + readProcStats(pid).cpuMs, 0);
  for (;;) {
    const before = cpuOf();
    await new Promise((r) => setTimeout(r, windowMs));
    const busyPct = ((cpuOf() - before) / windowMs) * 100;
    if (busyPct < idlePct || Date.now() - start >= maxMs) return Date.now() - start;
  }
}

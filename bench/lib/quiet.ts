/**
 * Waits (bounded) until other processes leave the machine mostly idle, so a scenario does not start
 * while, say, a compiler runs next to it. Off unless asked for (--quiet-wait): on a dedicated machine
 * it only costs time.
 */
import { ForeignCpuMonitor } from './machine-cpu';
import { sleep } from './time';

/** Others may use this much of one core and the machine still counts as quiet. */
export const QUIET_PCT = 25;
const PROBE_MS = 1000;

export async function waitForQuiet(maxMs: number, ours: () => number[]): Promise<{ waitedMs: number; foreignPct: number }> {
  const start = Date.now();
  for (;;) {
    const monitor = new ForeignCpuMonitor(ours);
    await sleep(PROBE_MS);
    const foreignPct = monitor.stop();
    const waitedMs = Date.now() - start;
    if (foreignPct < QUIET_PCT || waitedMs >= maxMs) return { waitedMs, foreignPct };
  }
}

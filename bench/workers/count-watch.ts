/**
 * Tracks the user count each client believes in and notes the moment every client of the worker
 * agrees with a target (the storms' "everyone sees the correct number of users").
 */
import { nowMs } from '../lib/time';

export class CountWatch {
  private counts: Int32Array;
  private target = -2;
  private atTarget = 0;
  private reachedAt: number | null = null;
  private waiters: (() => void)[] = [];

  constructor(private readonly total: number) {
    this.counts = new Int32Array(total).fill(-1);
  }

  /** Forget what clients believed and watch for `target` from now on. */
  arm(target: number): void {
    this.counts.fill(-1);
    this.target = target;
    this.atTarget = 0;
    this.reachedAt = null;
  }

  set(local: number, count: number): void {
    const before = this.counts[local];
    if (before === undefined || before === count) return;
    this.counts[local] = count;
    if (before === this.target) this.atTarget--;
    if (count === this.target) this.atTarget++;
    if (this.atTarget === this.total && this.reachedAt === null) {
      this.reachedAt = nowMs();
      for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Resolves when all clients reached the target, or after `timeoutMs`. */
  async wait(timeoutMs: number): Promise<{ reachedAt: number | null; atTarget: number; total: number }> {
    if (this.reachedAt === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return { reachedAt: this.reachedAt, atTarget: this.atTarget, total: this.total };
  }
}

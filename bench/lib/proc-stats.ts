/**
 * CPU time and resident memory of another process, read from /proc (Linux). The figures are the
 * server child's own, so they hold whatever the load generator does in its processes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcStats {
  /** utime + stime, in ms. */
  cpuMs: number;
  rssBytes: number;
}

let ticksPerSecond: number | undefined;

/** Kernel clock ticks per second, the unit of /proc CPU times. */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100; // the value on every mainstream Linux architecture
    }
  }
  return ticksPerSecond;
}

export function readProcStats(pid: number): ProcStats {
  // The command name (field 2) may contain spaces and parentheses: fields are counted after the last ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5) are utime and stime; after ')' the list starts at field 3.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return { cpuMs: (ticks * 1000) / clockTicks(), rssBytes: rssKiB * 1024 };
}

/** Samples a process periodically so a scenario can report its peak RSS, not just the final one. */
export class ProcMonitor {
  private timer: NodeJS.Timeout | undefined;
  private first: ProcStats;
  private last: ProcStats;
  private startedAt: number;
  peakRssBytes: number;

  constructor(private readonly pid: number, everyMs = 200) {
    this.first = readProcStats(pid);
    this.last = this.first;
    this.peakRssBytes = this.first.rssBytes;
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  private sample(): void {
    try {
      this.last = readProcStats(this.pid);
      this.peakRssBytes = Math.max(this.peakRssBytes, this.last.rssBytes);
    } catch {
      // The process exited (a restart scenario kills it): keep the last reading.
    }
  }

  /** Stops sampling; CPU is the delta since construction, as ms and as % of one core. */
  stop(): { cpuMs: number; cpuPct: number; wallMs: number; peakRssBytes: number; rssBytes: number } {
    clearInterval(this.timer);
    this.sample();
    const wallMs = Date.now() - this.startedAt;
    const cpuMs = this.last.cpuMs - this.first.cpuMs;
    return { cpuMs, cpuPct: wallMs > 0 ? (cpuMs / wallMs) * 100 : 0, wallMs, peakRssBytes: this.peakRssBytes, rssBytes: this.last.rssBytes };
  }
}

/** Median RSS over a few samples (taken after a forced GC, so a few close together suffice). */
export async function settledRss(pid: number, samples = 3, everyMs = 50): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    values.push(readProcStats(pid).rssBytes);
    if (i < samples - 1) await new Promise((r) => setTimeout(r, everyMs));
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

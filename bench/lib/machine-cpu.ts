/**
 * CPU used by other processes on the machine (not the bench's own: the coordinator, its workers and
 * servers, and their descendants). The bench shares the machine, and a compiler running next to it
 * skews every figure; this says how much.
 *
 * Summed from every user process's /proc/<pid>/stat, not from /proc/stat's machine totals: those also
 * hold the kernel's softirq time for moving the bench's own loopback packets, which would then look
 * like someone else's load. Kernel threads are left out for the same reason. A process that exits
 * between two readings still counts: once reaped, its time moves to its parent's cutime/cstime.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { clockTicks } from './proc-stats';

/** PF_KTHREAD in the `flags` field of stat(5). */
const KERNEL_THREAD = 0x00200000;

interface ProcEntry {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in ticks. */
  ticks: number;
  kernel: boolean;
}

function listProcesses(): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // After the last ')': field 3 (state) is index 0, so field n is index n − 3.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({
      pid: Number(name),
      ppid: Number(f[1]),
      ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
      kernel: (Number(f[6]) & KERNEL_THREAD) !== 0,
    });
  }
  return out;
}

/** CPU ms of every user process that is neither in `ours` nor descends from it. */
function othersCpuMs(ours: number[]): number {
  const all = listProcesses();
  const children = new Map<number, number[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const mine = new Set<number>();
  const stack = [...ours];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (mine.has(pid)) continue;
    mine.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  let ticks = 0;
  for (const p of all) if (!p.kernel && !mine.has(p.pid)) ticks += p.ticks;
  return (ticks * 1000) / clockTicks();
}

export class ForeignCpuMonitor {
  private readonly start: number;
  private readonly at0 = Date.now();

  constructor(private readonly ours: () => number[]) {
    this.start = othersCpuMs(this.allOurs());
  }

  private allOurs(): number[] {
    return [process.pid, ...this.ours()];
  }

  /** Others' CPU since construction, as % of one core (up to 100 × cores). */
  stop(): number {
    const wall = Date.now() - this.at0;
    if (wall <= 0) return 0;
    return Math.max(0, ((othersCpuMs(this.allOurs()) - this.start) / wall) * 100);
  }
}

/**
 * Relay memory during the soak: RSS (VmRSS) and /healthz connection counts sampled every second, and
 * the start/end figures the report gives (see the "memory" definition in run.ts).
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { LocalCluster } from '../../deploy/local/cluster';
import { WARMUP_S } from './options';
import { median } from './util';

interface RssSample {
  at: number;
  instance: string;
  pid: number;
  rss: number;
  /** Engine.IO connections the instance reported on /healthz at that moment. */
  connections: number;
}
const rss: RssSample[] = [];
function readRss(pid: number): number {
  try {
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function connectionsOf(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz', timeout: 800 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        try {
          resolve(Number((JSON.parse(body) as { connections?: number }).connections ?? Number.NaN));
        } catch {
          resolve(Number.NaN);
        }
      });
    });
    req.on('error', () => resolve(Number.NaN));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Samples every running relay instance once a second until the returned timer is cleared. */
export function startSampler(cluster: LocalCluster): NodeJS.Timeout {
  return setInterval(() => {
    for (const inst of cluster.instances) {
      const pid = inst.proc.pid;
      if (inst.proc.exitCode !== null || inst.proc.signalCode !== null || pid === undefined) continue;
      const at = Date.now();
      const value = readRss(pid);
      void connectionsOf(inst.port).then((connections) => rss.push({ at, instance: inst.name, pid, rss: value, connections }));
    }
  }, 1000);
}

export interface RunTimes {
  rampStart: number;
  chatStart: number;
  chatEnd: number;
  /** When r1 came back after being killed (faults only). */
  restartedAt: number | undefined;
}

// RSS depends on how many connections an instance holds, and a killed instance's clients move to
// the other one: so besides the raw growth, an estimate at equal load, with the per-connection cost
// measured on this run (idle relay → warmed up).
export function memoryFigures(cluster: LocalCluster, { rampStart, chatStart, chatEnd, restartedAt }: RunTimes) {
  return cluster.instances.map((inst) => {
    const samples = rss.filter((s) => s.instance === inst.name && s.pid === inst.proc.pid && Number.isFinite(s.rss));
    const restarted = inst.name === 'r1' && restartedAt !== undefined;
    const base = restarted ? restartedAt! : chatStart;
    const window = (from: number, to: number) => samples.filter((s) => s.at >= from && s.at < to);
    const idle = window(0, rampStart).filter((s) => s.connections === 0);
    const startWin = window(base + WARMUP_S * 1000, base + (WARMUP_S + 10) * 1000);
    const endWin = window(chatEnd - 10_000, chatEnd + 1);
    const start = median(startWin.map((s) => s.rss));
    const end = median(endWin.map((s) => s.rss));
    const connsStart = median(startWin.map((s) => s.connections));
    const connsEnd = median(endWin.map((s) => s.connections));
    const idleRss = median(idle.map((s) => s.rss));
    const perConn = !restarted && connsStart > 0 && Number.isFinite(idleRss) ? (start - idleRss) / connsStart : Number.NaN;
    const expectedEnd = start + perConn * (connsEnd - connsStart);
    const mib = (b: number) => +(b / 2 ** 20).toFixed(1);
    return {
      instance: inst.name,
      restarted,
      idleMiB: restarted ? null : mib(idleRss),
      start: { MiB: mib(start), connections: connsStart },
      end: { MiB: mib(end), connections: connsEnd },
      growthPct: +(((end - start) / start) * 100).toFixed(1),
      perConnectionKiB: Number.isFinite(perConn) ? +(perConn / 1024).toFixed(1) : null,
      growthAtEqualLoadPct: Number.isFinite(expectedEnd) ? +(((end - expectedEnd) / start) * 100).toFixed(1) : null,
    };
  });
}

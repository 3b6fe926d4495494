/**
 * Connection set-up rate and memory per idle connection, on one fresh server: RSS with no clients,
 * then N clients connect and log in with a bounded number of handshakes in flight (a busy but
 * orderly arrival, unlike the storm), then RSS again once they sit idle. (RSS₁ − RSS₀) / N is what
 * one more idle user costs the server. The live JS heap + external memory after a full GC is reported
 * too: RSS also keeps what the handshakes allocated and freed (V8 returns pages lazily), the heap
 * figure is what each connection really holds on to.
 */
import { ProcMonitor, settledRss } from '../lib/proc-stats';
import { ForeignCpuMonitor } from '../lib/machine-cpu';
import { waitIdle } from '../lib/idle';
import type { ServerName } from '../lib/servers';
import { sleep } from '../lib/time';
import { liteKind, MiB, requireAllConnected, withServer, type ScenarioContext } from './context';

export interface ConnectionFigures {
  setupPerSec: number;
  serverCpuMsPerConn: number;
  idleKiBPerConn: number;
  heapKiBPerConn: number;
  idleRssMiB: number;
  foreignCpuPct: number;
}

export async function runConnections(ctx: ScenarioContext, name: ServerName, cfg: { clients: number; concurrency: number; idleMs: number }): Promise<ConnectionFigures> {
  const { pool } = ctx;
  return withServer(ctx, name, async (server) => {
    await sleep(ctx.settleMs);
    const heapBefore = await server.gc();
    const rssBefore = await settledRss(server.pid);
    const slices = pool.slices(cfg.clients);
    const perWorker = Math.max(1, Math.round(cfg.concurrency / pool.size));
    const timeoutMs = 60_000 + cfg.clients * 50;
    const monitor = new ProcMonitor(server.pid);
    const foreign = new ForeignCpuMonitor(() => [server.pid, ...pool.pids]);
    const startedAt = Date.now();
    const connected = await pool.all(
      (i) => ({ type: 'connect', kind: liteKind(name), url: server.httpUrl, base: slices[i]!.base, count: slices[i]!.count, concurrency: perWorker, reconnect: false, timeoutMs }),
      timeoutMs + 5000,
    );
    requireAllConnected(connected, name);
    const doneAt = Math.max(...connected.map((c) => c.doneAt));
    const usage = monitor.stop();
    const foreignCpuPct = foreign.stop();
    // Idle: past the login bursts (Parley's presence flushes, the baselines' `user joined` frames),
    // before any heartbeat (25 s).
    await waitIdle([server.pid, ...pool.pids], 30_000, ctx.settleMs);
    await sleep(cfg.idleMs);
    const heapIdle = await server.gc();
    const rssIdle = await settledRss(server.pid);
    return {
      setupPerSec: (cfg.clients * 1000) / Math.max(1, doneAt - startedAt),
      serverCpuMsPerConn: usage.cpuMs / cfg.clients,
      idleKiBPerConn: (rssIdle - rssBefore) / 1024 / cfg.clients,
      heapKiBPerConn: (heapIdle.heapUsed + heapIdle.external - heapBefore.heapUsed - heapBefore.external) / 1024 / cfg.clients,
      idleRssMiB: rssIdle / MiB,
      foreignCpuPct,
    };
  });
}

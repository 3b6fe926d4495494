/**
 * Join storm and reconnect storm, with the real client library where the server speaks Socket.IO.
 *
 * Join storm: all N clients connect at once; done when every client believes N users are present
 * (classic and ws: the last `numUsers` of `login` / `user joined`; Parley: login snapshot plus the
 * `presence` deltas newer than it).
 * Reconnect storm: the same clients, after the server process is killed (a crash: no shutdown notice)
 * and restarted on the same port; the clients reconnect with their library's default backoff and log
 * in again; done when every client is back to N. The raw ws baselines have no client library and so
 * no standard reconnect behaviour; they take part in the join storm only.
 */
import type { ClientKind } from '../clients/types';
import { ProcMonitor } from '../lib/proc-stats';
import { ForeignCpuMonitor } from '../lib/machine-cpu';
import { waitIdle } from '../lib/idle';
import type { ServerName } from '../lib/servers';
import type { Series } from '../report/catalogue';
import { requireAllConnected, withServer, type ScenarioContext } from './context';

export const STORM_SERIES: Record<Series, { server: ServerName; kind: ClientKind; reconnect: boolean }> = {
  parley: { server: 'parley', kind: 'parley-io', reconnect: true },
  classic: { server: 'classic', kind: 'classic-io', reconnect: true },
  'classic-ws': { server: 'classic', kind: 'classic-io-ws', reconnect: true },
  ws: { server: 'ws', kind: 'ws-lite', reconnect: false },
  'ws-preframed': { server: 'ws-preframed', kind: 'ws-lite', reconnect: false },
};

export interface StormFigures {
  joinAllCorrectMs: number;
  joinP95LoggedInMs: number;
  joinAllLoggedInMs: number;
  joinServerCpuMs: number;
  foreignCpuPct: number;
  reconnectFromRestartMs?: number;
  reconnectFromKillMs?: number;
}

export async function runStorms(ctx: ScenarioContext, series: Series, cfg: { clients: number; timeoutMs: number }): Promise<StormFigures> {
  const { pool } = ctx;
  const spec = STORM_SERIES[series];
  const n = cfg.clients;
  return withServer(ctx, spec.server, async (first) => {
    let server = first;
    const slices = pool.slices(n);
    const monitor = new ProcMonitor(server.pid);
    const foreign = new ForeignCpuMonitor(() => [server.pid, ...pool.pids]);
    const startedAt = Date.now();
    const connected = await pool.all(
      (i) => ({
        type: 'connect',
        kind: spec.kind,
        url: server.httpUrl,
        base: slices[i]!.base,
        count: slices[i]!.count,
        // Everyone at once: that is the storm.
        concurrency: slices[i]!.count,
        reconnect: spec.reconnect,
        timeoutMs: cfg.timeoutMs,
        countTarget: n,
      }),
      cfg.timeoutMs + 5000,
    );
    requireAllConnected(connected, series);
    const joined = await pool.all(() => ({ type: 'await-count', timeoutMs: cfg.timeoutMs }), cfg.timeoutMs + 5000);
    const usage = monitor.stop();
    const foreignCpuPct = foreign.stop();
    const figures: StormFigures = {
      joinAllCorrectMs: settledAt(joined, n) - startedAt,
      // Every worker had ≥ 95 % of its clients logged in by then, so ≥ 95 % of all clients were.
      joinP95LoggedInMs: Math.max(...connected.map((c) => c.mostDoneAt)) - startedAt,
      joinAllLoggedInMs: Math.max(...connected.map((c) => c.doneAt)) - startedAt,
      joinServerCpuMs: usage.cpuMs,
      foreignCpuPct,
    };
    if (!spec.reconnect) return figures;

    // Quiet first, so nothing from the join storm is still in flight when the counts are reset.
    await waitIdle([server.pid, ...pool.pids], 30_000, ctx.settleMs);
    await pool.all(() => ({ type: 'arm-count', target: n }), 10_000);
    const killedAt = Date.now();
    await server.kill();
    server = await server.restart();
    // withServer stops what it started; the restarted process is ours to stop.
    try {
      const listeningAt = Date.now();
      const back = await pool.all(() => ({ type: 'await-count', timeoutMs: cfg.timeoutMs }), cfg.timeoutMs + 5000);
      const at = settledAt(back, n);
      figures.reconnectFromRestartMs = at - listeningAt;
      figures.reconnectFromKillMs = at - killedAt;
    } finally {
      await pool.all(() => ({ type: 'close' }), 30_000).catch(() => undefined);
      await server.stop();
    }
    return figures;
  });
}

/** When the last worker's clients all agreed on the target; throws when some never did. */
function settledAt(results: { reachedAt: number | null; atTarget: number; total: number }[], target: number): number {
  const stuck = results.filter((r) => r.reachedAt === null);
  if (stuck.length > 0) {
    const missing = stuck.reduce((k, r) => k + (r.total - r.atTarget), 0);
    throw new Error(`${missing} clients never saw ${target} users`);
  }
  return Math.max(...results.map((r) => r.reachedAt!));
}

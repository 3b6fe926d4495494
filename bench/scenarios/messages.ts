/**
 * The message scenarios: C clients log in, S of them send for T seconds (closed loop for the
 * saturation figure, fixed rate for the latency one), then the receivers drain. Every client receives
 * every message except its own, so the expected deliveries are accepted sends × (C − 1).
 */
import type { MessageScenario } from '../config/presets';
import { LatencyHistogram } from '../lib/histogram';
import { ProcMonitor } from '../lib/proc-stats';
import { ForeignCpuMonitor } from '../lib/machine-cpu';
import { waitIdle } from '../lib/idle';
import type { ServerName } from '../lib/servers';
import { sleep } from '../lib/time';
import type { SendPlan } from '../workers/protocol';
import { liteKind, MiB, requireAllConnected, withServer, type ScenarioContext } from './context';

export interface MessageFigures {
  deliveriesPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  lost: number;
  duplicates: number;
  expected: number;
  unique: number;
  accepted: number;
  rejected: number;
  unparsed: number;
  serverCpuPct: number;
  serverCpuUsPerDelivery: number;
  serverRssPeakMiB: number;
  loadgenCpuPct: number;
  foreignCpuPct: number;
}

/** Longest wait for the login traffic to drain before sending starts. */
const SETTLE_MAX_MS = 30_000;
/** Receivers get this long after the last send to catch up before the rest counts as lost. */
const DRAIN_MAX_MS = 15_000;
/** ...and the drain ends early once deliveries stop for this long. */
const DRAIN_IDLE_MS = 1500;

export async function runMessages(ctx: ScenarioContext, name: ServerName, cfg: MessageScenario): Promise<MessageFigures> {
  const { pool } = ctx;
  return withServer(ctx, name, async (server) => {
    const slices = pool.slices(cfg.clients);
    const connectTimeout = 60_000 + cfg.clients * 50;
    const connected = await pool.all(
      (i) => ({ type: 'connect', kind: liteKind(name), url: server.httpUrl, base: slices[i]!.base, count: slices[i]!.count, concurrency: 50, reconnect: false, timeoutMs: connectTimeout }),
      connectTimeout + 5000,
    );
    requireAllConnected(connected, name);
    // Let login side effects settle first (Parley's presence deltas; the baselines' O(N²) `user
    // joined` frames, which take seconds to drain at 1,000 clients): until server and clients idle.
    const waited = await waitIdle([server.pid, ...pool.pids], SETTLE_MAX_MS, ctx.settleMs);
    if (waited > 1000) ctx.log(`login traffic took ${(waited / 1000).toFixed(1)} s to drain`);
    await pool.all(() => ({ type: 'reset-stats', senders: cfg.senders }), 10_000);

    const plans = senderPlans(cfg, slices);
    const monitor = new ProcMonitor(server.pid);
    const foreign = new ForeignCpuMonitor(() => [server.pid, ...pool.pids]);
    // A common start a little ahead, so the send command reaches every worker before it.
    const startAt = Date.now() + 50;
    const sent = await pool.all((i) => ({ type: 'send', plan: { ...plans[i]!, startAt } }), cfg.durationMs + 60_000);
    const accepted = sent.reduce((n, s) => n + s.accepted, 0);
    const rejected = sent.reduce((n, s) => n + s.rejected + s.unacked, 0);
    const expected = accepted * (cfg.clients - 1);

    await drain(ctx, expected);
    const stats = await pool.all(() => ({ type: 'stats' }), 30_000);
    const usage = monitor.stop();
    const foreignCpuPct = foreign.stop();

    const histogram = new LatencyHistogram();
    for (const s of stats) histogram.add(s.histogram);
    const unique = stats.reduce((n, s) => n + s.unique, 0);
    const lastAt = Math.max(...stats.map((s) => s.lastAt));
    const seconds = (lastAt - startAt) / 1000;
    const loadgenCpuPct = (stats.reduce((n, s) => n + s.cpu.cpuMs / s.cpu.wallMs, 0) / stats.length) * 100;
    return {
      deliveriesPerSec: seconds > 0 ? unique / seconds : 0,
      p50Ms: histogram.percentileMs(50),
      p95Ms: histogram.percentileMs(95),
      p99Ms: histogram.percentileMs(99),
      maxMs: histogram.maxMs,
      lost: Math.max(0, expected - unique),
      duplicates: stats.reduce((n, s) => n + s.duplicates, 0),
      expected,
      unique,
      accepted,
      rejected,
      unparsed: stats.reduce((n, s) => n + s.unparsed, 0),
      serverCpuPct: usage.cpuPct,
      serverCpuUsPerDelivery: unique > 0 ? (usage.cpuMs * 1000) / unique : Number.NaN,
      serverRssPeakMiB: usage.peakRssBytes / MiB,
      loadgenCpuPct,
      foreignCpuPct,
    };
  });
}

/**
 * Senders are spread evenly over the client indexes (so over the workers); each worker's pacing
 * receiver is its first client that is not a sender.
 */
function senderPlans(cfg: MessageScenario, slices: { base: number; count: number }[]): Omit<SendPlan, 'startAt'>[] {
  const senderIndex = Array.from({ length: cfg.senders }, (_, s) => Math.floor(((s + 0.5) * cfg.clients) / cfg.senders));
  return slices.map(({ base, count }) => {
    const senders = senderIndex.map((global, sender) => ({ sender, local: global - base })).filter((s) => s.local >= 0 && s.local < count);
    const taken = new Set(senders.map((s) => s.local));
    let watcher = 0;
    while (taken.has(watcher)) watcher++;
    return { senders, ratePerSender: cfg.ratePerSender, totalSenders: cfg.senders, window: cfg.window, durationMs: cfg.durationMs, size: cfg.size, watcher };
  });
}

async function drain(ctx: ScenarioContext, expected: number): Promise<void> {
  const end = Date.now() + DRAIN_MAX_MS;
  let last = -1;
  let lastChange = Date.now();
  while (Date.now() < end) {
    const progress = await ctx.pool.all(() => ({ type: 'progress' }), 10_000);
    const seen = progress.reduce((n, p) => n + p.unique, 0);
    if (seen >= expected) return;
    if (seen !== last) {
      last = seen;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > DRAIN_IDLE_MS) {
      return;
    }
    await sleep(100);
  }
}

/**
 * The message scenarios: C clients log in, S of them send for T seconds (closed loop for the
 * saturation figure, fixed rate for the latency one), then the receivers drain. Every client receives
 * every message except its own, so the expected deliveries are accepted sends × (C − 1).
 *
 * The measurement itself (`measureMessages`) takes one or more server processes: the clients are
 * spread over them, and server CPU is the sum over all of them (the redis scenario runs the relay as
 * several instances sharing a redis-server, whose CPU is reported on its own).
 */
import type { ClientKind } from '../clients/types';
import type { MessageScenario } from '../config/presets';
import { LatencyHistogram } from '../lib/histogram';
import { ProcMonitor } from '../lib/proc-stats';
import { ForeignCpuMonitor } from '../lib/machine-cpu';
import { waitIdle } from '../lib/idle';
import type { ServerProcess } from '../lib/server-process';
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
  /** Server figures are sums over every server process of the measurement. */
  serverCpuPct: number;
  serverCpuUsPerDelivery: number;
  serverRssPeakMiB: number;
  /** CPU ms of each server process, in the order they were given. */
  serverCpuMsEach: number[];
  /** CPU ms of each helper process (see MessageTarget.helpers), same order. */
  helperCpuMsEach: number[];
  /** Wall time the CPU figures cover (from the start of sending to the end of the drain). */
  cpuWallMs: number;
  loadgenCpuPct: number;
  foreignCpuPct: number;
}

/** What a message measurement runs against. */
export interface MessageTarget {
  servers: ServerProcess[];
  kind: ClientKind;
  /** Processes the servers depend on (redis-server): included in the idle wait, CPU measured apart. */
  helpers: number[];
  /** Which server (index into `servers`) client `global` connects to; default: all to the first. */
  serverOf?: (global: number) => number;
}

/** Longest wait for the login traffic to drain before sending starts. */
const SETTLE_MAX_MS = 30_000;
/** Receivers get this long after the last send to catch up before the rest counts as lost. */
const DRAIN_MAX_MS = 15_000;
/** ...and the drain ends early once deliveries stop for this long. */
const DRAIN_IDLE_MS = 1500;

export async function runMessages(ctx: ScenarioContext, name: ServerName, cfg: MessageScenario): Promise<MessageFigures> {
  return withServer(ctx, name, (server) => measureMessages(ctx, { servers: [server], kind: liteKind(name), helpers: [] }, cfg));
}

/** One message measurement against already running servers; the caller stops them (and closes the clients). */
export async function measureMessages(ctx: ScenarioContext, target: MessageTarget, cfg: MessageScenario): Promise<MessageFigures> {
  const { pool } = ctx;
  const { servers, helpers } = target;
  const serverPids = servers.map((s) => s.pid);
  const ours = (): number[] => [...serverPids, ...helpers, ...pool.pids];
  const slices = pool.slices(cfg.clients);
  const connectTimeout = 60_000 + cfg.clients * 50;
  const urlsOf = (base: number, count: number): string[] | undefined =>
    target.serverOf && servers.length > 1 ? Array.from({ length: count }, (_, local) => servers[target.serverOf!(base + local)]!.httpUrl) : undefined;
  const connected = await pool.all((i) => {
    const { base, count } = slices[i]!;
    const urlPerClient = urlsOf(base, count);
    return { type: 'connect', kind: target.kind, url: servers[0]!.httpUrl, ...(urlPerClient ? { urlPerClient } : {}), base, count, concurrency: 50, reconnect: false, timeoutMs: connectTimeout };
  }, connectTimeout + 5000);
  requireAllConnected(connected, target.kind);
  // Let login side effects settle first (Parley's presence deltas; the baselines' O(N²) `user
  // joined` frames, which take seconds to drain at 1,000 clients): until servers and clients idle.
  const waited = await waitIdle(ours(), SETTLE_MAX_MS, ctx.settleMs);
  if (waited > 1000) ctx.log(`login traffic took ${(waited / 1000).toFixed(1)} s to drain`);
  await pool.all(() => ({ type: 'reset-stats', senders: cfg.senders }), 10_000);

  const plans = senderPlans(cfg, slices);
  const monitors = serverPids.map((pid) => new ProcMonitor(pid));
  const helperMonitors = helpers.map((pid) => new ProcMonitor(pid));
  const foreign = new ForeignCpuMonitor(ours);
  // A common start a little ahead, so the send command reaches every worker before it.
  const startAt = Date.now() + 50;
  const sent = await pool.all((i) => ({ type: 'send', plan: { ...plans[i]!, startAt } }), cfg.durationMs + 60_000);
  const accepted = sent.reduce((n, s) => n + s.accepted, 0);
  const rejected = sent.reduce((n, s) => n + s.rejected + s.unacked, 0);
  const expected = accepted * (cfg.clients - 1);

  await drain(ctx, expected);
  const stats = await pool.all(() => ({ type: 'stats' }), 30_000);
  const usages = monitors.map((m) => m.stop());
  const helperUsages = helperMonitors.map((m) => m.stop());
  const foreignCpuPct = foreign.stop();
  const serverCpuMs = usages.reduce((n, u) => n + u.cpuMs, 0);
  const cpuWallMs = Math.max(...usages.map((u) => u.wallMs));

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
    serverCpuPct: cpuWallMs > 0 ? (serverCpuMs / cpuWallMs) * 100 : 0,
    serverCpuUsPerDelivery: unique > 0 ? (serverCpuMs * 1000) / unique : Number.NaN,
    serverRssPeakMiB: usages.reduce((n, u) => n + u.peakRssBytes, 0) / MiB,
    serverCpuMsEach: usages.map((u) => u.cpuMs),
    helperCpuMsEach: helperUsages.map((u) => u.cpuMs),
    cpuWallMs,
    loadgenCpuPct,
    foreignCpuPct,
  };
}

/**
 * Senders are spread evenly over the client indexes (so over the workers); each worker's pacing
 * receiver is its first client that is not a sender.
 */
export function senderIndexes(cfg: Pick<MessageScenario, 'clients' | 'senders'>): number[] {
  return Array.from({ length: cfg.senders }, (_, s) => Math.floor(((s + 0.5) * cfg.clients) / cfg.senders));
}

function senderPlans(cfg: MessageScenario, slices: { base: number; count: number }[]): Omit<SendPlan, 'startAt'>[] {
  const senderIndex = senderIndexes(cfg);
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

/**
 * The redis scenario's own report: the relay in memory mode next to Redis mode with 1, 2, 3...
 * instances, one column each, and the ratios the issue asks for. Kept apart from the main table,
 * whose columns are servers and whose ratios are Parley ÷ baseline: here every column is Parley and
 * the ratios run the other way (Redis ÷ memory, n instances ÷ 1).
 */
import { cpus } from 'node:os';
import type { MessageScenario, RedisScenario } from '../config/presets';
import type { MessageFigures } from '../scenarios/messages';
import { formatGrid, formatValue } from './table';

/** Redis mode may cost at most this much relay CPU per delivery, relative to memory mode. */
export const REDIS_CPU_TARGET = 1.2;

export type RedisMethod = 'saturation' | 'latency';

/** One deployment: memory mode (1 process, no Redis) or n relay instances sharing one redis-server. */
export interface RedisDeployment {
  series: string;
  label: string;
  instances: number;
  redis: boolean;
}

export function redisDeployments(instances: readonly number[]): RedisDeployment[] {
  return [
    { series: 'memory', label: 'memory', instances: 1, redis: false },
    ...instances.map((n) => ({ series: `redis-${n}`, label: `redis×${n}`, instances: n, redis: true })),
  ];
}

export interface RedisMethodFigures {
  deliveriesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  lost: number;
  duplicates: number;
  /** utime + stime of every relay instance, summed, per unique delivery. */
  relayCpuUsPerDelivery: number;
  /** redis-server's CPU per unique delivery (null in memory mode). */
  redisCpuUsPerDelivery: number | null;
  /** Both of the above: what the deployment as a whole spends per delivery. */
  totalCpuUsPerDelivery: number;
  /** Every instance together, % of one core. */
  relayCpuPct: number;
  instanceCpuPct: number[];
  redisCpuPct: number | null;
  loadgenCpuPct: number;
  foreignCpuPct: number;
  relayRssPeakMiB: number;
}

export interface RedisSeriesResult extends RedisDeployment {
  saturation?: RedisMethodFigures;
  latency?: RedisMethodFigures;
}

export interface RedisRatios {
  /** The Redis deployment the ratios start from: the smallest instance count (normally 1). */
  base: string;
  /** Relay CPU per delivery at saturation, Redis (base) ÷ memory; the target is ≤ REDIS_CPU_TARGET. */
  relayCpuPerDeliveryVsMemory: number | null;
  target: number;
  withinTarget: boolean | null;
  /** The same with redis-server's CPU added on the Redis side. */
  totalCpuPerDeliveryVsMemory: number | null;
  /**
   * Relay CPU per delivery at the fixed rate, Redis (base) ÷ memory: both modes doing the same work
   * per second. At saturation each mode runs at its own throughput, and the faster one also writes
   * more messages per system call, so that ratio mixes Redis's cost with the batching it forgoes.
   */
  fixedRateCpuPerDeliveryVsMemory: number | null;
  fixedRateWithinTarget: boolean | null;
  /** p99 latency at the fixed rate, Redis (base) ÷ memory. */
  latencyP99VsMemory: number | null;
  /** Deliveries/s at saturation of every larger deployment ÷ the base one, by series. */
  deliveriesPerSecVsBase: Record<string, number | null>;
}

export interface RedisReport {
  instances: number[];
  saturation: MessageScenario;
  latency: MessageScenario;
  cpus: number;
  series: RedisSeriesResult[];
  ratios: RedisRatios;
  note: string;
}

export function toRedisFigures(f: MessageFigures, redis: boolean): RedisMethodFigures {
  const perDelivery = (ms: number): number => (f.unique > 0 ? (ms * 1000) / f.unique : Number.NaN);
  const pct = (ms: number): number => (f.cpuWallMs > 0 ? (ms / f.cpuWallMs) * 100 : 0);
  const redisMs = f.helperCpuMsEach.reduce((a, b) => a + b, 0);
  return {
    deliveriesPerSec: f.deliveriesPerSec,
    p50Ms: f.p50Ms,
    p99Ms: f.p99Ms,
    lost: f.lost,
    duplicates: f.duplicates,
    relayCpuUsPerDelivery: f.serverCpuUsPerDelivery,
    redisCpuUsPerDelivery: redis ? perDelivery(redisMs) : null,
    totalCpuUsPerDelivery: f.serverCpuUsPerDelivery + (redis ? perDelivery(redisMs) : 0),
    relayCpuPct: f.serverCpuPct,
    instanceCpuPct: f.serverCpuMsEach.map(pct),
    redisCpuPct: redis ? pct(redisMs) : null,
    loadgenCpuPct: f.loadgenCpuPct,
    foreignCpuPct: f.foreignCpuPct,
    relayRssPeakMiB: f.serverRssPeakMiB,
  };
}

/** Collects the figures as the measurements finish (a failed one leaves its cell empty). */
export class RedisResults {
  private readonly series: RedisSeriesResult[];

  constructor(private readonly cfg: RedisScenario) {
    this.series = redisDeployments(cfg.instances).map((d) => ({ ...d }));
  }

  record(series: string, method: RedisMethod, figures: MessageFigures): void {
    const row = this.series.find((s) => s.series === series);
    if (!row) throw new Error(`unknown redis series ${series}`);
    row[method] = toRedisFigures(figures, row.redis);
  }

  report(): RedisReport {
    const memory = this.series[0]!;
    const redisRows = this.series.slice(1);
    const base = redisRows[0]!;
    const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
      a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? null : a / b;
    const cpuRatio = ratio(base.saturation?.relayCpuUsPerDelivery, memory.saturation?.relayCpuUsPerDelivery);
    const fixedRatio = ratio(base.latency?.relayCpuUsPerDelivery, memory.latency?.relayCpuUsPerDelivery);
    const cores = cpus().length;
    return {
      instances: this.cfg.instances,
      saturation: this.cfg.saturation,
      latency: this.cfg.latency,
      cpus: cores,
      series: this.series,
      ratios: {
        base: base.series,
        relayCpuPerDeliveryVsMemory: cpuRatio,
        target: REDIS_CPU_TARGET,
        withinTarget: cpuRatio === null ? null : cpuRatio <= REDIS_CPU_TARGET,
        totalCpuPerDeliveryVsMemory: ratio(base.saturation?.totalCpuUsPerDelivery, memory.saturation?.totalCpuUsPerDelivery),
        fixedRateCpuPerDeliveryVsMemory: fixedRatio,
        fixedRateWithinTarget: fixedRatio === null ? null : fixedRatio <= REDIS_CPU_TARGET,
        latencyP99VsMemory: ratio(base.latency?.p99Ms, memory.latency?.p99Ms),
        deliveriesPerSecVsBase: Object.fromEntries(redisRows.slice(1).map((r) => [r.series, ratio(r.saturation?.deliveriesPerSec, base.saturation?.deliveriesPerSec)])),
      },
      note:
        `${cores} CPU core${cores === 1 ? '' : 's'} shared by every relay instance, redis-server and the load generator: ` +
        'adding instances on one machine cannot raise throughput (they compete for the same cores), so the ' +
        'n-instance ÷ 1-instance deliveries/s ratios show what cross-instance fan-out costs, not what more ' +
        'machines would gain. CPU per delivery is the meaningful figure.',
    };
  }
}

interface Row {
  label: string;
  unit: string;
  better?: 'higher' | 'lower';
  method: RedisMethod;
  value: (f: RedisMethodFigures) => number | null | string;
}

const ROWS: Row[] = [
  { method: 'saturation', label: 'fan-out: deliveries/s at saturation', unit: '/s', better: 'higher', value: (f) => f.deliveriesPerSec },
  { method: 'saturation', label: 'fan-out: relay CPU per delivery (all instances)', unit: 'µs', better: 'lower', value: (f) => f.relayCpuUsPerDelivery },
  { method: 'saturation', label: 'fan-out: redis-server CPU per delivery', unit: 'µs', value: (f) => f.redisCpuUsPerDelivery },
  { method: 'saturation', label: 'fan-out: relay + redis-server CPU per delivery', unit: 'µs', better: 'lower', value: (f) => f.totalCpuUsPerDelivery },
  { method: 'saturation', label: 'fan-out: relay CPU (all instances)', unit: '% core', value: (f) => f.relayCpuPct },
  { method: 'saturation', label: 'fan-out: relay CPU per instance', unit: '% core', value: (f) => f.instanceCpuPct.map((p) => p.toFixed(0)).join('/') },
  { method: 'saturation', label: 'fan-out: redis-server CPU', unit: '% core', value: (f) => f.redisCpuPct },
  { method: 'saturation', label: 'fan-out: load-generator CPU per worker', unit: '% core', value: (f) => f.loadgenCpuPct },
  { method: 'saturation', label: 'fan-out: p50 latency under saturation', unit: 'ms', better: 'lower', value: (f) => f.p50Ms },
  { method: 'saturation', label: 'fan-out: p99 latency under saturation', unit: 'ms', better: 'lower', value: (f) => f.p99Ms },
  { method: 'saturation', label: 'fan-out: lost', unit: 'msgs', better: 'lower', value: (f) => f.lost },
  { method: 'saturation', label: 'fan-out: duplicated', unit: 'msgs', better: 'lower', value: (f) => f.duplicates },
  { method: 'saturation', label: 'fan-out: CPU of other processes on the machine', unit: '% core', value: (f) => f.foreignCpuPct },
  { method: 'latency', label: 'latency: p50', unit: 'ms', better: 'lower', value: (f) => f.p50Ms },
  { method: 'latency', label: 'latency: p99', unit: 'ms', better: 'lower', value: (f) => f.p99Ms },
  { method: 'latency', label: 'latency: deliveries/s', unit: '/s', value: (f) => f.deliveriesPerSec },
  { method: 'latency', label: 'latency: relay CPU per delivery (all instances)', unit: 'µs', better: 'lower', value: (f) => f.relayCpuUsPerDelivery },
  { method: 'latency', label: 'latency: redis-server CPU per delivery', unit: 'µs', value: (f) => f.redisCpuUsPerDelivery },
  { method: 'latency', label: 'latency: relay + redis-server CPU per delivery', unit: 'µs', better: 'lower', value: (f) => f.totalCpuUsPerDelivery },
  { method: 'latency', label: 'latency: relay CPU (all instances)', unit: '% core', value: (f) => f.relayCpuPct },
  { method: 'latency', label: 'latency: redis-server CPU', unit: '% core', value: (f) => f.redisCpuPct },
  { method: 'latency', label: 'latency: lost', unit: 'msgs', better: 'lower', value: (f) => f.lost },
  { method: 'latency', label: 'latency: duplicated', unit: 'msgs', better: 'lower', value: (f) => f.duplicates },
  { method: 'latency', label: 'latency: CPU of other processes on the machine', unit: '% core', value: (f) => f.foreignCpuPct },
];

export function formatRedisReport(r: RedisReport): string {
  const s = r.saturation;
  const l = r.latency;
  const head = [
    'Parley relay, memory mode vs Redis mode (n instances sharing one redis-server, clients spread round-robin over the instances); ↑/↓: higher/lower is better',
    `  fan-out at saturation: ${s.clients} clients, ${s.senders} senders, window ${s.window}, ${s.durationMs / 1000} s; latency: ${l.clients} clients, ${l.senders} senders × ${l.ratePerSender} msg/s, ${l.durationMs / 1000} s`,
    '  relay CPU = utime + stime summed over every relay instance; redis-server CPU is shown on its own and added in "relay + redis-server".',
    '',
  ];
  const rows = ROWS.filter((row) => r.series.some((s) => s[row.method] !== undefined)).map((row) => [
    row.better ? `${row.label} (${row.better === 'higher' ? '↑' : '↓'})` : row.label,
    row.unit,
    ...r.series.map((s) => {
      const f = s[row.method];
      if (!f) return 'failed';
      const v = row.value(f);
      return typeof v === 'string' ? v : formatValue(v ?? undefined);
    }),
  ]);
  const grid = formatGrid(['figure', 'unit', ...r.series.map((s) => s.label)], rows);

  const x = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(2)}×`);
  const q = r.ratios;
  const base = r.series.find((d) => d.series === q.base)!;
  const baseName = `${base.instances} instance${base.instances === 1 ? '' : 's'}`;
  const verdict = (within: boolean | null): string => (within === null ? '' : `  (target ≤ ${q.target}×: ${within ? 'met' : 'NOT met'})`);
  const ratios: [string, string][] = [
    [`Redis ${baseName} CPU per delivery ÷ memory mode at saturation (relay only)`, `${x(q.relayCpuPerDeliveryVsMemory)}${verdict(q.withinTarget)}`],
    [`Redis ${baseName} CPU per delivery ÷ memory mode at saturation (relay + redis-server)`, x(q.totalCpuPerDeliveryVsMemory)],
    [`Redis ${baseName} CPU per delivery ÷ memory mode at the fixed rate (relay only)`, `${x(q.fixedRateCpuPerDeliveryVsMemory)}${verdict(q.fixedRateWithinTarget)}`],
    [`Redis ${baseName} p99 latency at the fixed rate ÷ memory mode`, x(q.latencyP99VsMemory)],
    ...Object.entries(q.deliveriesPerSecVsBase).map(([series, v]): [string, string] => {
      const n = r.series.find((d) => d.series === series)!.instances;
      return [`deliveries/s at saturation, ${n} instances ÷ ${baseName}`, x(v)];
    }),
  ];
  const width = Math.max(...ratios.map(([label]) => label.length));
  const ratioLines = ratios.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
  return [...head, grid, '', 'Ratios:', ...ratioLines, '', `Note: ${r.note}`].join('\n');
}

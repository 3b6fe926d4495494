/** Command-line flags of `npm run bench`, applied on top of a preset. */
import { parseArgs } from 'node:util';
import { isServerName, SERVER_NAMES, type ServerName } from '../lib/servers';
import { PRESETS, type Preset } from './presets';

export const SCENARIOS = ['saturation', 'latency', 'connections', 'storms', 'startup', 'redis'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
/**
 * What runs without --scenarios. `redis` is opt-in: it needs redis-server, takes 2–3 minutes at
 * full size, and would push the smoke run far past its 30 s budget.
 */
export const DEFAULT_SCENARIOS: readonly ScenarioName[] = SCENARIOS.filter((s) => s !== 'redis');

export interface BenchConfig {
  preset: Preset;
  servers: ServerName[];
  scenarios: ScenarioName[];
  jsonFile: string | undefined;
  /** Folder for V8 CPU profiles of the server children, when profiling. */
  cpuProfDir: string | undefined;
  /** Before each scenario, wait up to this long for other processes to go quiet (0: don't). */
  quietWaitMs: number;
}

export const USAGE = `Usage: npm run bench -- [options]

  --preset smoke|full    smoke: small, whole run < 30 s (default); full: the issue's targets
  -C, --clients N        clients in every scenario (fan-out, latency, connections, storms, redis)
  -S, --senders N        senders in the fan-out, latency and redis scenarios
  -R, --rate N           msg/s per sender in the latency measurements (0 = closed loop)
  -T, --duration S       seconds of sending in the fan-out, latency and redis scenarios
  --window N             undelivered messages per sender in closed-loop mode
  --rounds N             runs of the latency, fan-out, storm and redis measurements per server (median reported)
  --workers N            load-generator processes (default 2)
  --servers LIST         comma-separated subset of ${SERVER_NAMES.join(',')}
  --scenarios LIST       comma-separated subset of ${SCENARIOS.join(',')}
                         (default: all but redis, which needs redis-server and is opt-in)
  --redis-instances LIST relay instance counts for the redis scenario (default 1,2,3)
  --json FILE            write every figure and ratio as JSON
  --cpu-prof DIR         write a V8 CPU profile of every server process into DIR
  --quiet-wait S         before each scenario, wait up to S s for other processes to go idle, and
                         measure once more when they disturbed a measurement anyway
  -h, --help`;

export function parseBenchArgs(argv: string[]): BenchConfig | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      preset: { type: 'string', default: 'smoke' },
      clients: { type: 'string', short: 'C' },
      senders: { type: 'string', short: 'S' },
      rate: { type: 'string', short: 'R' },
      duration: { type: 'string', short: 'T' },
      window: { type: 'string' },
      rounds: { type: 'string' },
      workers: { type: 'string' },
      servers: { type: 'string' },
      scenarios: { type: 'string' },
      json: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'quiet-wait': { type: 'string' },
      'redis-instances': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const base = PRESETS[values.preset as Preset['name']];
  if (!base) throw new Error(`unknown preset "${values.preset}" (smoke or full)`);
  const preset: Preset = structuredClone(base);

  const int = (name: string, raw: string | undefined, min: number, max: number): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new RangeError(`--${name} must be ${min}–${max} (got ${raw})`);
    return n;
  };
  // Bounds keep every run finite and within what one machine's loopback can hold.
  const clients = int('clients', values.clients, 2, 10_000);
  const senders = int('senders', values.senders, 1, 1000);
  const rate = int('rate', values.rate, 0, 10_000);
  const seconds = int('duration', values.duration, 0.1, 300);
  const window = int('window', values.window, 1, 10_000);
  const workers = int('workers', values.workers, 1, 16);
  const rounds = int('rounds', values.rounds, 1, 20);
  if (rounds !== undefined) {
    if (!Number.isInteger(rounds)) throw new RangeError(`--rounds takes a whole number (got ${values.rounds})`);
    preset.rounds = { latency: rounds, saturation: rounds, storms: rounds };
    preset.redis.rounds = rounds;
  }
  const quietWait = int('quiet-wait', values['quiet-wait'], 0, 600) ?? 0;
  const messageScenarios = [preset.saturation, preset.latency, preset.redis.saturation, preset.redis.latency];
  for (const m of messageScenarios) {
    if (clients !== undefined) m.clients = clients;
    if (senders !== undefined) m.senders = senders;
    if (seconds !== undefined) m.durationMs = seconds * 1000;
    if (window !== undefined) m.window = window;
  }
  if (rate !== undefined) {
    preset.latency.ratePerSender = rate;
    preset.redis.latency.ratePerSender = rate;
  }
  if (values['redis-instances'] !== undefined) {
    const counts = values['redis-instances'].split(',').map((s) => {
      const n = int('redis-instances', s.trim(), 1, 8)!;
      if (!Number.isInteger(n)) throw new RangeError(`--redis-instances takes whole numbers (got ${s})`);
      return n;
    });
    // Sorted and unique: the scaling ratios divide by the smallest count.
    preset.redis.instances = [...new Set(counts)].sort((a, b) => a - b);
  }
  if (clients !== undefined) {
    preset.connections.clients = clients;
    preset.storm.clients = clients;
  }
  if (workers !== undefined) preset.workers = workers;
  for (const m of messageScenarios) {
    if (m.ratePerSender === 0 && m.window === 0) m.window = 20;
    // Every worker needs a receiver that is not a sender (it paces the closed loop).
    if (m.clients < m.senders + preset.workers) throw new RangeError(`need at least senders + workers clients (${m.senders + preset.workers}), got ${m.clients}`);
  }
  if (preset.workers > Math.min(preset.connections.clients, preset.storm.clients)) throw new RangeError('more workers than clients');

  return {
    preset,
    servers: list(values.servers, SERVER_NAMES, isServerName, 'server'),
    scenarios: list(values.scenarios, SCENARIOS, (s): s is ScenarioName => (SCENARIOS as readonly string[]).includes(s), 'scenario', DEFAULT_SCENARIOS),
    jsonFile: values.json,
    cpuProfDir: values['cpu-prof'],
    quietWaitMs: quietWait * 1000,
  };
}

function list<T extends string>(raw: string | undefined, all: readonly T[], valid: (s: string) => s is T, what: string, defaults: readonly T[] = all): T[] {
  if (raw === undefined) return [...defaults];
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!valid(item)) throw new Error(`unknown ${what} "${item}" (one of ${all.join(', ')})`);
  return items as T[];
}

/**
 * `npm run bench`: starts the load-generator workers, runs the suite against Parley's relay and the
 * baselines (each server in its own fresh child process), prints the table of figures with the
 * Parley/baseline ratios, and optionally writes them as JSON. Loopback only; every wait is bounded, the
 * whole run has a deadline, and every child process is killed on exit.
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseBenchArgs, USAGE } from './config/args';
import { killAll, runAndExit } from './lib/children';
import { WorkerPool } from './lib/worker-pool';
import { writeJson } from './report/json';
import { formatRedisReport } from './report/redis';
import { Results } from './report/results';
import { formatTable } from './report/table';
import { runSuite } from './suite';

const NOTES = [
  'Parley relay runs with raised rate limits (socket events and user messages effectively unlimited, flood disconnect off): a benchmark floods on purpose. Logging is off.',
  'All servers: Socket.IO default JSON parser (where Socket.IO is used), no per-message deflate, 127.0.0.1 only, one child process each, fresh per scenario.',
  'Message and connection scenarios use minimal clients on `ws` (Socket.IO framing by hand) to keep the load generator cheap; storms use socket.io-client: Parley on websocket, classic with default transports (polling, then upgrade) and classic-ws with websocket only.',
  'Fan-out at saturation is closed loop: each sender keeps `window` messages not yet delivered to a receiver in its worker, for every server alike.',
  'Latency = receive time − send time (wall clock shared by all processes), 1 % histogram buckets. Lost = accepted sends × (C − 1) − unique deliveries.',
];

async function main(): Promise<number> {
  const config = parseBenchArgs(process.argv.slice(2));
  if (config === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { preset } = config;
  const watchdog = setTimeout(() => {
    console.error(`bench: exceeded ${preset.maxRunMs / 1000} s, aborting`);
    killAll();
    process.exit(2);
  }, preset.maxRunMs);
  watchdog.unref();

  const startedAt = Date.now();
  console.error(`bench: preset ${preset.name}, ${preset.workers} load-generator workers, servers ${config.servers.join(', ')}`);
  for (const note of NOTES) console.error(`  note: ${note}`);
  const results = new Results();
  const pool = WorkerPool.start(preset.workers);
  const outcome = await runSuite(
    config,
    {
      pool,
      cpuProfDir: config.cpuProfDir ? resolve(config.cpuProfDir) : undefined,
      settleMs: preset.settleMs,
      log: (m) => console.error(`  ${m}`),
    },
    results,
  ).finally(() => pool.close());

  const figures = results.figures();
  // `--scenarios redis` alone fills no row of the main table: print only its own.
  if (Object.keys(figures).length > 0 || !outcome.redis) {
    console.log(`\nParley bench, preset ${preset.name} (${cpus().length} CPUs, node ${process.version}); ratios are Parley ÷ baseline; ↑/↓: higher/lower is better\n`);
    console.log(formatTable(figures));
  }
  if (outcome.redis) {
    console.log(`\nRedis multi-instance, preset ${preset.name} (${cpus().length} CPUs, node ${process.version})\n`);
    console.log(formatRedisReport(outcome.redis));
  }
  if (outcome.errors.length > 0) console.log(`\n${outcome.errors.length} scenario(s) failed:\n${outcome.errors.map((e) => `  - ${e}`).join('\n')}`);
  const [worstKey, worstPct] = Object.entries(outcome.interference).reduce<[string, number]>((w, e) => (e[1] > w[1] ? e : w), ['', 0]);
  if (worstPct > 25) console.log(`\nOther processes used up to ${worstPct.toFixed(0)} % of a core during a measurement (${worstKey}): the machine was shared, expect noise (see --quiet-wait).`);
  const durationS = (Date.now() - startedAt) / 1000;
  console.log(`\nRun time ${durationS.toFixed(1)} s. Parley's rate limits were raised for this run (benchmarks flood on purpose).`);

  if (config.jsonFile) console.error(`bench: wrote ${writeJson(config, NOTES, figures, outcome, durationS)}`);
  return outcome.errors.length > 0 ? 1 : 0;
}

runAndExit(main);

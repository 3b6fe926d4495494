/** The soak run's command line (see run.ts for what the run does): parsed and checked on import, --help exits. */
import { parseArgs } from 'node:util';

const HELP = `npm run soak -- [options]
  --duration <s>      seconds of chat (default 120)
  --clients <n>       clients online at once (default 300)
  --instances <n>     relay processes (default 2)
  --interval <s>      mean seconds between two messages of one client (default 10)
  --churn <fraction>  share of clients that keep leaving and rejoining as new users (default 0.2)
  --warmup <s>        seconds of chat before the memory baseline (default 15)
  --json <file>       also write the report as JSON (bench/results/ is git-ignored)
  --logs <dir>        write each relay instance's output to <dir>/<instance>.log at the end
  --no-faults         do not kill an instance nor Redis`;

export const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '120' },
    clients: { type: 'string', default: '300' },
    instances: { type: 'string', default: '2' },
    interval: { type: 'string', default: '10' },
    churn: { type: 'string', default: '0.2' },
    warmup: { type: 'string', default: '15' },
    json: { type: 'string' },
    logs: { type: 'string' },
    'no-faults': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}
export const DURATION_S = Number(flags.duration);
export const CLIENTS = Number(flags.clients);
export const INSTANCES = Number(flags.instances);
export const INTERVAL_S = Number(flags.interval);
export const CHURN = Number(flags.churn);
export const WARMUP_S = Number(flags.warmup);
export const FAULTS = !flags['no-faults'];
for (const [name, v] of Object.entries({ DURATION_S, CLIENTS, INSTANCES, INTERVAL_S, CHURN, WARMUP_S })) {
  if (!Number.isFinite(v) || v < 0) throw new Error(`bad value for ${name}`);
}
if (DURATION_S < WARMUP_S + 30) throw new Error('--duration must leave at least 30 s after the warm-up');

/**
 * What TLS costs a LAN session (issue 26): message latency and relay CPU per delivery with the relay
 * serving WSS (a self-signed ECDSA P-256 certificate, as a desktop host makes) against the same relay
 * serving plain WS, in the same run. The latency method of the main bench (bench/scenarios/messages.ts):
 * C clients (the minimal Socket.IO client on `ws`, in forked workers), S senders at R messages/s each
 * for T seconds, every client receiving every message. Rounds alternate which series goes first;
 * the figures are the medians. Goal: TLS ≤ 1.3× plain for p50/p99 latency and CPU per delivery.
 *
 *   npm run bench:tls
 *   npm run bench:tls -- --rounds 5 --clients 500 --senders 10 --rate 10 --seconds 10 --json bench/results/tls.json
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSelfSigned } from '../../server/tls/certificate';
import { runAndExit } from '../lib/children';
import { ServerProcess } from '../lib/server-process';
import { WorkerPool } from '../lib/worker-pool';
import { measureBare, type BareFigures } from './bare-sockets';
import { measureMessages, type MessageFigures } from '../scenarios/messages';
import { withServers, type ScenarioContext } from '../scenarios/context';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    clients: { type: 'string', default: '500' },
    senders: { type: 'string', default: '10' },
    rate: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
    workers: { type: 'string', default: '2' },
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
    // The relay alone on CPU 0, this coordinator and its workers (the clients) on the other CPUs:
    // on a LAN the clients' TLS runs on their own computers, not on the relay's.
    pin: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(flags.rounds);
const cfg = { clients: Number(flags.clients), senders: Number(flags.senders), ratePerSender: Number(flags.rate), window: 0, durationMs: Number(flags.seconds) * 1000, size: 64 };
const log = (m: string) => console.error(`[tls] ${m}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<number> {
  // The certificate the relay serves; the workers trust it through NODE_EXTRA_CA_CERTS, read when
  // they start, so it is set before they are forked (their `ws` then verifies it as any client would).
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-tls-'));
  const id = await createSelfSigned('Parley bench');
  writeFileSync(join(dir, 'cert.pem'), id.cert);
  writeFileSync(join(dir, 'key.pem'), id.key, { mode: 0o600 });
  process.env.NODE_EXTRA_CA_CERTS = join(dir, 'cert.pem');
  if (flags.pin) pinSelfAwayFromRelay();
  const pool = WorkerPool.start(Number(flags.workers));
  const ctx: ScenarioContext = { pool, cpuProfDir: flags['cpu-prof'], settleMs: 500, log };
  const runs: Record<'plain' | 'tls', MessageFigures[]> = { plain: [], tls: [] };
  const bare: Record<'plain' | 'tls', BareFigures[]> = { plain: [], tls: [] };
  // The same sockets, rate and about the size of a delivered message frame, without the relay.
  const bareCfg = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), sockets: cfg.clients, turnsPerSec: cfg.senders * cfg.ratePerSender, seconds: cfg.durationMs / 1000, size: 160 };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const order: ('plain' | 'tls')[] = round % 2 === 1 ? ['plain', 'tls'] : ['tls', 'plain'];
      for (const series of order) {
        const start = () => ServerProcess.start('parley', { cpuProfDir: ctx.cpuProfDir, label: `parley-${series}-${round}`, ...(flags.pin ? { cpus: '0' } : {}), ...(series === 'tls' ? { tls: true, args: ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')] } : {}) });
        const f = await withServers(ctx, [start], (servers) => measureMessages(ctx, { servers, kind: 'parley-lite', helpers: [] }, cfg));
        runs[series].push(f);
        const b = await measureBare(series, bareCfg);
        bare[series].push(b);
        log(`round ${round} ${series.padEnd(5)}: bare sockets ${b.cpuUsPerWrite.toFixed(2)} µs CPU/write`);
        log(`round ${round} ${series.padEnd(5)}: p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms, ${f.serverCpuUsPerDelivery.toFixed(2)} µs CPU/delivery, ${Math.round(f.deliveriesPerSec)} deliveries/s, lost ${f.lost}, duplicates ${f.duplicates}`);
      }
    }
  } finally {
    pool.close();
  }
  const m = (series: 'plain' | 'tls', key: 'p50Ms' | 'p99Ms' | 'serverCpuUsPerDelivery') => median(runs[series].map((f) => f[key]));
  const rows = (['p50Ms', 'p99Ms', 'serverCpuUsPerDelivery'] as const).map((key) => ({ key, plain: m('plain', key), tls: m('tls', key), ratio: m('tls', key) / m('plain', key) }));
  const lost = [...runs.plain, ...runs.tls].reduce((n, f) => n + f.lost + f.duplicates, 0);
  console.log(`\nTLS vs plain WebSocket, ${cfg.clients} clients, ${cfg.senders} senders × ${cfg.ratePerSender} msg/s, ${cfg.durationMs / 1000} s, median of ${ROUNDS} rounds (${cpus().length} CPUs${flags.pin ? ', relay alone on CPU 0' : ''}, node ${process.version})\n`);
  console.log('| | plain | TLS | TLS ÷ plain |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.key === 'serverCpuUsPerDelivery' ? 'relay CPU per delivery, µs' : `latency ${r.key.slice(0, 3)}, ms`} | ${r.plain.toFixed(2)} | ${r.tls.toFixed(2)} | ${r.ratio.toFixed(2)}× |`);
  const bareMedian = (series: 'plain' | 'tls') => median(bare[series].map((b) => b.cpuUsPerWrite));
  const floor = { plain: bareMedian('plain'), tls: bareMedian('tls') };
  console.log(`| bare Node sockets, CPU per write, µs | ${floor.plain.toFixed(2)} | ${floor.tls.toFixed(2)} | ${(floor.tls / floor.plain).toFixed(2)}× |`);
  const relayCpu = rows[2]!;
  console.log(`\nTLS adds ${(relayCpu.tls - relayCpu.plain).toFixed(2)} µs per delivery to the relay; Node's TLS write alone adds ${(floor.tls - floor.plain).toFixed(2)} µs,`);
  console.log(`so a relay paying only that would be at ${((relayCpu.plain + floor.tls - floor.plain) / relayCpu.plain).toFixed(2)}× plain.`);
  console.log(`\nLost or duplicated over all runs: ${lost}. Goal: TLS ≤ 1.3× plain.`);
  if (flags.json) writeFileSync(flags.json, JSON.stringify({ cfg, rounds: ROUNDS, runs, rows, bare }, null, 2));
  return 0;
}

/** Every thread of this process, and so every worker forked after this, onto CPUs 1…n-1. */
function pinSelfAwayFromRelay(): void {
  if (cpus().length < 2) throw new Error('--pin needs at least 2 CPUs');
  execFileSync('taskset', ['-a', '-cp', `1-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
  log(`relay pinned to CPU 0, clients to CPUs 1-${cpus().length - 1}`);
}

runAndExit(main);

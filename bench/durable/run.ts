/**
 * The durable store against memory mode, in one run (issue 20):
 *
 *   throughput  messages committed (acknowledged) per second by the relay, each client keeping
 *               `window` sends in flight, for memory mode and for DATA_DIR on this machine's disk
 *   ack         acknowledgement latency p50 / p99 under that load
 *   cpu         the relay process's CPU time per committed message (from /proc), and the ratio
 *   start-up    createRelay() until it listens, in this process, with an empty history in memory
 *               and with `--stored` messages on disk (the relay's own start-up); and `parley-server`
 *               (the built CLI) from spawn to its first /healthz answer, the same two ways (that
 *               adds Node's own start and module loading)
 *
 * All clients share the lobby, so each message is also delivered to the other clients: the CPU per
 * message is that of a chat message, delivery included. `--private` puts each client alone in a room
 * of its own instead: nothing is delivered, so the store's share of the CPU is as large as it gets.
 *
 * Goals: CPU per message ≤ 1.3× memory mode; ≥ 5,000 committed messages/s; start-up with 100,000
 * stored messages ≤ 300 ms. Both series run the same relay (bench/servers/parley.ts, rate limits
 * raised) with the same clients.
 *
 *   npm run bench:durable
 *   npm run bench:durable -- --private --cpu-prof /tmp/prof   (a V8 CPU profile of each relay, per mode)
 *   npm run bench:durable -- --seconds 10 --clients 20 --window 16 --stored 100000 --json bench/results/durable.json
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { io as connect, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../protocol/index';
import { createRelay } from '../../server/index';
import { createDurableStores } from '../../server/stores/durable/index';
import { killAll } from '../lib/children';
import { LatencyHistogram } from '../lib/histogram';
import { readProcStats } from '../lib/proc-stats';
import { ServerProcess } from '../lib/server-process';
import { freePort, waitForHttp } from '../../test/helpers/net';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '20' },
    window: { type: 'string', default: '16' },
    stored: { type: 'string', default: '100000' },
    private: { type: 'boolean', default: false },
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const SECONDS = Number(flags.seconds);
const CLIENTS = Number(flags.clients);
const WINDOW = Number(flags.window);
const STORED = Number(flags.stored);
const PRIVATE = flags.private;

const log = (msg: string) => console.log(`[durable] ${msg}`);
const key = () => Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url');

interface Series {
  mode: string;
  committedPerS: number;
  ackP50Ms: number;
  ackP99Ms: number;
  cpuUsPerMessage: number;
  refused: number;
}

/** `CLIENTS` Parley clients each keep WINDOW sends in flight for SECONDS; counts acknowledged ones. */
async function load(server: ServerProcess, mode: string): Promise<Series> {
  const sockets: Socket[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const s = connect(server.httpUrl, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: key() } });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    const login = (await s.timeout(10_000).emitWithAck('add user', { username: `bench${i}` })) as { ok: boolean };
    if (!login.ok) throw new Error('login refused');
    if (PRIVATE) {
      const joined = (await s.timeout(10_000).emitWithAck('room:join', { room: `bench-${i}`, create: true })) as { ok: boolean };
      if (!joined.ok) throw new Error('room:join refused');
    }
    sockets.push(s);
  }
  const hist = new LatencyHistogram();
  let acked = 0;
  let refused = 0;
  let running = true;
  const cpu0 = readProcStats(server.pid).cpuMs;
  const t0 = performance.now();
  const lane = async (s: Socket, lane: number) => {
    let n = 0;
    while (running) {
      const sent = performance.now();
      const room = PRIVATE ? `bench-${Math.floor(lane / WINDOW)}` : 'lobby';
      const res = (await s.timeout(30_000).emitWithAck('new message', { text: `message ${n} of lane ${lane}`, room, clientId: `l${lane}-${n++}-${s.id}`.slice(0, 64) })) as { ok: boolean };
      if (!running) break;
      if (res.ok) {
        acked++;
        hist.record((performance.now() - sent) * 1000);
      } else refused++;
    }
  };
  const lanes = sockets.flatMap((s, i) => Array.from({ length: WINDOW }, (_, w) => lane(s, i * WINDOW + w)));
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  running = false;
  const elapsedS = (performance.now() - t0) / 1000;
  const cpuMs = readProcStats(server.pid).cpuMs - cpu0;
  const counted = acked;
  await Promise.allSettled(lanes);
  for (const s of sockets) s.disconnect();
  return {
    mode,
    committedPerS: Math.round(counted / elapsedS),
    ackP50Ms: +hist.percentileMs(50).toFixed(2),
    ackP99Ms: +hist.percentileMs(99).toFixed(2),
    cpuUsPerMessage: +((cpuMs * 1000) / counted).toFixed(1),
    refused,
  };
}

/** createRelay() until it listens, in this process, median of `runs` (the first, which loads modules, is left out). */
async function relayStartup(dataDir: string, runs = 6): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const relay = await createRelay({ port: 0, host: '127.0.0.1', dataDir });
    times.push(performance.now() - t0);
    await relay.close();
  }
  times.shift();
  times.sort((a, b) => a - b);
  return +times[Math.floor(times.length / 2)]!.toFixed(1);
}

/** Spawn to first /healthz answer of the built CLI, median of `runs`. */
async function startup(env: Record<string, string>, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const t0 = performance.now();
    const child = spawn(process.execPath, ['dist/server/cli.js'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env }, stdio: 'ignore' });
    await waitForHttp({ port }, '/healthz', 30_000);
    times.push(performance.now() - t0);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  times.sort((a, b) => a - b);
  return +times[Math.floor(times.length / 2)]!.toFixed(0);
}

/** A data folder holding `count` messages in 40 rooms, written through the store itself. */
async function filledFolder(count: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-stored-'));
  const stores = await createDurableStores({ dataDir: dir, historyLimit: 100_000, lobby: 'lobby', userMessages: { capacity: 1e9, perSecond: 1e9 } });
  const rooms = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'lobby' : `room-${i}`));
  for (const room of rooms.slice(1)) await stores.rooms.create(room);
  for (let done = 0; done < count; ) {
    const batch = Math.min(1000, count - done);
    await Promise.all(Array.from({ length: batch }, (_, i) => stores.history.append({ room: rooms[(done + i) % rooms.length]!, userId: 'user-bench', username: 'bench', message: `stored message ${done + i}`, clientId: `stored-${done + i}` })));
    done += batch;
  }
  await stores.close();
  return dir;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-durable-'));
  const series: Series[] = [];
  try {
    for (const [mode, args] of [['memory', []], ['durable', ['--data-dir', dataDir]]] as const) {
      const server = await ServerProcess.start('parley', { args: [...args], label: mode, cpuProfDir: flags['cpu-prof'] });
      try {
        log(`${mode}: ${CLIENTS} clients × ${WINDOW} in flight for ${SECONDS} s`);
        series.push(await load(server, mode));
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  log(`filling a data folder with ${STORED} messages`);
  const stored = await filledFolder(STORED);
  let startMemoryMs: number;
  let startStoredMs: number;
  let relayMemoryMs: number;
  let relayStoredMs: number;
  try {
    relayMemoryMs = await relayStartup(':memory:');
    relayStoredMs = await relayStartup(stored);
    startMemoryMs = await startup({ DATA_DIR: ':memory:' });
    startStoredMs = await startup({ DATA_DIR: stored });
  } finally {
    rmSync(stored, { recursive: true, force: true });
  }
  const [memory, durable] = series as [Series, Series];
  const report = {
    command: `npm run bench:durable -- --seconds ${SECONDS} --clients ${CLIENTS} --window ${WINDOW} --stored ${STORED}${PRIVATE ? ' --private' : ''}`,
    series,
    cpuRatio: +(durable.cpuUsPerMessage / memory.cpuUsPerMessage).toFixed(2),
    relayStartupMs: { memoryEmpty: relayMemoryMs, durableStored: relayStoredMs, stored: STORED },
    processStartupMs: { memoryEmpty: startMemoryMs, durableStored: startStoredMs },
    goals: {
      cpuRatioAtMost1_3: durable.cpuUsPerMessage / memory.cpuUsPerMessage <= 1.3,
      atLeast5000PerS: durable.committedPerS >= 5000,
      relayStartupAtMost300Ms: relayStoredMs <= 300,
    },
  };
  console.table(series);
  console.log(JSON.stringify(report, null, 2));
  if (flags.json) writeFileSync(flags.json, JSON.stringify(report, null, 2));
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killAll());

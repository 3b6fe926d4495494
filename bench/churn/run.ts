/**
 * Memory after churn: does the relay give back what a stream of short-lived users took?
 *
 * The built standalone relay (dist/server/cli.js, in memory, no Redis) runs in its own process. A
 * mix of clients keeps coming and going: Parley clients (fresh key each, so a new user) log in,
 * create or join rooms, chat in them and the lobby, send a DM to someone online, type, and leave
 * after a few seconds; one in ten is a classic client. Then everyone leaves.
 *
 *   baseline  relay RSS with zero connections after a warm-up churn, once idle conversations expired
 *   after     the same after the main churn
 *
 * Goal (issue 18): after ≤ baseline × 1.10. `CONVERSATION_EXPIRY_S` is short here (default 60 s) so
 * the rooms and DM logs the churn left behind expire within the run, as they would in a week.
 *
 *   npm run churn                              # 300 s churn, 150 clients at once
 *   npm run churn -- --duration 60 --clients 80 --json bench/results/churn.json
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { io as connect, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../protocol/index';
import { freePort, waitForHttp } from '../../test/helpers/net';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
    clients: { type: 'string', default: '150' },
    expiry: { type: 'string', default: '60' },
    // glibc malloc arenas for the relay (MALLOC_ARENA_MAX); unset keeps glibc's default (8 per core).
    arenas: { type: 'string' },
    // V8's young-generation ceiling for the relay (--max-semi-space-size, MiB); unset keeps Node's default.
    'semi-space': { type: 'string' },
    json: { type: 'string' },
  },
});
const DURATION_S = Number(flags.duration);
const WARMUP_S = Number(flags.warmup);
const CLIENTS = Number(flags.clients);
const EXPIRY_S = Number(flags.expiry);
const ROOMS = Array.from({ length: 40 }, (_, i) => `churn-${i}`);

const log = (msg: string) => console.log(`[churn ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

function rssMiB(pid: number): number {
  const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kib / 1024;
}

/** Where the resident memory is, from /proc/<pid>/smaps: brk heap (malloc's main arena), other anonymous mappings (V8's heap, other malloc arenas, stacks), files (code). */
function rssBreakdown(pid: number): { brkHeapMiB: number; anonMiB: number; fileMiB: number } {
  let kind: 'brk' | 'anon' | 'file' = 'anon';
  const kib = { brk: 0, anon: 0, file: 0 };
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const path = header[1]!.trim();
      kind = path === '[heap]' ? 'brk' : path === '' || path.startsWith('[') ? 'anon' : 'file';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) kib[kind] += Number(rss[1]);
  }
  const mib = (v: number) => +(v / 1024).toFixed(1);
  return { brkHeapMiB: mib(kib.brk), anonMiB: mib(kib.anon), fileMiB: mib(kib.file) };
}

interface RelayView {
  /** The relay's own count of open Engine.IO connections: "zero connections" is checked, not assumed. */
  connections: number;
  /** process.memoryUsage() in MiB after a full collection: heap that stays up is reachable (a leak), RSS above it is not. */
  memory: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
}

async function relayView(url: string): Promise<RelayView> {
  const body = (await (await fetch(`${url}/healthz`)).json()) as Partial<RelayView>;
  return { connections: body.connections ?? -1, memory: body.memory! };
}

const HEAP_STATS = join(tmpdir(), `parley-churn-heap-${process.pid}.json`);

/** Asks the relay for a full garbage collection (bench/churn/gc-on-signal.mjs), lets it settle, and returns V8's space sizes after it. */
async function collect(pid: number): Promise<Record<string, { sizeMiB: number; usedMiB: number }>> {
  process.kill(pid, 'SIGUSR2');
  await sleep(2000);
  return JSON.parse(readFileSync(HEAP_STATS, 'utf8')) as Record<string, { sizeMiB: number; usedMiB: number }>;
}

/** Median RSS over `seconds` of one sample a second. */
async function idleRss(pid: number, seconds = 10): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < seconds; i++) {
    values.push(rssMiB(pid));
    await sleep(1000);
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

interface Counts {
  sessions: number;
  messages: number;
  dms: number;
  refused: number;
  /** Refusals by error code (rate limits are expected: every client shares one address). */
  codes: Record<string, number>;
}

const newCounts = (): Counts => ({ sessions: 0, messages: 0, dms: 0, refused: 0, codes: {} });
const refuse = (counts: Counts, code: string) => {
  counts.refused++;
  counts.codes[code] = (counts.codes[code] ?? 0) + 1;
};

/** One short visit: log in, chat a little, leave. Resolves when the socket is closed. */
async function visit(url: string, n: number, counts: Counts): Promise<void> {
  const classic = n % 10 === 0;
  const socket: Socket = connect(url, {
    forceNew: true,
    reconnection: false,
    transports: ['websocket'],
    ...(classic ? {} : { auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: randomBytes(18).toString('base64url') } }),
  });
  const ask = (event: string, ...args: unknown[]) =>
    (socket.timeout(10_000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<{ ok: boolean; code?: string }> })
      .emitWithAck(event, ...args)
      .then((r) => {
        if (!r.ok) refuse(counts, `${event}: ${r.code ?? '?'}`);
        return r;
      })
      .catch(() => {
        refuse(counts, `${event}: no ack`);
        return { ok: false };
      });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    counts.sessions++;
    const name = `u${n.toString(36)}`;
    if (classic) {
      socket.emit('add user', name);
      for (let i = 0; i < 2; i++) socket.emit('new message', `classic line ${i} from ${name}`);
      counts.messages += 2;
    } else {
      const login = (await ask('add user', { username: name })) as { ok: boolean; rooms?: { presence: { users: { id: string }[] } }[] };
      const others = login.rooms?.[0]?.presence.users.map((u) => u.id) ?? [];
      const rooms = [pick(ROOMS), pick(ROOMS)];
      for (const room of new Set(rooms)) await ask('room:join', { room, create: true });
      socket.emit('typing', { room: rooms[0] });
      for (let i = 0; i < 3; i++) {
        await ask('new message', { text: `message ${i} from ${name}`, room: i === 0 ? 'lobby' : pick(rooms), clientId: `${name}-${i}-${randomBytes(4).toString('hex')}` });
        counts.messages++;
      }
      if (others.length > 0) {
        await ask('new message', { text: `hello from ${name}`, to: pick(others), clientId: `${name}-dm-${randomBytes(4).toString('hex')}` });
        counts.dms++;
      }
    }
    await sleep(1000 + Math.random() * 7000);
  } catch {
    refuse(counts, 'connect');
  } finally {
    socket.disconnect();
  }
}

/** Keeps `clients` visits going for `seconds`, then waits for the last ones to leave. */
async function churn(url: string, seconds: number, clients: number, counts: Counts, first: number): Promise<number> {
  let n = first;
  const end = Date.now() + seconds * 1000;
  const lane = async () => {
    while (Date.now() < end) await visit(url, n++, counts);
  };
  await Promise.all(Array.from({ length: clients }, lane));
  return n;
}

async function main(): Promise<void> {
  const port = await freePort();
  const v8Flags = flags['semi-space'] ? [`--max-semi-space-size=${flags['semi-space']}`] : [];
  const relay = spawn(process.execPath, ['--expose-gc', ...v8Flags, '--import', './bench/churn/gc-on-signal.mjs', 'dist/server/cli.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CONVERSATION_EXPIRY_S: String(EXPIRY_S),
      HEALTH_DETAILS: 'public',
      // The in-memory relay, as measured before the durable store existed: memory is what is asked here.
      DATA_DIR: ':memory:',
      CHURN_HEAP_STATS: HEAP_STATS,
      ...(flags.arenas ? { MALLOC_ARENA_MAX: flags.arenas } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const pid = relay.pid!;
  // Expired rooms and DM logs are gone one sweep (a quarter of the expiry) after they are due.
  const drainMs = (EXPIRY_S * 1.25 + 5) * 1000;
  try {
    await waitForHttp({ port });
    const started = rssMiB(pid);
    log(`relay pid ${pid} on ${url}: ${started.toFixed(1)} MiB at start; warm-up ${WARMUP_S} s with ${CLIENTS} clients`);
    const warm = newCounts();
    const n = await churn(url, WARMUP_S, CLIENTS, warm, 0);
    log(`warm-up done (${warm.sessions} sessions); waiting ${(drainMs / 1000).toFixed(0)} s for idle conversations to expire`);
    await sleep(drainMs);
    const baselineSpaces = await collect(pid);
    const baseline = await idleRss(pid);
    const baselineParts = { ...rssBreakdown(pid), ...(await relayView(url)), spaces: baselineSpaces };
    log(`baseline: ${baseline.toFixed(1)} MiB with zero connections; churn ${DURATION_S} s`);

    const main = newCounts();
    let peak = 0;
    const peakTimer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 1000);
    await churn(url, DURATION_S, CLIENTS, main, n);
    clearInterval(peakTimer);
    log(`churn done: ${main.sessions} sessions, ${main.messages} messages, ${main.dms} DMs, ${main.refused} refused ${JSON.stringify(main.codes)}; peak ${peak.toFixed(1)} MiB`);
    log(`waiting ${(drainMs / 1000).toFixed(0)} s for idle conversations to expire`);
    await sleep(drainMs);
    const afterSpaces = await collect(pid);
    const after = await idleRss(pid);
    const afterParts = { ...rssBreakdown(pid), ...(await relayView(url)), spaces: afterSpaces };
    const growthPct = ((after - baseline) / baseline) * 100;
    const report = {
      command: `npm run churn -- --duration ${DURATION_S} --warmup ${WARMUP_S} --clients ${CLIENTS} --expiry ${EXPIRY_S}${flags.arenas ? ` --arenas ${flags.arenas}` : ''}${flags['semi-space'] ? ` --semi-space ${flags['semi-space']}` : ''}`,
      startMiB: +started.toFixed(1),
      baselineMiB: +baseline.toFixed(1),
      peakMiB: +peak.toFixed(1),
      afterMiB: +after.toFixed(1),
      growthPct: +growthPct.toFixed(1),
      heapGrowthPct: +(((afterParts.memory.heapUsed - baselineParts.memory.heapUsed) / baselineParts.memory.heapUsed) * 100).toFixed(1),
      breakdown: { baseline: baselineParts, after: afterParts },
      ratio: +(after / baseline).toFixed(3),
      churn: main,
      goalWithin10Pct: growthPct <= 10,
    };
    console.log(JSON.stringify(report, null, 2));
    if (flags.json) writeFileSync(flags.json, JSON.stringify(report, null, 2));
  } finally {
    relay.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

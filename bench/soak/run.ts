/**
 * Soak: many clients chatting, joining and leaving for a few minutes against a real cluster (N relay
 * processes + redis-server + HAProxy, deploy/local/cluster.ts), while one relay instance is killed and
 * restarted and Redis is killed and restarted. Not part of `npm test`.
 *
 *   npm run soak                                   # 300 clients, 2 instances, 120 s of chat
 *   npm run soak -- --duration 300 --clients 300 --json bench/results/soak.json
 *   npm run soak -- --help
 *
 * Clients are the renderer's ChatClient (renderer/model/chat-client.ts): the same reconnection,
 * catch-up by seq and outbox (kept and retried with the same clientId until acknowledged) as the app.
 *
 * Definitions (what the report counts):
 *  - sent: messages handed to a client's outbox (ChatClient.send), each with its own clientId.
 *  - acknowledged: the relay acknowledged it ({ok: true}), i.e. stored it in Redis; seen as the
 *    sender's own timeline holding the message with that clientId and a real seq.
 *  - observers: the steady clients, online from before the first message to the end (they may be
 *    moved to another instance when theirs is killed, and catch up by seq).
 *  - delivered: (acknowledged message, observer) pairs where the observer's lobby timeline holds it.
 *  - lost: acknowledged messages missing from at least one observer's timeline after the drain
 *    (pairs are reported too). Goal 0.
 *  - duplicated: acknowledged messages that exist under more than one server id (stored twice) in any
 *    client's timeline, or appear twice in one timeline. Goal 0.
 *  - unconfirmed: observer entries still provisional (seq 0) after the drain. Goal 0.
 *  - memory: relay RSS (VmRSS) sampled every second; start = median over 10 s after the warm-up, end
 *    = median over the last 10 s of chat. A restarted instance gets its own start window after its
 *    restart. Goal: end ≤ start × 1.10.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { parseArgs } from 'node:util';
import { ChatClient } from '../../renderer/model/chat-client';
import { newUserKey } from '../../renderer/model/ids';
import { startLocalCluster, type LocalCluster } from '../../deploy/local/cluster';

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

const { values: flags } = parseArgs({
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
const DURATION_S = Number(flags.duration);
const CLIENTS = Number(flags.clients);
const INSTANCES = Number(flags.instances);
const INTERVAL_S = Number(flags.interval);
const CHURN = Number(flags.churn);
const WARMUP_S = Number(flags.warmup);
const FAULTS = !flags['no-faults'];
for (const [name, v] of Object.entries({ DURATION_S, CLIENTS, INSTANCES, INTERVAL_S, CHURN, WARMUP_S })) {
  if (!Number.isFinite(v) || v < 0) throw new Error(`bad value for ${name}`);
}
if (DURATION_S < WARMUP_S + 30) throw new Error('--duration must leave at least 30 s after the warm-up');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const log = (msg: string) => console.log(`[soak +${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const median = (xs: number[]) => (xs.length === 0 ? Number.NaN : [...xs].sort((a, b) => a - b)[xs.length >> 1]!);
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
/** Exponential inter-arrival with the given mean (a Poisson stream of messages per client). */
const nextGap = (meanS: number) => -Math.log(1 - Math.random()) * meanS * 1000;

// ── the cluster ─────────────────────────────────────────────────────────────

if (!existsSync('dist/server/cli.js')) {
  log('building the relay (dist/server/cli.js)…');
  if (spawnSync(process.execPath, ['scripts/build-node.mjs', 'server'], { stdio: 'inherit' }).status !== 0) process.exit(1);
}

interface RssSample {
  at: number;
  instance: string;
  pid: number;
  rss: number;
  /** Engine.IO connections the instance reported on /healthz at that moment. */
  connections: number;
}
const rss: RssSample[] = [];
function readRss(pid: number): number {
  try {
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function connectionsOf(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz', timeout: 800 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        try {
          resolve(Number((JSON.parse(body) as { connections?: number }).connections ?? Number.NaN));
        } catch {
          resolve(Number.NaN);
        }
      });
    });
    req.on('error', () => resolve(Number.NaN));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

// ── clients ─────────────────────────────────────────────────────────────────

interface SentRecord {
  text: string;
  clientId: string;
  sender: Sim;
  at: number;
}
interface Sim {
  name: string;
  role: 'steady' | 'churn';
  chat: ChatClient;
  userId?: string;
  left: boolean;
}

const sims: Sim[] = [];
const sent: SentRecord[] = [];
let sending = false;
let sentSeq = 0;
let joins = 0;
let leaves = 0;
let startFailures = 0;

/** Starts a ChatClient, retrying (with a new instance) until it is logged in. */
async function connect(url: string, name: string, role: Sim['role']): Promise<Sim> {
  for (let attempt = 0; ; attempt++) {
    const chat = new ChatClient({ url, nickname: name, key: newUserKey(), transports: ['websocket'], ackTimeoutMs: 8000, connectTimeoutMs: 8000 });
    try {
      await chat.start();
      const sim: Sim = { name, role, chat, userId: chat.me.value?.userId, left: false };
      sims.push(sim);
      joins++;
      return sim;
    } catch (err) {
      startFailures++;
      chat.close();
      if (attempt > 20) throw err;
      await sleep(Math.min(5000, 250 * 2 ** attempt));
    }
  }
}

function say(sim: Sim): void {
  const text = `${sim.name} #${++sentSeq}`;
  if (sim.chat.send(text) !== null) return;
  const item = sim.chat.outbox.list().find((i) => i.text === text);
  if (item) sent.push({ text, clientId: item.clientId, sender: sim, at: Date.now() });
}

/** Each client sends at random (Poisson) times while `sending` and it has not left. */
async function chatLoop(sim: Sim): Promise<void> {
  await sleep(rand(0, INTERVAL_S * 1000));
  while (sending && !sim.left) {
    say(sim);
    await sleep(nextGap(INTERVAL_S));
  }
}

async function drained(sim: Sim, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (sim.chat.outbox.queuedCount > 0 && Date.now() < end) await sleep(100);
  return sim.chat.outbox.queuedCount === 0;
}

let churnGen = 0;
async function churnLoop(url: string, first: Sim): Promise<void> {
  let sim = first;
  while (sending) {
    void chatLoop(sim);
    await sleep(rand(10_000, 30_000));
    if (!sending) break;
    // Leaving like a person closing the app once the last message went out.
    sim.left = true;
    await drained(sim, 15_000);
    sim.chat.close();
    leaves++;
    await sleep(rand(1000, 3000));
    if (!sending) break;
    sim = await connect(url, `churn${++churnGen}`, 'churn');
  }
}

// ── the run ─────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  log(`starting: ${INSTANCES} relay instances + redis-server + HAProxy; ${CLIENTS} clients (${Math.round(CLIENTS * CHURN)} churning), one message per ${INTERVAL_S} s each, ${DURATION_S} s of chat${FAULTS ? ', with faults' : ''}`);
  const cluster: LocalCluster = await startLocalCluster({
    instances: INSTANCES,
    port: 0,
    // History large enough that catch-up after a reconnect never hits the limit (gap), and quiet logs.
    env: { HISTORY_LIMIT: '100000', LOG_LEVEL: 'warn' },
  });
  const sampler = setInterval(() => {
    for (const inst of cluster.instances) {
      const pid = inst.proc.pid;
      if (inst.proc.exitCode !== null || inst.proc.signalCode !== null || pid === undefined) continue;
      const at = Date.now();
      const value = readRss(pid);
      void connectionsOf(inst.port).then((connections) => rss.push({ at, instance: inst.name, pid, rss: value, connections }));
    }
  }, 1000);
  await sleep(3000); // idle samples: the relays before any client
  const events: { at: number; what: string }[] = [];
  const mark = (what: string) => {
    events.push({ at: Date.now(), what });
    log(what);
  };

  try {
    const rampStart = Date.now();
    const steadyCount = CLIENTS - Math.round(CLIENTS * CHURN);
    for (let i = 0; i < CLIENTS; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, CLIENTS - i) }, (_, j) => {
          const n = i + j;
          return n < steadyCount ? connect(cluster.url, `steady${n}`, 'steady') : connect(cluster.url, `churn${++churnGen}`, 'churn');
        }),
      );
    }
    mark(`${sims.length} clients online; chatting`);
    sending = true;
    const chatStart = Date.now();
    for (const sim of sims) {
      if (sim.role === 'steady') void chatLoop(sim);
      else void churnLoop(cluster.url, sim);
    }

    const at = (s: number) => sleep(Math.max(0, chatStart + s * 1000 - Date.now()));
    let restartedAt: number | undefined;
    if (FAULTS) {
      const killAt = WARMUP_S + 10 + (DURATION_S - WARMUP_S - 10) * 0.15;
      const redisAt = WARMUP_S + 10 + (DURATION_S - WARMUP_S - 10) * 0.55;
      await at(killAt);
      mark('SIGKILL relay instance r1');
      await cluster.killInstance('r1');
      await sleep(5000);
      await cluster.startInstance('r1');
      restartedAt = Date.now();
      mark('relay instance r1 restarted');
      await at(redisAt);
      mark('SIGKILL redis-server');
      await cluster.killRedis();
      await sleep(5000);
      await cluster.startRedis();
      mark('redis-server restarted (empty)');
    }
    await at(DURATION_S);
    sending = false;
    const chatEnd = Date.now();
    mark(`chat stopped; ${sent.length} messages sent; draining outboxes`);

    const stillQueued = () => sims.filter((s) => !s.left && s.chat.outbox.queuedCount > 0).length;
    const drainEnd = Date.now() + 60_000;
    while (stillQueued() > 0 && Date.now() < drainEnd) await sleep(250);
    await sleep(5000); // last deliveries and stored copies
    mark(`drained (${stillQueued()} clients still have unacknowledged messages)`);

    // ── figures ──
    const observers = sims.filter((s) => s.role === 'steady');
    const lobbyOf = (s: Sim) => s.chat.conversation('lobby')?.timeline.entries().flatMap((e) => (e.kind === 'message' ? [e.msg] : [])) ?? [];
    // Per client: its lobby messages indexed by clientId (a timeline holds each server id once).
    const indexes = new Map(
      sims.map((s) => {
        const byClientId = new Map<string, { id: string; seq: number; userId: string }[]>();
        for (const m of lobbyOf(s)) {
          if (m.clientId === undefined) continue;
          const list = byClientId.get(m.clientId) ?? [];
          list.push({ id: m.id, seq: m.seq, userId: m.userId });
          byClientId.set(m.clientId, list);
        }
        return [s, byClientId] as const;
      }),
    );
    let acked = 0;
    let lost = 0;
    let lostPairs = 0;
    let delivered = 0;
    let duplicated = 0;
    let unackedLeft = 0;
    let unconfirmed = 0;
    const lostExamples: string[] = [];
    const unackedExamples: string[] = [];
    for (const rec of sent) {
      const senderId = rec.sender.chat.me.value?.userId ?? rec.sender.userId;
      const copiesIn = (s: Sim) => (indexes.get(s)?.get(rec.clientId) ?? []).filter((m) => m.userId === senderId);
      if (!copiesIn(rec.sender).some((m) => m.seq > 0)) {
        unackedLeft++;
        // Why: a churning client that closed before its ack came, or an outbox that gave up.
        if (unackedExamples.length < 5) {
          const item = rec.sender.chat.outbox.list().find((i) => i.clientId === rec.clientId);
          const where = item ? `outbox: ${item.state}${item.error ? ` (${item.error})` : ''}, ${item.attempts} attempts` : 'not in the outbox';
          unackedExamples.push(`${rec.text} (${rec.sender.role}${rec.sender.left ? ', left' : ''}; sent at +${((rec.at - chatStart) / 1000).toFixed(1)}s; ${where})`);
        }
        continue;
      }
      acked++;
      const ids = new Set<string>();
      for (const s of sims) for (const m of copiesIn(s)) ids.add(m.id);
      if (ids.size > 1) duplicated++;
      let missing = 0;
      for (const o of observers) {
        const copies = copiesIn(o);
        if (copies.length === 0) missing++;
        else {
          delivered++;
          if (copies.every((m) => m.seq === 0)) unconfirmed++;
        }
      }
      if (missing > 0) {
        lost++;
        lostPairs += missing;
        if (lostExamples.length < 5) lostExamples.push(`${rec.text} (missing from ${missing} observers, sent at +${((rec.at - chatStart) / 1000).toFixed(1)}s)`);
      }
    }

    // RSS depends on how many connections an instance holds, and a killed instance's clients move to
    // the other one: so besides the raw growth, an estimate at equal load, with the per-connection cost
    // measured on this run (idle relay → warmed up).
    const memory = cluster.instances.map((inst) => {
      const samples = rss.filter((s) => s.instance === inst.name && s.pid === inst.proc.pid && Number.isFinite(s.rss));
      const restarted = inst.name === 'r1' && restartedAt !== undefined;
      const base = restarted ? restartedAt! : chatStart;
      const window = (from: number, to: number) => samples.filter((s) => s.at >= from && s.at < to);
      const idle = window(0, rampStart).filter((s) => s.connections === 0);
      const startWin = window(base + WARMUP_S * 1000, base + (WARMUP_S + 10) * 1000);
      const endWin = window(chatEnd - 10_000, chatEnd + 1);
      const start = median(startWin.map((s) => s.rss));
      const end = median(endWin.map((s) => s.rss));
      const connsStart = median(startWin.map((s) => s.connections));
      const connsEnd = median(endWin.map((s) => s.connections));
      const idleRss = median(idle.map((s) => s.rss));
      const perConn = !restarted && connsStart > 0 && Number.isFinite(idleRss) ? (start - idleRss) / connsStart : Number.NaN;
      const expectedEnd = start + perConn * (connsEnd - connsStart);
      const mib = (b: number) => +(b / 2 ** 20).toFixed(1);
      return {
        instance: inst.name,
        restarted,
        idleMiB: restarted ? null : mib(idleRss),
        start: { MiB: mib(start), connections: connsStart },
        end: { MiB: mib(end), connections: connsEnd },
        growthPct: +(((end - start) / start) * 100).toFixed(1),
        perConnectionKiB: Number.isFinite(perConn) ? +(perConn / 1024).toFixed(1) : null,
        growthAtEqualLoadPct: Number.isFinite(expectedEnd) ? +(((end - expectedEnd) / start) * 100).toFixed(1) : null,
      };
    });

    const report = {
      command: `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim(),
      config: { durationS: DURATION_S, clients: CLIENTS, instances: INSTANCES, intervalS: INTERVAL_S, churn: CHURN, warmupS: WARMUP_S, faults: FAULTS },
      events: events.map((e) => ({ atS: +((e.at - chatStart) / 1000).toFixed(1), what: e.what })),
      clients: { observers: observers.length, joins, leaves, startRetries: startFailures },
      messages: {
        sent: sent.length,
        acknowledged: acked,
        notAcknowledged: unackedLeft,
        notAcknowledgedExamples: unackedExamples,
        expectedDeliveries: acked * observers.length,
        delivered,
        lost,
        lostPairs,
        duplicated,
        unconfirmedProvisional: unconfirmed,
        lostExamples,
      },
      memory,
      goals: {
        noLoss: lost === 0,
        noDuplicates: duplicated === 0,
        memoryWithin10Pct: memory.every((m) => m.growthPct <= 10),
        memoryWithin10PctAtEqualLoad: memory.every((m) => (m.growthAtEqualLoadPct ?? m.growthPct) <= 10),
      },
    };
    console.log('\n' + JSON.stringify(report, null, 2));
    if (flags.json) writeFileSync(flags.json, JSON.stringify(report, null, 2));
    process.exitCode = report.goals.noLoss && report.goals.noDuplicates ? 0 : 1;
  } finally {
    if (flags.logs) {
      mkdirSync(flags.logs, { recursive: true });
      for (const inst of cluster.instances) writeFileSync(join(flags.logs, `${inst.name}.log`), inst.output());
    }
    sending = false;
    clearInterval(sampler);
    for (const s of sims) s.chat.close();
    await cluster.stop();
  }
}

main().then(
  () => setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref(),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);

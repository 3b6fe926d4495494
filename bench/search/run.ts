/**
 * Search over 100,000 stored messages (issue 23; goal: a query answers in ≤ 50 ms on this machine).
 *
 * A relay in this process with the memory store, filled directly (not through sockets) with
 * `--rooms` × `--per-room` messages and a history limit of `--per-room`, so every message is
 * retained: by default 50 × 2,000. Fifty because that is all one socket may join
 * (MAX_ROOMS_PER_SOCKET, the lobby included), and search covers the rooms the socket is in. The
 * text comes from a seeded generator: common English words by a Zipf-like law, chat and tech words,
 * names, accented words, made-up rare words, some Japanese sentences, emoji and punctuation.
 *
 * One Parley client in all the rooms then searches with `--queries` varied queries (a quarter each:
 * common words, rare words, prefixes of 1–4 letters, two or three words of one message):
 *
 *   cold     the first search: every conversation's index is built from the store
 *   warm     the queries again and again through the real `search` event (round trip on loopback)
 *   writes   the same, with 5 new messages in random rooms before each query (incremental sync)
 *   direct   `SearchIndex.search` in-process, without the socket
 *   naive    the baseline, in-process: lower-cased `includes` of every query word, newest first over
 *            all messages, stopping at the 21st hit (as the index answers 20 and `more`); and the
 *            same without stopping (every message read)
 *
 * Index memory: heapUsed after a forced GC, before and after a second index built in-process over the
 * same store (the memory store's messages are shared with the index, so this is the index alone).
 *
 *   npm run bench:search
 *   npm run bench:search -- --rooms 50 --per-room 2000 --queries 200 --json bench/results/search.json
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { io as connect, type Socket } from 'socket.io-client';
import { DEFAULT_ROOM, PROTOCOL_VERSION, type ChatMessage } from '../../protocol/index';
import { createRelay } from '../../server/index';
import { SearchIndex } from '../../server/search/index';
import { createMemoryStores } from '../../server/stores/memory';
import { createRedisStores } from '../../server/stores/redis/index';
import type { ChatStores } from '../../server/stores/types';
import { pino } from 'pino';
import { RedisServerProcess } from '../lib/redis-server';
import { makeQueries, makeText, rng } from './corpus';

const { values: flags } = parseArgs({
  options: {
    rooms: { type: 'string', default: '50' },
    'per-room': { type: 'string', default: '2000' },
    queries: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '23' },
    store: { type: 'string', default: 'memory,redis' },
    json: { type: 'string' },
  },
});
const ROOMS = Number(flags.rooms);
const PER_ROOM = Number(flags['per-room']);
const QUERIES = Number(flags.queries);
const ROUNDS = Number(flags.rounds);
const LIMIT = 20;
const log = (msg: string) => console.log(`[search] ${msg}`);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

interface Stats {
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

/** The baseline: newest first over every message, every query word lower-cased and `includes`d. */
function naive(newestFirst: readonly ChatMessage[], query: string, stopAt: number): number {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  let hits = 0;
  for (const m of newestFirst) {
    const text = m.message.toLowerCase();
    if (words.every((w) => text.includes(w)) && ++hits >= stopAt) break;
  }
  return hits;
}

const UNLIMITED = { capacity: 1e9, perSecond: 1e9 };

/** The store of one series: in memory, or on a redis-server of its own (stopped by `done`). */
async function makeStores(kind: string): Promise<{ stores: ChatStores; done: () => Promise<void> }> {
  if (kind === 'memory') return { stores: createMemoryStores({ historyLimit: PER_ROOM, lobby: DEFAULT_ROOM, userMessages: UNLIMITED }), done: async () => {} };
  const server = await RedisServerProcess.start();
  const stores = createRedisStores({ url: server.url, instanceId: 'bench-search', historyLimit: PER_ROOM, lobby: DEFAULT_ROOM, userMessages: UNLIMITED, log: pino({ level: 'silent' }) });
  if ((await stores.connections.waitReady(5000)) !== 'up') throw new Error('Redis did not come up');
  return { stores, done: () => server.stop() };
}

async function series(kind: string): Promise<Results> {
  const random = rng(Number(flags.seed));
  const rooms = [DEFAULT_ROOM, ...Array.from({ length: ROOMS - 1 }, (_, i) => `room-${String(i + 1).padStart(2, '0')}`)];
  const { stores, done } = await makeStores(kind);
  for (const room of rooms) await stores.rooms.create(room);

  log(`${kind}: filling ${rooms.length} rooms × ${PER_ROOM} messages`);
  const order = rooms.flatMap((room) => Array.from({ length: PER_ROOM }, () => room));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const all: ChatMessage[] = [];
  const users = Array.from({ length: 40 }, (_, i) => ({ userId: `bench-user-${i}`, username: `user${i}` }));
  // In batches: Redis then pipelines the appends (each still one atomic script).
  for (let i = 0; i < order.length; i += 500) {
    const batch = order.slice(i, i + 500).map((room) => ({ room, ...users[Math.floor(random() * users.length)]!, message: makeText(random) }));
    for (const r of await Promise.all(batch.map((d) => stores.history.append(d)))) all.push(r.message);
  }
  const newestFirst = [...all].reverse();
  const queries = makeQueries(random, all, QUERIES);

  const relay = await createRelay({ port: 0, host: '127.0.0.1', stores, historyLimit: PER_ROOM, limits: { socketEvents: UNLIMITED }, instanceId: 'bench-search' });
  const socket: Socket = connect(relay.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: 'benchsearchbenchsearchbenchsearch' } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const login = (await socket.timeout(60_000).emitWithAck('add user', { username: 'searcher', rooms })) as { ok: boolean; rooms?: unknown[] };
  if (!login.ok || login.rooms?.length !== rooms.length) throw new Error('login into every room failed');
  const ask = async (query: string) => {
    const res = (await socket.timeout(60_000).emitWithAck('search', { query, limit: LIMIT })) as { ok: boolean; hits?: { message: ChatMessage }[]; more?: boolean; code?: string };
    if (!res.ok) throw new Error(`search refused: ${res.code}`);
    return res;
  };

  try {
    log('cold search');
    const [, cold] = await timed(() => ask(queries[0]!.query));

    log('warm searches through the socket');
    const warm: number[] = [];
    const hitCounts: number[] = [];
    const complete: (string | undefined)[] = [];
    let withMore = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const q of queries) {
        const [res, ms] = await timed(() => ask(q.query));
        warm.push(ms);
        if (round === 0) {
          hitCounts.push(res.hits!.length);
          if (res.more) withMore++;
          // Complete answers only: the order of messages stored in the same millisecond may differ by store.
          complete.push(res.more ? undefined : res.hits!.map((h) => h.message.message).sort().join('\n'));
        }
      }
    }

    log('warm searches with new messages between them');
    const writes: number[] = [];
    for (const q of queries) {
      for (let k = 0; k < 5; k++) {
        const room = rooms[Math.floor(random() * rooms.length)]!;
        await stores.history.append({ room, ...users[0]!, message: makeText(random) });
      }
      writes.push((await timed(() => ask(q.query)))[1]);
    }

    log('a second index in-process: build time, memory, direct queries');
    const before = heapAfterGc();
    const index = new SearchIndex({ history: stores.history, retention: PER_ROOM });
    const [, build] = await timed(() => index.search(rooms, queries[0]!.query, LIMIT));
    const indexBytes = heapAfterGc() - before;
    const direct: number[] = [];
    const byKind = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const q of queries) {
        const ms = (await timed(() => index.search(rooms, q.query, LIMIT)))[1];
        direct.push(ms);
        byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), ms]);
      }
    }

    log('naive scans');
    const naiveStop: number[] = [];
    const naiveAll: number[] = [];
    for (const q of queries) {
      naiveStop.push((await timed(() => naive(newestFirst, q.query, LIMIT + 1)))[1]);
      naiveAll.push((await timed(() => naive(newestFirst, q.query, Infinity)))[1]);
    }

    return {
      store: kind,
      machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
      corpus: { rooms: rooms.length, perRoom: PER_ROOM, messages: all.length, queries: queries.length, rounds: ROUNDS },
      coldMs: cold,
      buildMs: build,
      indexMB: indexBytes / 1e6,
      indexed: index.stats(),
      warm: stats(warm),
      writes: stats(writes),
      direct: stats(direct),
      directByKind: Object.fromEntries([...byKind].map(([k, v]) => [k, stats(v)])),
      naiveStop: stats(naiveStop),
      naiveAll: stats(naiveAll),
      hits: { mean: hitCounts.reduce((a, b) => a + b, 0) / hitCounts.length, none: hitCounts.filter((n) => n === 0).length, withMore },
      complete,
    };
  } finally {
    socket.disconnect();
    await relay.close();
    await done();
  }
}

async function main(): Promise<void> {
  const all: Results[] = [];
  for (const kind of (flags.store ?? 'memory').split(',')) {
    const r = await series(kind);
    print(r);
    all.push(r);
  }
  // Every store holds the same corpus: the queries answered in full must get the same messages.
  for (const r of all.slice(1)) {
    const differ = r.complete.filter((c, i) => c !== undefined && all[0]!.complete[i] !== undefined && c !== all[0]!.complete[i]).length;
    console.log(`\ncomplete answers differing between ${all[0]!.store} and ${r.store}: ${differ} of ${r.complete.filter((c) => c !== undefined).length}`);
    if (differ > 0) process.exitCode = 1;
  }
  if (flags.json) writeFileSync(flags.json, JSON.stringify(all.map(({ complete: _, ...r }) => r), null, 2));
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

interface Results {
  store: string;
  machine: { cpu: string | undefined; cores: number; node: string };
  corpus: { rooms: number; perRoom: number; messages: number; queries: number; rounds: number };
  coldMs: number;
  buildMs: number;
  indexMB: number;
  indexed: { conversations: number; messages: number };
  warm: Stats;
  writes: Stats;
  direct: Stats;
  directByKind: Record<string, Stats>;
  naiveStop: Stats;
  naiveAll: Stats;
  hits: { mean: number; none: number; withMore: number };
  complete: (string | undefined)[];
}

function print(r: Results): void {
  const row = (name: string, s: Stats) => console.log(`| ${name} | ${ms(s.p50)} ms | ${ms(s.p95)} ms | ${ms(s.max)} ms |`);
  console.log(`\n${r.store} store: ${r.corpus.messages.toLocaleString('en')} messages in ${r.corpus.rooms} rooms, ${r.corpus.queries} queries × ${r.corpus.rounds} rounds`);
  console.log(`cold first search (builds every index) through the socket: ${ms(r.coldMs)} ms; in-process build + query: ${ms(r.buildMs)} ms; index heap: ${r.indexMB.toFixed(1)} MB`);
  console.log(`hits per query: ${r.hits.mean.toFixed(1)} on average, ${r.hits.none} queries without any, ${r.hits.withMore} with more than ${LIMIT}\n`);
  console.log('| | p50 | p95 | max |\n|---|---|---|---|');
  row('search event, warm', r.warm);
  row('search event, 5 new messages before each', r.writes);
  row('SearchIndex.search in-process', r.direct);
  for (const [kind, s] of Object.entries(r.directByKind)) row(`  in-process, ${kind}`, s);
  row('naive scan, newest first, stops at 21 hits', r.naiveStop);
  row('naive scan, every message', r.naiveAll);
  console.log(`\nnaive ÷ index (in-process, p50): ${(r.naiveStop.p50 / r.direct.p50).toFixed(1)}× (stopping early), ${(r.naiveAll.p50 / r.direct.p50).toFixed(1)}× (every message)`);
  console.log(`naive ÷ index (in-process, p95): ${(r.naiveStop.p95 / r.direct.p95).toFixed(1)}× (stopping early), ${(r.naiveAll.p95 / r.direct.p95).toFixed(1)}× (every message)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

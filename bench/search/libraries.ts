/**
 * Why the relay's search uses MiniSearch's term tree with bit sets rather than a library's own query
 * engine (bench/README.md "Search"): the same corpus as `npm run bench:search` (50 conversations ×
 * 2,000 messages), one index per conversation, the newest 20 hits of each query over all 50.
 *
 *   minisearch   MiniSearch's `search` (prefix, AND), every result sorted by seq
 *   flexsearch   FlexSearch's Index with the `forward` tokenizer (prefix search), results sorted by
 *                seq; only when the package is found (it is not a dependency: `npm install --no-save
 *                flexsearch`, or `--flexsearch DIR` for a copy installed elsewhere)
 *   relay        server/search/, as the relay runs it (SearchIndex over a store of the same messages)
 *
 *   node --import tsx bench/search/libraries.ts [--flexsearch /tmp/x/node_modules/flexsearch]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import MiniSearch from 'minisearch';
import type { ChatMessage, HistoryPage } from '../../protocol/index';
import { SearchIndex } from '../../server/search/index';
import { selectWindow } from '../../server/stores/history-window';
import type { PageQuery } from '../../server/stores/types';
import { indexTerms, parseQuery } from '../../server/search/text';
import { makeQueries, makeText, rng } from './corpus';

const { values: flags } = parseArgs({ options: { flexsearch: { type: 'string' }, rooms: { type: 'string', default: '50' }, 'per-room': { type: 'string', default: '2000' } } });
const ROOMS = Number(flags.rooms);
const PER_ROOM = Number(flags['per-room']);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

interface Engine {
  name: string;
  add(conv: number, m: ChatMessage): void;
  /** Builds what `add` did not (the relay's index reads its store). */
  ready?(): Promise<void>;
  /** The newest 20 hits over every conversation. */
  search(query: string): number | Promise<number>;
}

const random = rng(23);
const convs: ChatMessage[][] = Array.from({ length: ROOMS }, (_, c) =>
  Array.from({ length: PER_ROOM }, (_, i): ChatMessage => ({ id: `${c}-${i}`, seq: i + 1, ts: i * ROOMS + c, room: `r${c}`, userId: 'u', username: 'u', message: makeText(random) })),
);
const queries = [...makeQueries(random, convs.flat(), 200).map((q) => q.query), 'a b c d e f g h'];
const newest = (hits: ChatMessage[]) => hits.sort((x, y) => y.ts - x.ts).slice(0, 21).length;

function miniSearch(): Engine {
  const indexes = convs.map(() => new MiniSearch<ChatMessage>({ fields: ['message'], idField: 'seq', tokenize: (t) => [...indexTerms(t)], processTerm: (t) => t }));
  const options = { prefix: true, combineWith: 'AND', tokenize: (q: string) => [q], processTerm: (t: string) => t } as const;
  return {
    name: 'MiniSearch search()',
    add: (c, m) => indexes[c]!.add(m),
    search(query) {
      const words = parseQuery(query).map((w) => w.text);
      const hits: ChatMessage[] = [];
      for (const [c, index] of indexes.entries()) for (const r of index.search({ queries: words, ...options }, options)) hits.push(convs[c]![(r.id as number) - 1]!);
      return newest(hits);
    },
  };
}

interface FlexIndex {
  add(id: number, text: string): void;
  search(query: string, options: { limit: number }): number[];
}

async function flexSearch(): Promise<Engine | undefined> {
  let mod: { Index: new (o: object) => FlexIndex };
  try {
    mod = (await import(flags.flexsearch ? pathToFileURL(join(flags.flexsearch, 'dist/flexsearch.bundle.module.min.mjs')).href : ('flexsearch' as string))) as typeof mod;
  } catch {
    return undefined;
  }
  const encode = (t: string) => [...indexTerms(t)];
  const indexes = convs.map(() => new mod.Index({ tokenize: 'forward', encoder: { split: false, prepare: (x: string) => x, finalize: (x: string[]) => x }, encode, resolution: 1 }));
  return {
    name: 'FlexSearch (forward)',
    add: (c, m) => indexes[c]!.add(m.seq, m.message),
    search(query) {
      const hits: ChatMessage[] = [];
      for (const [c, index] of indexes.entries()) for (const seq of index.search(query, { limit: PER_ROOM })) hits.push(convs[c]![seq - 1]!);
      return newest(hits);
    },
  };
}

function relay(): Engine {
  // The relay's own index, fed through `page` like the relay's (sync.ts), searched like the relay's.
  const store = {
    page: async (room: string, query: PageQuery): Promise<HistoryPage> => {
      const messages = convs[Number(room.slice(1))]!;
      const w = selectWindow(1, messages.length, query);
      return { room, messages: messages.slice(w.from - 1, w.to), lastSeq: messages.length, hasMore: w.hasMore, gap: w.gap };
    },
  };
  const index = new SearchIndex({ history: store, retention: PER_ROOM });
  const rooms = convs.map((_, c) => `r${c}`);
  return {
    name: 'relay (term tree + bit sets)',
    add: () => undefined,
    ready: () => index.search(rooms, 'x', 20).then(() => undefined),
    search: async (query) => (await index.search(rooms, query, 20)).hits.length,
  };
}

async function measure(make: () => Engine | undefined | Promise<Engine | undefined>): Promise<void> {
  const before = heap();
  const t0 = performance.now();
  const engine = await make();
  if (!engine) return console.log('FlexSearch not measured: `npm install --no-save flexsearch`, or --flexsearch DIR');
  for (const [c, messages] of convs.entries()) for (const m of messages) engine.add(c, m);
  await engine.ready?.();
  const build = performance.now() - t0;
  const mb = (heap() - before) / 1e6;
  const times: number[] = [];
  for (const q of queries.slice(0, -1)) {
    const t = performance.now();
    await engine.search(q);
    times.push(performance.now() - t);
  }
  const t = performance.now();
  await engine.search(queries[queries.length - 1]!);
  const adversarial = performance.now() - t;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.floor(q * (times.length - 1))]!.toFixed(2);
  console.log(`| ${engine.name} | ${(build / 1000).toFixed(2)} s | ${mb.toFixed(0)} MB | ${at(0.5)} ms | ${at(0.95)} ms | ${at(1)} ms | ${adversarial.toFixed(1)} ms |`);
}

console.log(`${(ROOMS * PER_ROOM).toLocaleString('en')} messages in ${ROOMS} indexes, ${queries.length - 1} queries, newest 20 of each\n`);
console.log('| engine | build | heap | p50 | p95 | max | "a b c d e f g h" |\n|---|---|---|---|---|---|---|');
await measure(miniSearch);
await measure(flexSearch);
await measure(relay);

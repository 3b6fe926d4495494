/**
 * Server-side search over the retained history (protocol/edits.ts `search`).
 *
 * One index per conversation, kept in this process's memory and brought up to date from the store
 * at each search (sync.ts), so it is right on every store and, in Redis mode, cluster-wide: Redis
 * stays the source of truth and any instance can answer. A conversation searched for the first time
 * is read whole (its retained window); after that only what is new.
 *
 * Memory is bounded: the least recently searched conversations are forgotten once the indexes hold
 * more than `maxDocs` messages together, and rebuilt if searched again. The conversations of the
 * search in progress are kept even past the bound (one search names at most the rooms a socket may
 * join plus its DMs, see chat/search.ts), so the bound can be exceeded by one search's worth.
 *
 * Two searches of the same conversation at once share its sync; one arriving while a sync is under
 * way waits for the next (which everyone else arriving meanwhile shares too), as the running one may
 * have read the store before it was asked.
 */
import type { ChatMessage, SearchHit, SearchResults } from '../../protocol/index';
import type { HistoryStore } from '../stores/types';
import { ConversationIndex } from './conversation';
import { sync } from './sync';
import { lookups, matchRanges, parseQuery, type QueryWord } from './text';

/** Default bound on the messages indexed over all conversations (about 50 MB of index per 100,000 chat messages; bench/README.md "Search"). */
export const SEARCH_INDEX_MAX_DOCS = 200_000;

export interface SearchIndexOptions {
  /** Read through `page` only (sync.ts). */
  history: Pick<HistoryStore, 'page'>;
  /** How many entries the store keeps per conversation (the relay's history limit). */
  retention: number;
  maxDocs?: number;
}

interface Held {
  index: ConversationIndex;
  running?: Promise<void>;
  queued?: Promise<void>;
}

const noop = (): void => undefined;

export class SearchIndex {
  /** In order of last use, least recent first. */
  private readonly held = new Map<string, Held>();
  private readonly maxDocs: number;

  constructor(private readonly opts: SearchIndexOptions) {
    this.maxDocs = opts.maxDocs ?? SEARCH_INDEX_MAX_DOCS;
  }

  /** The newest `limit` messages of `conversations` matching `query`, newest first. */
  async search(conversations: readonly string[], query: string, limit: number): Promise<SearchResults> {
    const words = parseQuery(query);
    if (words.length === 0 || this.opts.retention === 0) return { query, hits: [], more: false };
    const rooms = [...new Set(conversations)];
    const held = rooms.map((room) => this.use(room));
    await Promise.all(held.map((h, i) => this.synced(rooms[i]!, h)));
    this.evict(new Set(rooms));
    const wanted = lookups(words);
    const hits = newest(held.map((h) => h.index.candidates(wanted)), words, limit + 1);
    return { query, hits: hits.slice(0, limit), more: hits.length > limit };
  }

  /** How much is indexed: conversations and messages. */
  stats(): { conversations: number; messages: number } {
    let messages = 0;
    for (const h of this.held.values()) messages += h.index.size;
    return { conversations: this.held.size, messages };
  }

  /** A conversation's index, marked as just used. */
  private use(room: string): Held {
    const h = this.held.get(room) ?? { index: new ConversationIndex() };
    this.held.delete(room);
    this.held.set(room, h);
    return h;
  }

  private synced(room: string, h: Held): Promise<void> {
    if (h.queued) return h.queued;
    if (!h.running) return this.start(room, h);
    const next: Promise<void> = h.running.then(noop, noop).then(() => {
      if (h.queued === next) h.queued = undefined;
      return this.start(room, h);
    });
    h.queued = next;
    return next;
  }

  private start(room: string, h: Held): Promise<void> {
    const run: Promise<void> = sync(h.index, this.opts.history, room, this.opts.retention).finally(() => {
      if (h.running === run) h.running = undefined;
    });
    h.running = run;
    return run;
  }

  /** Forgets the least recently searched conversations until the bound holds (never those in `keep`, nor one being synced). */
  private evict(keep: ReadonlySet<string>): void {
    let total = this.stats().messages;
    for (const [room, h] of this.held) {
      if (total <= this.maxDocs) return;
      if (keep.has(room) || h.running || h.queued) continue;
      this.held.delete(room);
      total -= h.index.size;
    }
  }
}

function isNewer(a: ChatMessage, b: ChatMessage): boolean {
  return a.ts > b.ts || (a.ts === b.ts && a.seq > b.seq);
}

/**
 * Merges the conversations' candidates (each newest first) into the newest `want` hits, each checked
 * against its text as it is now (text.ts), which also gives its ranges. A message deleted in place
 * since its conversation was synced (the memory store changes its objects) is no hit either.
 */
function newest(streams: Iterator<ChatMessage>[], words: readonly QueryWord[], want: number): SearchHit[] {
  const heads: { message: ChatMessage; rest: Iterator<ChatMessage> }[] = [];
  for (const rest of streams) {
    const first = rest.next();
    if (!first.done) heads.push({ message: first.value, rest });
  }
  const hits: SearchHit[] = [];
  while (hits.length < want && heads.length > 0) {
    let best = 0;
    for (let i = 1; i < heads.length; i++) if (isNewer(heads[i]!.message, heads[best]!.message)) best = i;
    const head = heads[best]!;
    const message = head.message;
    const after = head.rest.next();
    if (after.done) heads.splice(best, 1);
    else head.message = after.value;
    if (message.deleted || message.change !== undefined) continue;
    const ranges = matchRanges(message.message, words);
    if (ranges) hits.push({ message, ranges });
  }
  return hits;
}

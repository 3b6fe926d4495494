/**
 * The search index of one conversation: which of its messages hold which terms.
 *
 * Terms live in MiniSearch's radix tree (SearchableMap), so a query word finds every term it is a
 * prefix of by walking one branch. Each term maps to the slots of the messages holding it, a slot
 * being `seq - base`: seqs of one conversation are consecutive, so slots are dense and a query is a
 * few bit sets, one per word, ANDed, read from the top bit down (newest first).
 *
 * Nothing is ever taken out of a term's list: a message trimmed or deleted leaves an empty slot
 * (skipped), and an edited one stays listed under its old words too (the hit is checked against its
 * text, text.ts). That keeps every change O(its own words); `maybeCompact` rebuilds the lists from the
 * live messages once the dead weight is as large as the live part, so the cost is paid back.
 *
 * Why not MiniSearch's own `search`: it scores and sorts every match by relevance, and a chat
 * search wants the newest few. Over 100,000 messages its p95 was 89 ms and eight one-letter words
 * took it 335 ms; the bit sets take 4 ms and 9 ms (bench/README.md "Search").
 */
import SearchableMap from 'minisearch/SearchableMap';
import type { ChatMessage } from '../../protocol/index';
import { applyEdit } from '../stores/changes';
import { indexTerms, type Lookup } from './text';

/** Below this many slots, dead weight is not worth a rebuild. */
const COMPACT_MIN = 256;
/**
 * A message this far past the last slot cannot be the same log (seqs of one log are consecutive and
 * a window holds at most 100,000): it was re-created. Starting over keeps the slot arrays small.
 */
const MAX_JUMP = 200_000;

export class ConversationIndex {
  /** Term → slots, for adding and exact lookups (a hash lookup is cheaper than a walk down the tree). */
  private terms = new Map<string, number[]>();
  /** The same lists by term in the radix tree, for prefix lookups; a term is added once, when first seen. */
  private tree = new SearchableMap<number[]>();
  /** By slot; undefined: trimmed, deleted, a change entry, or never held. */
  private docs: (ChatMessage | undefined)[] = [];
  /** By slot: how many terms its text added (what it leaves stale when it goes). */
  private counts: number[] = [];
  /** The seq of slot 0. */
  private base = 0;
  /** Slots below this are all empty. */
  private front = 0;
  /** Slot entries in `terms` that no longer describe a live message's text. */
  private stale = 0;
  private postings = 0;
  /** Live (searchable) messages. */
  size = 0;
  /** The newest seq applied (0: nothing yet: the next sync reads the whole retained window). */
  cursor = 0;
  /** When sync.ts last checked that the oldest message held is still in the store (ms). */
  probedAt = 0;

  /** The seq of the oldest live message, if any. */
  oldestSeq(): number | undefined {
    for (let slot = this.front; slot < this.docs.length; slot++) {
      if (this.docs[slot]) {
        this.front = slot;
        return this.base + slot;
      }
    }
    return undefined;
  }

  /**
   * Applies one entry of the conversation, in seq order: a message is added; an edit entry gives
   * its target the new text; a delete entry removes its target. Deleted messages and change entries
   * are never searchable themselves.
   */
  apply(entry: ChatMessage): void {
    if (entry.seq <= this.cursor) return;
    this.cursor = entry.seq;
    if (entry.change === 'edit') return this.edit(entry);
    if (entry.change === 'delete') {
      if (entry.target) this.remove(entry.target.seq, entry.target.id);
      return;
    }
    if (entry.change !== undefined || entry.deleted || entry.message === '') return;
    if (this.size === 0 || entry.seq - this.base >= this.docs.length + MAX_JUMP) this.clear(entry.seq);
    const slot = entry.seq - this.base;
    this.docs[slot] = entry;
    this.size++;
    this.index(entry.message, slot);
  }

  /** Forgets everything: the next sync reads the whole retained window again. */
  reset(): void {
    this.clear(0);
    this.cursor = 0;
  }

  /** Empties the index; the next message gets slot 0. */
  private clear(base: number): void {
    this.terms = new Map();
    this.tree = new SearchableMap();
    this.docs = [];
    this.counts = [];
    this.front = 0;
    this.stale = 0;
    this.postings = 0;
    this.size = 0;
    this.base = base;
  }

  /** Drops every message below `seq` (it fell out of the store's retained window). */
  trimBelow(seq: number): void {
    const end = Math.min(seq - this.base, this.docs.length);
    for (let slot = this.front; slot < end; slot++) this.drop(slot);
    if (end > this.front) this.front = end;
    this.maybeCompact();
  }

  /**
   * The messages matching every lookup, newest first (by seq). Candidates only: the caller checks
   * each against its text (stale or pair-only matches, see the module comment).
   */
  *candidates(lookups: readonly Lookup[]): Generator<ChatMessage> {
    if (this.size === 0 || lookups.length === 0) return;
    const words = (this.docs.length + 31) >>> 5;
    let acc: Uint32Array | undefined;
    for (const lookup of lookups) {
      const bits = this.bits(lookup, words);
      if (!bits) return;
      if (!acc) {
        acc = bits;
        continue;
      }
      let any = 0;
      for (let i = 0; i < words; i++) any |= acc[i]! &= bits[i]!;
      if (any === 0) return;
    }
    for (let i = words - 1; i >= 0; i--) {
      let w = acc![i]!;
      while (w !== 0) {
        const bit = 31 - Math.clz32(w);
        w &= ~(1 << bit);
        const doc = this.docs[i * 32 + bit];
        if (doc) yield doc;
      }
    }
  }

  /** The slots holding a lookup's terms as a bit set; undefined when none does. */
  private bits(lookup: Lookup, words: number): Uint32Array | undefined {
    const bits = new Uint32Array(words);
    let any = false;
    const set = (slots: readonly number[]) => {
      for (const slot of slots) bits[slot >>> 5]! |= 1 << (slot & 31);
      any ||= slots.length > 0;
    };
    if ('prefix' in lookup) {
      for (const slots of this.tree.atPrefix(lookup.prefix).values()) set(slots);
      return any ? bits : undefined;
    }
    // Every pair must occur: AND them here, as separate lookups would allocate a set each.
    for (const [i, pair] of lookup.pairs.entries()) {
      const slots = this.terms.get(pair);
      if (!slots) return undefined;
      if (i === 0) {
        set(slots);
        continue;
      }
      const one = new Uint32Array(words);
      for (const slot of slots) one[slot >>> 5]! |= 1 << (slot & 31);
      for (let k = 0; k < words; k++) bits[k]! &= one[k]!;
    }
    return any ? bits : undefined;
  }

  private index(text: string, slot: number): void {
    const terms = indexTerms(text);
    for (const term of terms) {
      const slots = this.terms.get(term);
      if (slots) {
        slots.push(slot);
        continue;
      }
      const fresh = [slot];
      this.terms.set(term, fresh);
      this.tree.set(term, fresh);
    }
    this.postings += terms.size;
    this.stale += this.counts[slot] ?? 0;
    this.counts[slot] = terms.size;
  }

  private edit(entry: ChatMessage): void {
    const ref = entry.target;
    if (!ref) return;
    const slot = ref.seq - this.base;
    const doc = this.docs[slot];
    if (!doc || doc.id !== ref.id) return;
    // The store's rule (stores/changes.ts), on a copy: the memory store changes its own objects in
    // place, and a copy we changed must not be one it still holds.
    const edited = { ...doc };
    if (!applyEdit(edited, entry)) return;
    this.docs[slot] = edited;
    this.index(edited.message, slot);
    this.maybeCompact();
  }

  private remove(seq: number, id: string): void {
    const slot = seq - this.base;
    if (this.docs[slot]?.id !== id) return;
    this.drop(slot);
    this.maybeCompact();
  }

  private drop(slot: number): void {
    const doc = this.docs[slot];
    if (!doc) return;
    this.docs[slot] = undefined;
    this.size--;
    this.stale += this.counts[slot] ?? 0;
    this.counts[slot] = 0;
  }

  /** Rebuilds the term lists from the live messages once half of what they hold is dead. */
  private maybeCompact(): void {
    const deadSlots = this.front;
    if (this.stale * 2 < this.postings + COMPACT_MIN && deadSlots * 2 < this.docs.length + COMPACT_MIN) return;
    const live = this.docs.filter((d): d is ChatMessage => d !== undefined);
    this.clear(live[0]?.seq ?? 0);
    for (const doc of live) {
      const slot = doc.seq - this.base;
      this.docs[slot] = doc;
      this.size++;
      this.index(doc.message, slot);
    }
  }
}

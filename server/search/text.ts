/**
 * How search reads text: folding (case and accents), words, and where a query matched.
 *
 * - **Folding.** NFKD, then nonspacing marks are dropped (é → e, ﬁ → fi, full-width Ａ → a), then NFC
 *   and lower case. The kana voicing marks are kept (NFC puts them back: が stays が, not か): in
 *   Japanese they make a different word, not an accent. Final sigma folds to σ, ß to ss.
 * - **Words** are runs of letters, digits and marks. A query word matches a word it is a prefix of.
 * - **Chinese and Japanese** are written without spaces, so a run of Han, hiragana or katakana is
 *   indexed as its overlapping character pairs (東京都 → 東京, 京都) plus its last character alone,
 *   and a query run matches where it occurs inside such a run: 京 finds 東京都, and so do 東京 and 京都.
 *   Every character starts a pair or is the last one, so a one-character query is a prefix lookup.
 *
 * The index is built from `fold` of the whole text; the ranges for highlighting are found again on
 * the hit's own text (`matchRanges`), folded character by character so each folded position knows
 * where it came from. That second pass is also the final word on whether the text matches: the pairs
 * of a longer query could all occur without the run itself, and an edited message may still be
 * listed under its old words until the index is compacted (conversation.ts).
 */

const ASCII = /^[\x00-\x7f]*$/;
// Nonspacing marks except the combining kana voicing marks (U+3099, U+309A).
const ACCENTS = /(?![\u3099\u309a])\p{Mn}/gu;
// A CJK character: Han, hiragana or katakana by Script_Extensions (so ー and 々 count), and a letter,
// digit or mark (so 、 and 。, which share those scripts, do not).
const CJK = String.raw`(?:(?=[\p{L}\p{N}\p{M}])[\p{scx=Han}\p{scx=Hira}\p{scx=Kana}])`;
const WORDCHAR = String.raw`(?:(?![\p{scx=Han}\p{scx=Hira}\p{scx=Kana}])[\p{L}\p{N}\p{M}])`;
/** Group 1: a CJK run; otherwise a word. */
const TOKEN = new RegExp(`(${CJK}+)|${WORDCHAR}+`, 'gu');
const ASCII_WORD = /[a-z0-9]+/g;
// One character with the marks that follow it (U+FF9E/F: the half-width voicing marks, which are letters).
const CLUSTER = /[\s\S][\p{M}\uff9e\uff9f]*/gu;

/** Case- and accent-insensitive form of `text` (see the module comment). */
export function fold(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(ACCENTS, '').normalize('NFC').toLowerCase().replace(/ς/g, 'σ').replace(/ß/g, 'ss');
}

export interface Token {
  text: string;
  /** UTF-16 offset in the folded text. */
  start: number;
  cjk: boolean;
}

/** The words and CJK runs of folded text, in order. */
export function tokens(folded: string): Token[] {
  const out: Token[] = [];
  if (ASCII.test(folded)) {
    for (const m of folded.matchAll(ASCII_WORD)) out.push({ text: m[0], start: m.index, cjk: false });
    return out;
  }
  for (const m of folded.matchAll(TOKEN)) out.push({ text: m[0], start: m.index, cjk: m[1] !== undefined });
  return out;
}

/** The index terms of a CJK run: its character pairs and its last character. */
function cjkTerms(run: string, into: Set<string>): void {
  const chars = Array.from(run);
  for (let i = 0; i + 1 < chars.length; i++) into.add(chars[i]! + chars[i + 1]!);
  into.add(chars[chars.length - 1]!);
}

/** The distinct index terms of a message's text. */
export function indexTerms(text: string): Set<string> {
  const terms = new Set<string>();
  const folded = fold(text);
  if (ASCII.test(folded)) {
    for (const w of folded.match(ASCII_WORD) ?? []) terms.add(w);
    return terms;
  }
  for (const t of tokens(folded)) {
    if (t.cjk) cjkTerms(t.text, terms);
    else terms.add(t.text);
  }
  return terms;
}

/** One word of a query, folded. */
export interface QueryWord {
  text: string;
  cjk: boolean;
}

/** A query's distinct words, in order (punctuation and spaces only separate them). */
export function parseQuery(query: string): QueryWord[] {
  const seen = new Set<string>();
  const words: QueryWord[] = [];
  for (const t of tokens(fold(query))) {
    if (seen.has(t.text)) continue;
    seen.add(t.text);
    words.push({ text: t.text, cjk: t.cjk });
  }
  return words;
}

/**
 * How the index looks a query word up: every term starting with `prefix`, or (a CJK run of two or
 * more characters) every one of `pairs`, exactly.
 */
export type Lookup = { prefix: string } | { pairs: string[] };

/**
 * The lookups that find a query's candidates. A word that is a prefix of another query word adds
 * nothing there (whatever the longer one matches, it matches too) and is left out; it still counts
 * for the ranges.
 */
export function lookups(words: readonly QueryWord[]): Lookup[] {
  const out: Lookup[] = [];
  for (const w of words) {
    if (!w.cjk) {
      if (!words.some((o) => o !== w && !o.cjk && o.text.length > w.text.length && o.text.startsWith(w.text))) out.push({ prefix: w.text });
      continue;
    }
    const chars = Array.from(w.text);
    if (chars.length === 1) out.push({ prefix: w.text });
    else out.push({ pairs: chars.slice(1).map((c, i) => chars[i]! + c) });
  }
  return out;
}

/** Folded text with, for each of its UTF-16 units, the range of the original it came from. */
interface Mapped {
  folded: string;
  from: number[];
  to: number[];
}

function foldMapped(text: string): Mapped {
  if (ASCII.test(text)) return { folded: text.toLowerCase(), from: [], to: [] };
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  for (const m of text.matchAll(CLUSTER)) {
    const piece = fold(m[0]);
    for (let i = 0; i < piece.length; i++) {
      from.push(m.index);
      to.push(m.index + m[0].length);
    }
    folded += piece;
  }
  return { folded, from, to };
}

/** Where each word occurs in folded text, as folded [start, end) ranges; undefined when one does not. */
function occurrences(folded: string, words: readonly QueryWord[]): Array<[number, number]> | undefined {
  const toks = tokens(folded);
  const found: Array<[number, number]> = [];
  for (const w of words) {
    let any = false;
    for (const t of toks) {
      if (t.cjk !== w.cjk) continue;
      if (!w.cjk) {
        if (t.text.startsWith(w.text)) {
          found.push([t.start, t.start + w.text.length]);
          any = true;
        }
        continue;
      }
      for (let at = t.text.indexOf(w.text); at >= 0; at = t.text.indexOf(w.text, at + w.text.length)) {
        found.push([t.start + at, t.start + at + w.text.length]);
        any = true;
      }
    }
    if (!any) return undefined;
  }
  return found;
}

/**
 * The [start, end) UTF-16 ranges of `text` where the query's words matched, sorted and merged; or
 * undefined when the text does not match every word (see the module comment).
 */
export function matchRanges(text: string, words: readonly QueryWord[]): Array<[number, number]> | undefined {
  if (words.length === 0) return undefined;
  const mapped = foldMapped(text);
  let found = occurrences(mapped.folded, words);
  if (!found) {
    // Folding piece by piece differs from folding the whole text only in rare sequences (half-width
    // kana with a separate voicing mark, Hangul written as loose jamo): the whole text decides then.
    if (mapped.folded === fold(text) || !occurrences(fold(text), words)) return undefined;
    found = [];
  }
  const identity = mapped.from.length === 0;
  const ranges = found.map(([s, e]): [number, number] => (identity ? [s, e] : [mapped.from[s]!, mapped.to[e - 1]!]));
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

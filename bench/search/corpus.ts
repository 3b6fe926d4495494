/**
 * Seeded chat text and queries for the search bench: the same seed gives the same corpus and the
 * same queries on every run, so runs compare.
 */
import type { ChatMessage } from '../../protocol/index';

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Roughly by frequency, so a Zipf-like pick (low indexes far more often) gives English-like text.
const COMMON = (
  'the i to you a and it is that of in for on we this be have me with so not do are but just can ' +
  'my at what if was will all get up no they your about know like now one there out think good ' +
  'going see how when today time then would yes ok need here could should more some make also ' +
  'did been from want right back let really still after been work thanks check new first last ' +
  'over where why who which them their our us an or as by had has him her she he its way well ' +
  'meeting tomorrow morning afternoon week later soon maybe sure please sorry great nice cool ' +
  'yeah lol fine done doing looks looking thing things people team call lunch coffee home office'
).split(' ');
const CHAT = (
  'deploy deployment build release relay server client branch merge review ticket bug fix test ' +
  'tests staging production rollback config database index query cache latency memory cpu disk ' +
  'network socket redis cluster instance backup restore migration schema docs design sprint demo ' +
  'roadmap budget invoice customer support incident outage alert dashboard metrics logs trace ' +
  'laptop keyboard monitor printer wifi password vpn calendar agenda slides report spreadsheet'
).split(' ');
const NAMES = 'Ana Ben Cy Dana Eli Farah Gus Hana Ivo Jun Kemal Lena Marta Nils Omar Priya Quinn Rosa Sven Tomoko Uli Vera Wen Xavi Yara Zoe'.split(' ');
const ACCENTED = 'café naïve résumé déjà Zürich São Müller crème brûlée Ångström façade jalapeño señor Łódź Ørsted Straße über'.split(' ');
const JAPANESE = [
  '明日の会議は十時からです',
  '東京都の天気は雨のようです',
  'リリースは来週の月曜日に延期します',
  'サーバーの再起動が終わりました',
  '資料を共有フォルダに置きました',
  'お疲れさまです、確認します',
  '京都への出張の予定を教えてください',
  'データベースのバックアップを取りました',
];
const EMOJI = ['🙂', '👍', '🎉', '😅', '🚀', '☕', '✅', '👀'];
const SYLLABLES = 'ka ri to mo ne su vo la pe ni zu an el or ix ub qua tre vin sol dar mek pol rus'.split(' ');

/** Made-up words, each used rarely: what makes "rare word" queries. */
function rareWords(random: () => number, n: number): string[] {
  const out = new Set<string>();
  while (out.size < n) {
    let w = '';
    const parts = 2 + Math.floor(random() * 3);
    for (let i = 0; i < parts; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    out.add(w);
  }
  return [...out];
}

let rare: string[] | undefined;

/** A Zipf-like pick: index ~ n × u³, so the first words come up far more often. */
function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() ** 3 * list.length)]!;
}

function word(random: () => number): string {
  const r = random();
  if (r < 0.72) return pick(random, COMMON);
  if (r < 0.86) return pick(random, CHAT);
  if (r < 0.91) return NAMES[Math.floor(random() * NAMES.length)]!;
  if (r < 0.93) return ACCENTED[Math.floor(random() * ACCENTED.length)]!;
  // From a generator of their own: the same list in every series of a run, whichever runs first.
  rare ??= rareWords(rng(7), 20_000);
  return rare[Math.floor(random() * rare.length)]!;
}

/** One chat message: 3–24 words, sometimes a question, an emoji, a number; a few are Japanese. */
export function makeText(random: () => number): string {
  if (random() < 0.03) return JAPANESE[Math.floor(random() * JAPANESE.length)]!;
  const n = 3 + Math.floor(random() ** 2 * 22);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(word(random));
  if (random() < 0.1) words.splice(Math.floor(random() * words.length), 0, String(Math.floor(random() * 1000)));
  let text = words.join(' ');
  text = text[0]!.toUpperCase() + text.slice(1);
  const end = random();
  text += end < 0.2 ? '?' : end < 0.3 ? '!' : end < 0.4 ? '.' : '';
  if (random() < 0.08) text += ` ${EMOJI[Math.floor(random() * EMOJI.length)]}`;
  return text;
}

export interface BenchQuery {
  kind: 'common' | 'rare' | 'prefix' | 'words';
  query: string;
}

const wordsOf = (m: ChatMessage) => m.message.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** `n` queries, a quarter of each kind; rare words, prefixes and word groups are taken from stored messages. */
export function makeQueries(random: () => number, messages: readonly ChatMessage[], n: number): BenchQuery[] {
  const any = () => messages[Math.floor(random() * messages.length)]!;
  const out: BenchQuery[] = [];
  for (let i = 0; out.length < n; i++) {
    switch (i % 4) {
      case 0:
        out.push({ kind: 'common', query: random() < 0.8 ? pick(random, COMMON) : pick(random, CHAT) });
        break;
      case 1: {
        // A word of some message that is neither common nor a chat word (made-up, a name, accented, Japanese).
        let w: string | undefined;
        while (!w) {
          const candidates = wordsOf(any()).filter((x) => !COMMON.includes(x.toLowerCase()) && !CHAT.includes(x.toLowerCase()) && !/^\d+$/.test(x));
          w = candidates[Math.floor(random() * candidates.length)];
        }
        out.push({ kind: 'rare', query: w });
        break;
      }
      case 2: {
        const words = wordsOf(any());
        const w = words[Math.floor(random() * words.length)] ?? 'the';
        out.push({ kind: 'prefix', query: w.slice(0, 1 + Math.floor(random() * 4)) });
        break;
      }
      default: {
        const words = wordsOf(any());
        const k = Math.min(words.length, 2 + Math.floor(random() * 2));
        const start = Math.floor(random() * Math.max(1, words.length - k + 1));
        out.push({ kind: 'words', query: words.slice(start, start + k).join(' ') });
      }
    }
  }
  return out;
}

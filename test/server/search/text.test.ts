/** Search text rules (server/search/text.ts): folding, words, CJK runs, and highlight ranges in the original text. */
import { describe, expect, it } from 'vitest';
import { fold, indexTerms, lookups, matchRanges, parseQuery } from '../../../server/search/text';

/** The parts of `text` a query highlights, or undefined when it does not match. */
function highlighted(text: string, query: string): string[] | undefined {
  return matchRanges(text, parseQuery(query))?.map(([s, e]) => text.slice(s, e));
}

describe('fold', () => {
  it('ignores case, accents and compatibility forms, and keeps kana voicing', () => {
    expect(fold('Crème Brûlée')).toBe('creme brulee');
    expect(fold('ﬁne ＡＢＣ １２')).toBe('fine abc 12');
    expect(fold('İstanbul Ångström')).toBe('istanbul angstrom');
    expect(fold('ΟΔΟΣ οδος')).toBe('οδοσ οδοσ');
    expect(fold('Straße')).toBe('strasse');
    // が is not か: the voicing mark makes another word in Japanese.
    expect(fold('が')).toBe('が');
    expect(fold('ｶﾞ')).toBe('ガ');
    expect(fold('한국')).toBe('한국');
  });
});

describe('index terms', () => {
  it('are the distinct folded words', () => {
    expect([...indexTerms('The cat, the CAT; café-au-lait 2024!')]).toEqual(['the', 'cat', 'cafe', 'au', 'lait', '2024']);
  });

  it('index a CJK run as its character pairs and its last character, apart from latin words and digits next to it', () => {
    expect([...indexTerms('東京都に行った。Tokyo2024年')]).toEqual(['東京', '京都', '都に', 'に行', '行っ', 'った', 'た', 'tokyo2024', '年']);
  });

  it('ignore punctuation and emoji', () => {
    expect([...indexTerms('🎉 — !!! ...')]).toEqual([]);
  });
});

describe('queries', () => {
  it('are split into distinct folded words; punctuation only separates them', () => {
    expect(parseQuery('  Crème, "creme"  brûlée! ')).toEqual([
      { text: 'creme', cjk: false },
      { text: 'brulee', cjk: false },
    ]);
    expect(parseQuery('?!  ')).toEqual([]);
  });

  it('look a word up by prefix, leaving out a word that another word extends', () => {
    expect(lookups(parseQuery('dep deploy d x'))).toEqual([{ prefix: 'deploy' }, { prefix: 'x' }]);
  });

  it('look a CJK run up by its pairs, or by prefix when it is one character', () => {
    expect(lookups(parseQuery('東京都 京'))).toEqual([{ pairs: ['東京', '京都'] }, { prefix: '京' }]);
  });
});

describe('matches and highlight ranges', () => {
  it('match every query word as the prefix of a word, case- and accent-insensitively', () => {
    expect(highlighted('Deployment is done, DEPLOY again', 'deploy')).toEqual(['Deploy', 'DEPLOY']);
    expect(highlighted('Crème brûlée for dessert', 'creme BRU')).toEqual(['Crème', 'brû']);
    expect(highlighted('a redeploy', 'deploy')).toBeUndefined();
    expect(highlighted('deploy on friday', 'deploy monday')).toBeUndefined();
  });

  it('give UTF-16 offsets in the original text, after emoji and accents', () => {
    const text = '👩‍👩‍👧 Ça va? déjà vu 😀 ça';
    const ranges = matchRanges(text, parseQuery('ca deja'))!;
    expect(ranges.map(([s, e]) => text.slice(s, e))).toEqual(['Ça', 'déjà', 'ça']);
    expect(ranges[0]![0]).toBe(9);
  });

  it('cover the whole original character a folded one came from', () => {
    expect(highlighted('ﬁnal ﬁsh', 'fi')).toEqual(['ﬁ', 'ﬁ']);
    expect(highlighted('Straße', 'strasse')).toEqual(['Straße']);
    // Decomposed accents: the marks belong to their letter.
    expect(highlighted('Cafe\u0301 noir', 'cafe')).toEqual(['Cafe\u0301']);
  });

  it('find Japanese inside a run of text without spaces, and not its pairs apart', () => {
    expect(highlighted('明日は東京都に行きます', '東京都')).toEqual(['東京都']);
    expect(highlighted('明日は東京都に行きます', '京')).toEqual(['京']);
    expect(highlighted('明日は東京都に行きます', '行き 明日')).toEqual(['明日', '行き']);
    expect(highlighted('東京と京都', '東京都')).toBeUndefined();
    expect(highlighted('カタカナ', 'ｶﾀｶﾅ')).toEqual(['カタカナ']);
  });

  it('merge overlapping ranges, and never match an empty query', () => {
    expect(matchRanges('deployment', parseQuery('dep deploy'))).toEqual([[0, 6]]);
    expect(matchRanges('anything', [])).toBeUndefined();
  });
});

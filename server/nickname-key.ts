/**
 * Which displayed nicknames count as "the same person" for uniqueness, from Unicode's confusables
 * data (UTS #39, through the unhomoglyph package) instead of a hand-kept map. The skeleton is case
 * sensitive (capital I is confusable with l, small i is not), so the name is upper-cased first, then
 * skeletonised (Greek Η → H), folded to lower case, and skeletonised again (m → rn), with NFD around
 * each step as UTS #39 asks; NFKC and default ignorables first, whitespace collapsed last.
 * `ALICE`, `ａｌｉｃｅ`, `аlice` (Cyrillic), `ΗAL`/`HAL`, `a1ice` and `rnax`/`max` collide.
 */
import unhomoglyph from 'unhomoglyph';
import { NICKNAME_MAX, NICKNAME_MAX_UTF16 } from '../protocol/index';

const IGNORABLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800\u3164\uFFA0\u115F\u1160]/gu;
// A dot above i or j is invisible (`ali\u0307ce`, and `İ`, which is I + U+0307 decomposed).
const DOT_ABOVE = /([ijIJ])\u0307+/g;

const skeleton = (text: string): string => unhomoglyph(text.normalize('NFD')).normalize('NFD');

export function nicknameKey(nickname: string): string {
  const plain = nickname.normalize('NFKC').replace(IGNORABLE, '').normalize('NFD').replace(DOT_ABOVE, '$1');
  const folded = skeleton(plain.toUpperCase()).toLowerCase();
  return skeleton(folded).normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** How many "-2", "-3", … names a user renamed after a conflict may be given (see `nicknameAlternatives`). */
const ALTERNATIVES = 20;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Free-to-try names for a user whose nickname turned out to be taken (claimed on another instance
 * while Redis was unreachable): `bob-2` … `bob-21`, the base shortened by whole characters so each
 * stays a valid nickname, each with its uniqueness key.
 */
export function nicknameAlternatives(nickname: string): { name: string; key: string }[] {
  const chars = [...graphemes.segment(nickname)].map((g) => g.segment);
  const out: { name: string; key: string }[] = [];
  for (let n = 2; n < 2 + ALTERNATIVES; n++) {
    const suffix = `-${n}`;
    let base = chars.slice(0, NICKNAME_MAX - suffix.length).join('');
    while (base.length + suffix.length > NICKNAME_MAX_UTF16) base = [...graphemes.segment(base)].slice(0, -1).map((g) => g.segment).join('');
    const name = `${base.trimEnd()}${suffix}`;
    out.push({ name, key: nicknameKey(name) });
  }
  return out;
}

/**
 * Which displayed nicknames count as "the same person" for uniqueness, from Unicode's confusables
 * data (UTS #39, through the unhomoglyph package) instead of a hand-kept map. The skeleton is case
 * sensitive (capital I is confusable with l, small i is not), so the name is upper-cased first, then
 * skeletonised (Greek Η → H), folded to lower case, and skeletonised again (m → rn), with NFD around
 * each step as UTS #39 asks; NFKC and default ignorables first, whitespace collapsed last.
 * `ALICE`, `ａｌｉｃｅ`, `аlice` (Cyrillic), `ΗAL`/`HAL`, `a1ice` and `rnax`/`max` collide.
 */
import unhomoglyph from 'unhomoglyph';

const IGNORABLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800\u3164\uFFA0\u115F\u1160]/gu;
// A dot above i or j is invisible (`ali\u0307ce`, and `İ`, which is I + U+0307 decomposed).
const DOT_ABOVE = /([ijIJ])\u0307+/g;

const skeleton = (text: string): string => unhomoglyph(text.normalize('NFD')).normalize('NFD');

export function nicknameKey(nickname: string): string {
  const plain = nickname.normalize('NFKC').replace(IGNORABLE, '').normalize('NFD').replace(DOT_ABOVE, '$1');
  const folded = skeleton(plain.toUpperCase()).toLowerCase();
  return skeleton(folded).normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * Nickname rules. Pure functions with no dependencies so the UI can give the same answer as the relay.
 *
 * Two different questions:
 *  - `cleanNickname`: is this acceptable as a display name, and what exactly do we display?
 *  - `nicknameKey`:   which displayed names count as "the same person" for uniqueness?
 *    `ALICE`, `Alice`, `ａｌｉｃｅ` (full width) and `аlice` (Cyrillic а) all share the key of `alice`.
 */
import { NICKNAME_MAX, NICKNAME_MAX_UTF16, NICKNAME_MIN } from './limits';

export type NicknameResult = { ok: true; nickname: string } | { ok: false; reason: string };

// Control characters, surrogates, private use and unassigned code points are never part of a name.
const FORBIDDEN = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}]/u;
// Invisible characters can disguise a name: format characters (bidi overrides, zero-width spaces,
// BOM) and the other default-ignorable code points (Hangul fillers, combining grapheme joiner).
// Emoji need a few of them: ZWJ (👩‍💻), variation selectors (❤️) and tag characters (subdivision flags).
// eslint-disable-next-line no-misleading-character-class -- ZWJ and variation selectors are listed on purpose, as exceptions
const INVISIBLE = /(?![\u200D\uFE00-\uFE0F\u{E0020}-\u{E007F}])[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
// Characters that are letters or symbols by category but render as blank space.
const BLANKS = /[\u2800\u3164\uFFA0\u115F\u1160]/u;
// Line and paragraph separators would break a one-line name.
const SEPARATORS = /[\u2028\u2029]/u;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}\p{M}]/u;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Number of user-perceived characters. */
export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/** Validates and canonicalises a nickname for display (NFC, trimmed, inner whitespace collapsed). */
export function cleanNickname(input: unknown): NicknameResult {
  if (typeof input !== 'string') return { ok: false, reason: 'Nickname must be text.' };
  if (input.length > NICKNAME_MAX_UTF16 * 4) return { ok: false, reason: `Nickname is longer than ${NICKNAME_MAX} characters.` };
  if (FORBIDDEN.test(input) || SEPARATORS.test(input)) {
    return { ok: false, reason: 'Nickname contains control or invisible characters.' };
  }
  if (INVISIBLE.test(input) || BLANKS.test(input)) return { ok: false, reason: 'Nickname contains invisible characters.' };
  const nickname = input.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (nickname.length === 0) return { ok: false, reason: 'Nickname is empty.' };
  if (!VISIBLE.test(nickname)) return { ok: false, reason: 'Nickname has no visible characters.' };
  const length = graphemeLength(nickname);
  if (length < NICKNAME_MIN || length > NICKNAME_MAX || nickname.length > NICKNAME_MAX_UTF16) {
    return { ok: false, reason: `Nickname must be ${NICKNAME_MIN}–${NICKNAME_MAX} characters.` };
  }
  return { ok: true, nickname };
}

/**
 * Capital letters that look like a different Latin capital than their lower case suggests (Greek
 * Eta Η looks like H, but η maps to n), so they are mapped before case folding.
 */
const CAPITAL_CONFUSABLES: Record<string, string> = {
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
  А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x', Ѕ: 's', І: 'i', Ј: 'j',
};

/**
 * Cherokee capitals drawn like Latin capitals (UTS #39): `ᎪᏞᏆᏟᎬ`-style names. Case folding turns them
 * into Cherokee small letters, so they are looked up by their capital form, before folding.
 */
const CHEROKEE_CONFUSABLES: Record<string, string> = {
  Ꭺ: 'a', Ᏼ: 'b', Ꮯ: 'c', Ꭰ: 'd', Ꭼ: 'e', Ꮐ: 'g', Ꮋ: 'h', Ꭻ: 'j', Ꮶ: 'k', Ꮮ: 'l', Ꮇ: 'm', Ꮲ: 'p', Ꮪ: 's',
  Ꭲ: 't', Ꮩ: 'v', Ꮃ: 'w', Ꮓ: 'z',
};

/**
 * Look-alikes that NFKC leaves distinct. A curated subset of Unicode's confusables (UTS #39) covering
 * the scripts people actually use to impersonate Latin names: Cyrillic, Greek, Armenian, plus the
 * digit/letter pairs. Keys are already lower case.
 */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p',
  с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ѡ: 'w', ӏ: 'l', ɡ: 'g', ү: 'y', ь: 'b',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  γ: 'y', ϲ: 'c', ϳ: 'j',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', ց: 'g',
  // Latin look-alikes and digits
  ɑ: 'a', ı: 'i', ȷ: 'j', ℓ: 'l', '0': 'o', '1': 'l', '|': 'l', '5': 's',
};

/**
 * The uniqueness key: NFKC, full case folding (via upper-then-lower, which maps ß to ss), default
 * ignorables removed, confusables mapped to their Latin skeleton, whitespace collapsed.
 * Two nicknames with the same key cannot be present at the same time.
 */
export function nicknameKey(nickname: string): string {
  let capitals = '';
  for (const ch of nickname.normalize('NFKC')) capitals += CAPITAL_CONFUSABLES[ch] ?? CHEROKEE_CONFUSABLES[ch.toUpperCase()] ?? ch;
  const folded = capitals.toUpperCase().toLowerCase().normalize('NFKC');
  let out = '';
  for (const ch of folded.replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800\u3164\uFFA0\u115F\u1160]/gu, '')) out += CONFUSABLES[ch] ?? ch;
  // A dot above i or j is invisible (`ali\u0307ce`, and `İ`, which folds to i + U+0307): drop it.
  // 'rn' reads as 'm', 'vv' as 'w': map the pairs UTS #39 lists for Latin.
  return out.replace(/([ij])\u0307+/g, '$1').replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/\s+/gu, ' ').trim();
}

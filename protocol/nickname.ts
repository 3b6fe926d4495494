/**
 * Nickname rules. Pure functions with no dependencies so the UI can give the same answer as the relay.
 *
 * `cleanNickname` answers: is this acceptable as a display name, and what exactly do we display?
 * Which names count as the same person is the relay's question (server/chat/nickname-key.ts, on
 * Unicode's confusables data, which the UI does not need to carry).
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
// A mark needs something to sit on: a name of marks alone shows as stray accents over whatever is next to it.
const BASE = /[\p{L}\p{N}\p{P}\p{S}]/u;
// Real scripts stack two or three marks on a letter (Vietnamese ễ, Devanagari); more is "zalgo" text
// that spills over the lines around it.
const MAX_MARKS_PER_CHARACTER = 4;

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
  if (!BASE.test(nickname)) return { ok: false, reason: 'Nickname needs a letter, digit or symbol, not only accents.' };
  for (const { segment } of segmenter.segment(nickname)) {
    if ((segment.normalize('NFD').match(/\p{M}/gu)?.length ?? 0) > MAX_MARKS_PER_CHARACTER) {
      return { ok: false, reason: `Nickname stacks more than ${MAX_MARKS_PER_CHARACTER} accents on one character.` };
    }
  }
  const length = graphemeLength(nickname);
  if (length < NICKNAME_MIN || length > NICKNAME_MAX || nickname.length > NICKNAME_MAX_UTF16) {
    return { ok: false, reason: `Nickname must be ${NICKNAME_MIN}–${NICKNAME_MAX} characters.` };
  }
  return { ok: true, nickname };
}

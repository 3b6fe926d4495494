/**
 * Nickname rules: what may be displayed (cleanNickname). The relay and the UI both rely on it giving
 * one answer. Which names count as the same person: test/server/nickname-key.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { cleanNickname, graphemeLength, NICKNAME_MAX, NICKNAME_MAX_UTF16 } from '../../protocol/index';

/** The accepted nickname, failing the test with the reason when it was refused. */
function accepted(input: unknown): string {
  const result = cleanNickname(input);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to be accepted, got: ${result.reason}`);
  return result.nickname;
}

function refused(input: unknown): string {
  const result = cleanNickname(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${JSON.stringify(result.nickname)}`);
  expect(result.reason).toMatch(/\S/); // the UI shows the reason, so it must say something
  return result.reason;
}

describe('cleanNickname', () => {
  it('accepts a plain name unchanged', () => {
    expect(cleanNickname('Ana')).toEqual({ ok: true, nickname: 'Ana' });
  });

  it('trims leading and trailing whitespace, including non-ASCII spaces', () => {
    expect(accepted('  Ana  ')).toBe('Ana');
    expect(accepted('\u00A0Ana\u3000')).toBe('Ana'); // NBSP, ideographic space
  });

  it('collapses runs of inner whitespace to one ASCII space', () => {
    expect(accepted('Ana    Maria')).toBe('Ana Maria');
    expect(accepted('Ana\u00A0\u3000 Maria')).toBe('Ana Maria');
  });

  it('normalises to NFC so decomposed and composed input display the same', () => {
    const decomposed = 'Rene\u0301'; // e + COMBINING ACUTE
    expect(decomposed).not.toBe('Ren\u00E9');
    expect(accepted(decomposed)).toBe('Ren\u00E9');
  });

  it('refuses control characters, including tab, newline, NUL and DEL', () => {
    for (const bad of ['Ana\tMaria', 'Ana\nMaria', 'Ana\rMaria', 'Ana\u0000', 'Ana\u007F', '\u0085Ana']) refused(bad);
  });

  it('refuses line and paragraph separators', () => {
    refused('Ana\u2028Maria');
    refused('Ana\u2029Maria');
  });

  it('refuses bidi overrides and isolates, which can disguise a name', () => {
    for (const ch of ['\u202E', '\u202D', '\u202A', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F']) {
      expect(refused(`Ana${ch}xyz`)).toMatch(/invisible/i);
    }
  });

  it('refuses zero-width and other invisible format characters', () => {
    for (const ch of ['\u200B', '\u200C', '\u2060', '\uFEFF', '\u00AD']) refused(`An${ch}a`);
    refused('\u200B'); // nothing but a zero-width space
  });

  it('refuses lone surrogates and private-use characters', () => {
    refused('Ana\uD800');
    refused('Ana\uDC00x');
    refused('Ana\uE000');
  });

  it('allows ZWJ inside emoji sequences', () => {
    const coder = '\u{1F469}\u200D\u{1F4BB}'; // woman technologist
    expect(accepted(coder)).toBe(coder);
    expect(accepted(`Ana ${coder}`)).toBe(`Ana ${coder}`);
  });

  it('refuses a name that is only whitespace, or empty', () => {
    expect(refused('')).toMatch(/empty/i);
    expect(refused('   ')).toMatch(/empty/i);
    expect(refused('\u00A0\u3000')).toMatch(/empty/i);
  });

  it('refuses a name made only of ZWJ, which has nothing visible', () => {
    refused('\u200D');
    refused('\u200D\u200D');
  });

  // Blank-looking names (Hangul filler is a default-ignorable code point that renders as nothing) let
  // someone appear nameless in the user list; the "no visible characters" check exists to stop that.
  it('refuses a name made only of Hangul filler, which renders as nothing', () => {
    refused('\u3164');
    refused('\u3164\u3164\u3164');
  });

  it('counts length in grapheme clusters: 1 and 32 are accepted, 33 is not', () => {
    expect(accepted('x')).toBe('x');
    expect(accepted('x'.repeat(NICKNAME_MAX))).toHaveLength(NICKNAME_MAX);
    refused('x'.repeat(NICKNAME_MAX + 1));
  });

  it('counts an emoji ZWJ sequence or an accented letter as one character', () => {
    const coder = '\u{1F469}\u200D\u{1F4BB}';
    expect(coder.length).toBe(5);
    expect(accepted(coder.repeat(NICKNAME_MAX))).toBe(coder.repeat(NICKNAME_MAX));
    refused(coder.repeat(NICKNAME_MAX + 1));
    // 32 decomposed é become 32 composed ones: 64 UTF-16 units in, 32 characters out.
    expect(accepted('e\u0301'.repeat(NICKNAME_MAX))).toBe('\u00E9'.repeat(NICKNAME_MAX));
  });

  it('measures length after trimming and collapsing', () => {
    expect(accepted(`  ${'x'.repeat(NICKNAME_MAX)}  `)).toBe('x'.repeat(NICKNAME_MAX));
    // 16 + 1 + 15 = 32 characters once the run of spaces is collapsed.
    expect(accepted(`${'x'.repeat(16)}      ${'y'.repeat(15)}`)).toHaveLength(NICKNAME_MAX);
  });

  it('refuses a single character carrying hundreds of combining marks (UTF-16 bound)', () => {
    const zalgo = 'a' + '\u0301\u0300'.repeat(NICKNAME_MAX_UTF16); // one grapheme, 513 code units
    expect(graphemeLength(zalgo)).toBe(1);
    refused(zalgo);
  });

  it('refuses absurdly long input before doing any work on it', () => {
    expect(refused('x'.repeat(100_000))).toMatch(/longer/i);
  });

  it('refuses anything that is not a string', () => {
    for (const bad of [undefined, null, 42, true, {}, ['Ana'], { toString: () => 'Ana' }]) {
      expect(refused(bad)).toMatch(/text/i);
    }
  });
});

describe('graphemeLength', () => {
  it('counts user-perceived characters', () => {
    expect(graphemeLength('')).toBe(0);
    expect(graphemeLength('abc')).toBe(3);
    expect(graphemeLength('e\u0301')).toBe(1);
    expect(graphemeLength('\u{1F469}\u200D\u{1F4BB}')).toBe(1);
    expect(graphemeLength('\u{1F1EB}\u{1F1F7}')).toBe(1); // flag: two regional indicators
  });
});

describe('combining marks', () => {
  it('refuses a name made only of combining marks', () => {
    for (const name of ['\u0301', '\u0301\u0302\u0303', '\u0301 \u0308']) expect(cleanNickname(name).ok, JSON.stringify(name)).toBe(false);
  });

  it('refuses a character stacked with more than four marks (zalgo), and accepts real accents', () => {
    expect(cleanNickname(`a${'\u0301\u0316'.repeat(3)}`).ok).toBe(false);
    expect(cleanNickname(`bob${'\u0336'.repeat(12)}`).ok).toBe(false);
    for (const name of ['Nguyễn', 'Ngu\u0079\u0065\u0302\u0303n', 'क्षत्रिय', 'Zoë', 'Ærø', 'ả\u0323']) {
      expect(cleanNickname(name).ok, name).toBe(true);
    }
  });
});

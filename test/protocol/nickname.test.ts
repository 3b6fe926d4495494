/**
 * Nickname rules: what may be displayed (cleanNickname) and which names count as the same person
 * (nicknameKey). The relay and the UI both rely on these giving one answer.
 */
import { describe, expect, it } from 'vitest';
import { cleanNickname, graphemeLength, NICKNAME_MAX, NICKNAME_MAX_UTF16, nicknameKey } from '../../protocol/index';

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

describe('nicknameKey', () => {
  it('is case-insensitive', () => {
    expect(nicknameKey('ALICE')).toBe('alice');
    expect(nicknameKey('Alice')).toBe(nicknameKey('aLiCe'));
  });

  it('uses full case folding: ß and SS compare equal', () => {
    expect(nicknameKey('Straße')).toBe('strasse');
    expect(nicknameKey('STRASSE')).toBe(nicknameKey('straße'));
  });

  it('applies NFKC: full-width letters match ASCII', () => {
    expect(nicknameKey('\uFF41\uFF4C\uFF49\uFF43\uFF45')).toBe('alice'); // ａｌｉｃｅ
    expect(nicknameKey('\uFF21\uFF2C\uFF29\uFF23\uFF25')).toBe('alice'); // ＡＬＩＣＥ
  });

  it('treats composed and decomposed accents as the same name', () => {
    expect(nicknameKey('Ren\u00E9')).toBe(nicknameKey('Rene\u0301'));
  });

  it('maps Cyrillic look-alikes to the Latin skeleton', () => {
    expect(nicknameKey('\u0430lice')).toBe('alice'); // Cyrillic а
    expect(nicknameKey('\u0440\u0430\u0443l')).toBe(nicknameKey('payl')); // рау
    expect(nicknameKey('\u0410LICE')).toBe('alice'); // capital Cyrillic А folds to а, then to a
    expect(nicknameKey('\u041C\u0430\u0445')).toBe('max'); // Мах
  });

  it('maps Greek look-alikes to the Latin skeleton', () => {
    expect(nicknameKey('\u03B1lice')).toBe('alice'); // Greek α
    expect(nicknameKey('\u0391LICE')).toBe('alice'); // Greek capital Α
    expect(nicknameKey('\u03A1aul')).toBe('paul'); // Greek capital Ρ
    expect(nicknameKey('b\u03BFb')).toBe('bob'); // Greek ο
  });

  // Display keeps case, so "ΗAL" (Greek capital Eta) and "ΝICK" (Greek capital Nu) look exactly like
  // "HAL" and "NICK"; the key lowercases first, and η/ν then map to n/v instead of h/n.
  it('maps Greek capitals that look like Latin capitals to the same key', () => {
    expect(nicknameKey('\u0397AL')).toBe(nicknameKey('HAL'));
    expect(nicknameKey('\u039DICK')).toBe(nicknameKey('NICK'));
  });

  it('maps digit/letter look-alikes', () => {
    expect(nicknameKey('b0b')).toBe(nicknameKey('bob'));
    expect(nicknameKey('a1ice')).toBe(nicknameKey('alice'));
    expect(nicknameKey('5am')).toBe(nicknameKey('sam'));
  });

  it("maps 'rn' to 'm' and 'vv' to 'w'", () => {
    expect(nicknameKey('rnax')).toBe(nicknameKey('max'));
    expect(nicknameKey('vvill')).toBe(nicknameKey('will'));
  });

  it('drops format characters such as ZWJ and zero-width space', () => {
    expect(nicknameKey('ali\u200Dce')).toBe('alice');
    expect(nicknameKey('ali\u200Bce')).toBe('alice');
  });

  // The function documents "default ignorables removed", and cleanNickname lets these through, so
  // without removal "alice" followed by an invisible character could join next to "alice".
  // Either refused outright by cleanNickname, or (emoji presentation selectors, which it must
  // accept) ignored by the key: an invisible suffix never makes a second "alice".
  it.each([
    ['U+034F COMBINING GRAPHEME JOINER', '\u034F'],
    ['U+3164 HANGUL FILLER', '\u3164'],
    ['U+2800 BRAILLE PATTERN BLANK', '\u2800'],
  ])('refuses a name with the invisible %s', (_name, invisible) => {
    expect(cleanNickname(`alice${invisible}`).ok).toBe(false);
    expect(cleanNickname(invisible).ok).toBe(false);
    expect(nicknameKey(`alice${invisible}`)).toBe(nicknameKey('alice'));
  });

  it('accepts but ignores an emoji variation selector in the key', () => {
    expect(cleanNickname('alice\uFE0F').ok).toBe(true);
    expect(nicknameKey('alice\uFE0F')).toBe(nicknameKey('alice'));
  });

  it('collapses and trims whitespace', () => {
    expect(nicknameKey('  Ana   Maria ')).toBe('ana maria');
    expect(nicknameKey('Ana\u3000Maria')).toBe(nicknameKey('Ana Maria'));
  });

  it('keeps genuinely different names distinct', () => {
    const names = ['bob', 'rob', 'bab', 'bobby', 'alice', 'alicia', 'ana', 'anna', 'max', 'mia', 'Ana Maria', 'AnaMaria', 'jo', 'joe'];
    const keys = names.map(nicknameKey);
    expect(new Set(keys).size).toBe(names.length);
    expect(nicknameKey('bob')).not.toBe(nicknameKey('rob'));
  });

  it('keeps names in non-Latin scripts intact rather than erasing them', () => {
    expect(nicknameKey('Мария')).not.toBe(nicknameKey('Ирина'));
    expect(nicknameKey('太郎')).toBe('太郎');
  });

  it('is stable: the key of a key is the key', () => {
    for (const name of ['ALICE', 'Straße', '\uFF41lice', '\u0430lice', 'rnax', 'Ana  Maria']) {
      const key = nicknameKey(name);
      expect(nicknameKey(key)).toBe(key);
    }
  });
});

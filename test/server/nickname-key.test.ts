/**
 * The nickname uniqueness key (server/nickname-key.ts): which displayed names count as the same
 * person. Built on Unicode's confusables data, so the expectations compare names with each other.
 */
import { describe, expect, it } from 'vitest';
import { cleanNickname } from '../../protocol/index';
import { nicknameAlternatives, nicknameKey } from '../../server/nickname-key';

describe('nicknameKey', () => {
  it('is case-insensitive', () => {
    expect(nicknameKey('ALICE')).toBe(nicknameKey('alice'));
    expect(nicknameKey('Alice')).toBe(nicknameKey('aLiCe'));
  });

  it('uses full case folding: ß and SS compare equal', () => {
    expect(nicknameKey('Straße')).toBe(nicknameKey('strasse'));
    expect(nicknameKey('STRASSE')).toBe(nicknameKey('straße'));
  });

  it('applies NFKC: full-width letters match ASCII', () => {
    expect(nicknameKey('\uFF41\uFF4C\uFF49\uFF43\uFF45')).toBe(nicknameKey('alice')); // ａｌｉｃｅ
    expect(nicknameKey('\uFF21\uFF2C\uFF29\uFF23\uFF25')).toBe(nicknameKey('alice')); // ＡＬＩＣＥ
  });

  it('treats composed and decomposed accents as the same name', () => {
    expect(nicknameKey('Ren\u00E9')).toBe(nicknameKey('Rene\u0301'));
  });

  it('maps Cyrillic look-alikes to the Latin skeleton', () => {
    expect(nicknameKey('\u0430lice')).toBe(nicknameKey('alice')); // Cyrillic а
    expect(nicknameKey('\u0440\u0430\u0443l')).toBe(nicknameKey('payl')); // рау
    expect(nicknameKey('\u0410LICE')).toBe(nicknameKey('alice')); // capital Cyrillic А
    expect(nicknameKey('\u041C\u0430\u0445')).toBe(nicknameKey('max')); // Мах
  });

  it('maps Greek look-alikes to the Latin skeleton', () => {
    expect(nicknameKey('\u03B1lice')).toBe(nicknameKey('alice')); // Greek α
    expect(nicknameKey('\u0391LICE')).toBe(nicknameKey('alice')); // Greek capital Α
    expect(nicknameKey('\u03A1aul')).toBe(nicknameKey('paul')); // Greek capital Ρ
    expect(nicknameKey('b\u03BFb')).toBe(nicknameKey('bob')); // Greek ο
  });

  // Display keeps case, so "ΗAL" (Greek capital Eta) and "ΝICK" (Greek capital Nu) look exactly like
  // "HAL" and "NICK"; the key lowercases first, and η/ν then map to n/v instead of h/n.
  it('maps Greek capitals that look like Latin capitals to the same key', () => {
    expect(nicknameKey('\u0397AL')).toBe(nicknameKey('HAL'));
    expect(nicknameKey('\u039DICK')).toBe(nicknameKey('NICK'));
  });

  it('maps the digit/letter look-alikes UTS #39 lists (0/o, 1/l/I), and only those', () => {
    expect(nicknameKey('b0b')).toBe(nicknameKey('bob'));
    expect(nicknameKey('a1ice')).toBe(nicknameKey('alice'));
    expect(nicknameKey('aIice')).toBe(nicknameKey('alice'));
    // The hand-kept map also folded 5 into s; Unicode's data does not, and the data decides now.
    expect(nicknameKey('5am')).not.toBe(nicknameKey('sam'));
  });

  it("maps 'rn' to 'm', as Unicode's data does", () => {
    expect(nicknameKey('rnax')).toBe(nicknameKey('max'));
  });

  it('drops format characters such as ZWJ and zero-width space', () => {
    expect(nicknameKey('ali\u200Dce')).toBe(nicknameKey('alice'));
    expect(nicknameKey('ali\u200Bce')).toBe(nicknameKey('alice'));
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
    expect(nicknameKey('  Ana   Maria ')).toBe(nicknameKey('Ana Maria'));
    expect(nicknameKey('  Ana   Maria ')).toMatch(/^\S.*\S$/);
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

describe('nicknameAlternatives', () => {
  it('offers name-2 … name-21, each a valid nickname with its own key', () => {
    const alts = nicknameAlternatives('bob');
    expect(alts.map((a) => a.name).slice(0, 3)).toEqual(['bob-2', 'bob-3', 'bob-4']);
    expect(alts).toHaveLength(20);
    expect(new Set(alts.map((a) => a.key)).size).toBe(20);
    for (const a of alts) expect(a.key).toBe(nicknameKey(a.name));
  });

  it('shortens a long base by whole characters so every alternative stays within the limits', () => {
    for (const long of ['x'.repeat(32), '👩‍👩‍👧‍👦'.repeat(23), 'e\u0301'.repeat(32), 'ab '.repeat(10) + 'cd']) {
      const base = cleanNickname(long);
      expect(base.ok).toBe(true);
      for (const a of nicknameAlternatives(base.ok ? base.nickname : '')) expect(cleanNickname(a.name)).toEqual({ ok: true, nickname: a.name });
    }
  });
});

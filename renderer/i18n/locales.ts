/**
 * The languages Parley's UI speaks, which one a browser or OS asks for, and how each is written.
 * Pure functions over the list: no DOM, no storage, so the Node tests can run them.
 */

/** Every language with a catalogue in ./locales/<code>.json. English is the source and the fallback. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Chromium's pseudo-locale (`--lang=en-XA`): English with every catalogue value marked and accented
 * (pseudo.ts). Never offered in settings; the pseudo-locale test selects it to find text that did not
 * come from a catalogue.
 */
export const PSEUDO_LOCALE = 'en-XA';
export type Locale = Language | typeof PSEUDO_LOCALE;

export const SOURCE_LANGUAGE: Language = 'en';

const RIGHT_TO_LEFT: ReadonlySet<string> = new Set<Language>(['ar']);

export function isLocale(value: unknown): value is Locale {
  return value === PSEUDO_LOCALE || (LANGUAGES as readonly unknown[]).includes(value);
}

export function direction(locale: Locale): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr';
}

/**
 * The first of the user's preferred languages (navigator.languages, best first) that Parley has, by
 * primary subtag: "de-AT" gets German, "pt-BR" is skipped. The pseudo-locale only on an exact request.
 */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    if (tag.toLowerCase() === PSEUDO_LOCALE.toLowerCase()) return PSEUDO_LOCALE;
    const primary = tag.split(/[-_]/)[0]?.toLowerCase();
    const found = LANGUAGES.find((l) => l === primary);
    if (found) return found;
  }
  return SOURCE_LANGUAGE;
}

/**
 * The locale for Intl's dates and numbers: the user's own regional tag when it is the UI's language
 * (an "en-GB" system formats 24-hour times even though the catalogue is plain "en"), else the UI's.
 */
export function formattingLocale(locale: Locale, preferred: readonly string[]): string {
  if (locale === PSEUDO_LOCALE) return 'en';
  const regional = preferred.find((tag) => tag.split(/[-_]/)[0]?.toLowerCase() === locale);
  if (!regional) return locale;
  try {
    return Intl.getCanonicalLocales(regional.replace(/_/g, '-'))[0] ?? locale;
  } catch {
    return locale;
  }
}

/**
 * A language's name in that language ("Deutsch", "日本語"), as a language menu lists them so a user
 * can find their own whatever the UI shows now. Intl knows them; the first letter is capitalised as
 * a menu entry is ("Français", not the "français" of running text).
 */
export function autonym(language: Language): string {
  let name: string = language;
  try {
    name = new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
  } catch {
    /* an engine without DisplayNames: the code itself is still recognisable */
  }
  return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
}

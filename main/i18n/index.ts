/**
 * The main process's own words (tray menu and tooltip, notices about the settings file, ignored
 * parley:// links) in the OS's language: Electron's app.getLocale(), which the shell passes in once
 * the app is ready. The page has its own catalogues (renderer/i18n/): the folders may not import each
 * other, and main needs only these few messages. Same library (i18next) and the same rules: English
 * is the source, the other languages mirror its keys (test/main/i18n/catalogues.test.ts), plural
 * forms come from Intl.PluralRules.
 */
import i18next from 'i18next';
import ar from './locales/ar.json' with { type: 'json' };
import de from './locales/de.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import es from './locales/es.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };
import ja from './locales/ja.json' with { type: 'json' };

/** Bundled whole: together they are smaller than one renderer catalogue, and main starts once. */
export const MAIN_CATALOGUES = { en, de, fr, es, ja, ar } as const;
export type MainLanguage = keyof typeof MAIN_CATALOGUES;

type PluralSuffix = `_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}`;
type WithoutPlural<K extends string> = K extends `${infer Base}${PluralSuffix}` ? Base : K;
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${WithoutPlural<K>}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
export type MainMessageKey = Leaves<typeof en>;

/** A message of main's catalogue, placeholders filled; `count` picks the plural form. */
export type Translate = (key: MainMessageKey, params?: Record<string, string | number>) => string;

/** "de-AT" → de, "pt-BR" → en: the OS locale's language when Parley has it, else English. */
export function mainLanguage(locale: string): MainLanguage {
  const primary = locale.split(/[-_]/)[0]?.toLowerCase() ?? '';
  return primary in MAIN_CATALOGUES ? (primary as MainLanguage) : 'en';
}

export function createTranslator(locale: string): Translate {
  const lng = mainLanguage(locale);
  const i18n = i18next.createInstance();
  void i18n.init({
    lng,
    fallbackLng: 'en',
    resources: Object.fromEntries(Object.entries(MAIN_CATALOGUES).map(([code, catalogue]) => [code, { translation: catalogue }])),
    initAsync: false,
    // Menus, tooltips and notice text are plain text, never HTML.
    interpolation: { escapeValue: false },
    nsSeparator: false,
  });
  return (key, params) => i18n.t(key, params ?? {}) as string;
}

/** Sentences as one text, spaced as the language spaces them (Japanese does not). */
export function sentences(t: Translate, parts: readonly string[]): string {
  return parts.filter((p) => p !== '').join(t('format.sentenceSeparator'));
}

/** English, for modules used before the OS locale is known and for tests that do not care. */
export const english: Translate = createTranslator('en');

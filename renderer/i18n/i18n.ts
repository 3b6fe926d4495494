/**
 * The UI's language: which one is active (the browser's or OS's, unless the user chose one in
 * Settings), its catalogue, and `t`. The active locale is a signal that `t` reads, so every component
 * that renders a translated string re-renders when the language changes, without a reload.
 *
 * i18next (core only) holds the catalogues and picks plural forms through Intl.PluralRules; each
 * call passes the active locale (`lng`) rather than switching i18next's own current language, so the
 * signal is the one source of truth. English ships in the main bundle; another language is loaded
 * (a small chunk) before it is first shown (catalogues.ts).
 *
 * Mind @preact/signals: a component that reads a signal (any `t` call does) is skipped when its parent
 * re-renders with the same props. One that shows model objects changed in place must subscribe to the
 * model itself (`useModel(client)`), not count on its parent's re-render.
 */
import i18next from 'i18next';
import { signal } from '@preact/signals-core';
import { WebStore, type WebStorageLike } from '../model/storage';
import type { MessageKey } from './catalogue-types';
import { loadCatalogue, SOURCE_CATALOGUE } from './catalogues';
import { direction, formattingLocale, isLocale, matchLocale, SOURCE_LANGUAGE, type Locale } from './locales';

export type { MessageKey } from './catalogue-types';
/** Values for a message's {{placeholders}}; `count` also picks the plural form. */
export type MessageParams = Record<string, string | number>;

/** Where the user's choice is kept (localStorage, in the browser and the desktop window alike). */
export const LOCALE_OVERRIDE_KEY = 'parley:locale';

const i18n = i18next.createInstance();
void i18n.init({
  lng: SOURCE_LANGUAGE,
  fallbackLng: SOURCE_LANGUAGE,
  resources: { [SOURCE_LANGUAGE]: { translation: SOURCE_CATALOGUE } },
  // Synchronous: the catalogue is already here, and the first render must not wait for a tick.
  initAsync: false,
  // Preact escapes text and attributes itself; escaping here too would show "&amp;" to the user.
  interpolation: { escapeValue: false },
  // One namespace: a ':' in a key is part of the key, never a namespace prefix.
  nsSeparator: false,
});

const current = signal<Locale>(SOURCE_LANGUAGE);
const override = signal<Locale | null>(null);
let preferred: readonly string[] = [SOURCE_LANGUAGE];
let store = new WebStore(undefined);
let root: HTMLElement | undefined;
let switching = 0;

/** What the page runs in; the tests pass their own. */
export interface I18nEnvironment {
  /** The user's languages, best first (navigator.languages). */
  preferred: readonly string[];
  storage?: WebStorageLike;
  /** Gets `lang` and `dir` (document.documentElement). */
  root?: HTMLElement;
}

function browserEnvironment(): I18nEnvironment {
  const languages = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  return {
    preferred: languages,
    ...(typeof localStorage === 'undefined' ? {} : { storage: localStorage }),
    ...(typeof document === 'undefined' ? {} : { root: document.documentElement }),
  };
}

/**
 * Picks the language and loads its catalogue: called once before the first render (main.tsx), so the
 * first screen is already in the user's language and direction.
 */
export async function startI18n(env: I18nEnvironment = browserEnvironment()): Promise<void> {
  preferred = env.preferred;
  store = new WebStore(env.storage);
  root = env.root;
  const saved = store.get<string>(LOCALE_OVERRIDE_KEY);
  override.value = isLocale(saved) ? saved : null;
  await show(override.value ?? matchLocale(preferred));
}

/** The system's languages changed (a browser's `languagechange`): followed unless the user chose one. */
export async function systemLanguagesChanged(languages: readonly string[]): Promise<void> {
  preferred = languages;
  if (override.value === null) await show(matchLocale(preferred));
}

/** The language chosen in Settings, or null to follow the system; kept across visits. */
export async function setLocaleOverride(locale: Locale | null): Promise<void> {
  if (locale === null) store.remove(LOCALE_OVERRIDE_KEY);
  else store.set(LOCALE_OVERRIDE_KEY, locale);
  override.value = locale;
  await show(locale ?? matchLocale(preferred));
}

async function show(locale: Locale): Promise<void> {
  const turn = ++switching;
  if (!i18n.hasResourceBundle(locale, 'translation')) {
    try {
      i18n.addResourceBundle(locale, 'translation', await loadCatalogue(locale));
    } catch {
      // The chunk could not be fetched (a server gone mid-session): stay in the language shown.
      return;
    }
  }
  // A later choice made while this catalogue loaded wins.
  if (turn !== switching) return;
  current.value = locale;
  if (root) {
    root.lang = locale;
    root.dir = direction(locale);
  }
}

/** The active locale. Read during a render, it subscribes the component to language changes. */
export function useLocale(): Locale {
  return current.value;
}

/** The Settings choice (null: follow the system); reactive like useLocale. */
export function useLocaleOverride(): Locale | null {
  return override.value;
}

/** The language the system asks for, whatever the override. */
export function systemLocale(): Locale {
  return matchLocale(preferred);
}

/** The BCP 47 tag for Intl's dates, numbers and lists (reactive like useLocale). */
export function intlLocale(): string {
  return formattingLocale(current.value, preferred);
}

/** The message `key` in the active language, placeholders filled; `count` picks the plural form. */
export function t(key: MessageKey, params?: MessageParams): string {
  return translate(key, params);
}

/** `t`, with `verbatim` values put in as they are (tElements' markers, which must not be isolated). */
export function translate(key: MessageKey, params: MessageParams | undefined, verbatim: Record<string, string> = {}): string {
  const lng = current.value;
  return i18n.t(key, { ...isolated(lng, params), ...verbatim, lng }) as string;
}

/** For keys built at run time (an error code): the message, or undefined when the catalogue has none. */
export function tIfExists(key: string, params?: MessageParams): string | undefined {
  const lng = current.value;
  return i18n.exists(key, { lng }) ? (i18n.t(key, { ...isolated(lng, params), lng }) as string) : undefined;
}

const FIRST_STRONG_ISOLATE = '\u2068';
const POP_DIRECTIONAL_ISOLATE = '\u2069';

/**
 * In a right-to-left language, each text value goes into the sentence as a bidi isolate: a "#lobby"
 * or "Ana (x)" keeps its own order instead of having its punctuation pulled to the wrong side by the
 * Arabic around it (the rendered UI does the same with <bdi>). Numbers are formatted by the catalogue.
 */
function isolated(lng: Locale, params: MessageParams | undefined): MessageParams | undefined {
  if (!params || direction(lng) === 'ltr') return params;
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? `${FIRST_STRONG_ISOLATE}${v}${POP_DIRECTIONAL_ISOLATE}` : v]));
}

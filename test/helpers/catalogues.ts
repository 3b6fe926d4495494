/**
 * What every message catalogue must agree on with the English one, for the page's
 * (renderer/i18n/locales) and the main process's (main/i18n/locales): the same keys, each plural
 * message in exactly the forms its language has (Intl.PluralRules), the same placeholders.
 */
import { expect } from 'vitest';

interface Catalogue {
  [key: string]: string | Catalogue;
}

const CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'];
const PLURAL = new RegExp(`^(.*)_(${CATEGORIES.join('|')})$`);

/** "a.b_one" → value, for every string in the catalogue. */
export function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** Keys of plural messages (without suffix), judged by the English catalogue. */
export function pluralBases(source: Map<string, string>): Set<string> {
  const bases = new Set<string>();
  for (const key of source.keys()) {
    const m = PLURAL.exec(key);
    if (m && source.has(`${m[1]}_other`)) bases.add(m[1]!);
  }
  return bases;
}

export const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!).sort();

/** The keys `language` must have: English's plain keys, and each plural key in the language's forms. */
export function expectedKeys(source: Map<string, string>, language: string): string[] {
  const bases = pluralBases(source);
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const keys = [...source.keys()].filter((k) => !bases.has(PLURAL.exec(k)?.[1] ?? ''));
  for (const base of bases) for (const c of categories) keys.push(`${base}_${c}`);
  return keys.sort();
}

export function checkCatalogue(source: Catalogue, language: string, catalogue: Catalogue): void {
  const en = flatten(source);
  const own = flatten(catalogue);
  expect([...own.keys()].sort(), `${language}: keys`).toEqual(expectedKeys(en, language));
  const bases = pluralBases(en);
  for (const [key, value] of own) {
    expect(value.trim() === '' && !key.startsWith('format.'), `${language}: ${key} is empty`).toBe(false);
    const base = PLURAL.exec(key)?.[1];
    const plural = base !== undefined && bases.has(base);
    const english = plural ? en.get(`${base}_other`)! : en.get(key)!;
    if (plural) {
      // A form may leave the number out ("رسالة واحدة", one message), never add an unknown placeholder.
      for (const p of placeholders(value)) expect(placeholders(english).concat('count'), `${language}: ${key} has {{${p}}}`).toContain(p);
    } else {
      expect(placeholders(value), `${language}: ${key} placeholders`).toEqual(placeholders(english));
    }
    // The product's name stays as it is.
    if (english.includes('Parley')) expect(value, `${language}: ${key} keeps "Parley"`).toContain('Parley');
  }
}

/** English's own rules: a message with a count is a plural one, and its number is formatted by Intl. */
export function checkSource(source: Catalogue): void {
  const en = flatten(source);
  const bases = pluralBases(en);
  for (const [key, value] of en) {
    if (!/\{\{\s*count\b/.test(value)) continue;
    expect(bases.has(PLURAL.exec(key)?.[1] ?? ''), `${key} takes a count: make it plural (_one/_other)`).toBe(true);
  }
}

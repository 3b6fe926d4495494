/**
 * The shape of a message catalogue and the keys of the English one, which every other language
 * mirrors (test/renderer/i18n/catalogues.test.ts checks it). Keys are typed, so `t('typo')` fails to
 * compile; plural variants (`_one`, `_other`, …) are one key, chosen by `count`.
 */
import type en from './locales/en.json';

export interface Catalogue {
  [key: string]: string | Catalogue;
}

/** CLDR plural categories, the suffixes i18next looks up after Intl.PluralRules picked one. */
export const PLURAL_CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;

type PluralSuffix = `_${(typeof PLURAL_CATEGORIES)[number]}`;
type WithoutPlural<K extends string> = K extends `${infer Base}${PluralSuffix}` ? Base : K;

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${WithoutPlural<K>}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every message key, "namespace.name", without plural suffixes. */
export type MessageKey = Leaves<typeof en>;

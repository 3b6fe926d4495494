/**
 * The catalogues: English in the main bundle (the fallback for anything missing, and what the first
 * paint needs most often); every other language as its own small chunk, fetched when first shown, so
 * each new language costs the bundle nothing. The pseudo-locale is made from English on the spot.
 */
import type { Catalogue } from './catalogue-types';
import en from './locales/en.json' with { type: 'json' };
import { PSEUDO_LOCALE, SOURCE_LANGUAGE, type Locale } from './locales';
import { pseudoCatalogue } from './pseudo';

export const SOURCE_CATALOGUE: Catalogue = en;

const chunks = import.meta.glob<Catalogue>(['./locales/*.json', '!./locales/en.json'], { import: 'default' });

export async function loadCatalogue(locale: Locale): Promise<Catalogue> {
  if (locale === SOURCE_LANGUAGE) return SOURCE_CATALOGUE;
  if (locale === PSEUDO_LOCALE) return pseudoCatalogue(SOURCE_CATALOGUE);
  const load = chunks[`./locales/${locale}.json`];
  if (!load) throw new Error(`no catalogue for ${locale}`);
  return load();
}

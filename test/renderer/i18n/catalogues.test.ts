/**
 * The page's catalogues (renderer/i18n/locales): every language has exactly the English keys, each
 * plural message in exactly the forms Intl.PluralRules gives its language (Arabic's six, Japanese's
 * one), the same placeholders, numbers formatted by Intl, "Parley" untranslated; the pseudo-locale
 * marks every value; index.html's <noscript> says the catalogues' words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ar from '../../../renderer/i18n/locales/ar.json' with { type: 'json' };
import de from '../../../renderer/i18n/locales/de.json' with { type: 'json' };
import en from '../../../renderer/i18n/locales/en.json' with { type: 'json' };
import es from '../../../renderer/i18n/locales/es.json' with { type: 'json' };
import fr from '../../../renderer/i18n/locales/fr.json' with { type: 'json' };
import ja from '../../../renderer/i18n/locales/ja.json' with { type: 'json' };
import { LANGUAGES } from '../../../renderer/i18n/locales';
import { pseudoCatalogue, PSEUDO_CLOSE, PSEUDO_OPEN } from '../../../renderer/i18n/pseudo';
import { checkCatalogue, checkSource, expectedKeys, flatten, placeholders } from '../../helpers/catalogues';

const CATALOGUES = { en, de, fr, es, ja, ar };

describe('the page catalogues', () => {
  it('cover exactly the languages the UI offers', () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual([...LANGUAGES].sort());
  });

  it('English: a message with a count is plural, and every number goes through Intl ({{n, number}})', () => {
    checkSource(en);
    for (const [key, value] of flatten(en)) {
      for (const name of ['count', 'max', 'min', 'length']) {
        expect(value.includes(`{{${name}}}`), `${key}: {{${name}}} unformatted`).toBe(false);
      }
    }
  });

  for (const [language, catalogue] of Object.entries(CATALOGUES)) {
    it(`${language}: the English keys, its own plural forms, the same placeholders`, () => {
      checkCatalogue(en, language, catalogue);
    });
  }

  it('Arabic has all six plural forms and Japanese one, as Intl.PluralRules says', () => {
    const keys = (c: object) => [...flatten(c as never).keys()].filter((k) => k.startsWith('system.manyJoined_'));
    expect(keys(ar).sort()).toEqual(['few', 'many', 'one', 'other', 'two', 'zero'].map((c) => `system.manyJoined_${c}`));
    expect(keys(ja)).toEqual(['system.manyJoined_other']);
    expect(expectedKeys(flatten(en), 'ar').filter((k) => k.startsWith('system.manyJoined_'))).toHaveLength(6);
  });

  it('keep the product name "Parley" as it is', () => {
    for (const [language, catalogue] of Object.entries(CATALOGUES)) expect(catalogue.app.name, language).toBe('Parley');
  });

  it('the pseudo-locale marks and accents every word, keeping placeholders and the punctuation namespace', () => {
    const pseudo = flatten(pseudoCatalogue(en));
    for (const [key, value] of flatten(en)) {
      const marked = pseudo.get(key)!;
      expect(placeholders(marked), key).toEqual(placeholders(value));
      if (key.startsWith('format.')) expect(marked).toBe(value);
      else {
        expect(marked.startsWith(PSEUDO_OPEN) && marked.endsWith(PSEUDO_CLOSE), key).toBe(true);
        expect(marked.replace(/\{\{[^}]*\}\}/g, ''), key).not.toMatch(/[A-Za-z]/);
      }
    }
  });

  it("index.html's <noscript> says each catalogue's app.noscript, in its language", () => {
    const html = readFileSync(join(import.meta.dirname, '..', '..', '..', 'renderer', 'index.html'), 'utf8');
    for (const [language, catalogue] of Object.entries(CATALOGUES)) {
      expect(html, language).toContain(`<p lang="${language}"${language === 'ar' ? ' dir="rtl"' : ''}>${catalogue.app.noscript}</p>`);
    }
  });
});

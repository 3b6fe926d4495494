/**
 * The pseudo-locale (en-XA): every English catalogue value wrapped in ⟦…⟧ with its letters accented,
 * placeholders left intact. A screen shown in it reads as English yet every word that came from a
 * catalogue is marked, so text that bypassed the catalogues stands out (test/e2e/browser/pseudo-locale.spec.ts).
 * The accents also show where a font or a layout cannot cope with text other than plain ASCII.
 */
import type { Catalogue } from './catalogue-types';

export const PSEUDO_OPEN = '⟦';
export const PSEUDO_CLOSE = '⟧';

const ACCENTED: Record<string, string> = {
  a: 'å', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'î', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ö', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'û', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Å', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Î', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Û', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

/**
 * Namespaces of punctuation that joins other text (separators, "99+"): marking them would make every
 * list and badge look unmarked-then-marked, and they hold no words to translate.
 */
const UNMARKED_NAMESPACES = new Set(['format']);

/** One value: letters outside {{placeholders}} accented, the whole wrapped. */
export function pseudoText(value: string): string {
  const parts = value.split(/(\{\{[^}]*\}\})/);
  const accented = parts.map((part) => (part.startsWith('{{') ? part : part.replace(/[A-Za-z]/g, (c) => ACCENTED[c] ?? c))).join('');
  return `${PSEUDO_OPEN}${accented}${PSEUDO_CLOSE}`;
}

export function pseudoCatalogue(source: Catalogue): Catalogue {
  const walk = (node: Catalogue, top: boolean): Catalogue => {
    const out: Catalogue = {};
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string') out[key] = pseudoText(value);
      else out[key] = top && UNMARKED_NAMESPACES.has(key) ? value : walk(value, false);
    }
    return out;
  };
  return walk(source, true);
}

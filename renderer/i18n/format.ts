/**
 * Dates, times, numbers, lists and relative times through Intl, in the active locale (its regional
 * form when the system has one: see locales.ts formattingLocale). Each reads the locale signal, so a
 * component that shows one re-renders when the language changes. Formatters are costly to build and
 * a long message list formats hundreds of times per render: they are kept per locale and options.
 */
import { intlLocale } from './i18n';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.ListFormat>();

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.ListFormat>(kind: string, options: object, make: (locale: string) => F): F {
  const locale = intlLocale();
  const id = `${kind} ${locale} ${JSON.stringify(options)}`;
  let f = cache.get(id) as F | undefined;
  if (!f) {
    f = make(locale);
    cache.set(id, f);
  }
  return f;
}

/** "14:05", "2:05 PM", "١٤:٠٥": a message's time. */
export function formatTime(ts: number): string {
  const options = { hour: '2-digit', minute: '2-digit' } as const;
  return cached('time', options, (l) => new Intl.DateTimeFormat(l, options)).format(ts);
}

/** Date and time in full, for a tooltip. */
export function formatDateTime(ts: number): string {
  const options = { dateStyle: 'medium', timeStyle: 'medium' } as const;
  return cached('datetime', options, (l) => new Intl.DateTimeFormat(l, options)).format(ts);
}

export function formatNumber(n: number): string {
  return cached('number', {}, (l) => new Intl.NumberFormat(l)).format(n);
}

/** "in 5 seconds", "dans 5 secondes", "5 秒後". */
export function formatRelative(value: number, unit: Intl.RelativeTimeFormatUnit): string {
  const options = { numeric: 'always', style: 'long' } as const;
  return cached('relative', options, (l) => new Intl.RelativeTimeFormat(l, options)).format(value, unit);
}

/** "Ana, Bo and Cy" in the active language's words and punctuation. */
export function formatList(items: readonly string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  const options = { type, style: 'long' } as const;
  return cached('list', options, (l) => new Intl.ListFormat(l, options)).format(items);
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/**
 * "532 bytes", "12.3 kB", "1.5 MB" ("12,3 ko" in French): a file's size in decimal units, as file
 * managers and the relay's messages give it, in the locale's own unit words.
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  // Whole bytes spelt out ("532 bytes"; the short form reads "532 byte"), larger units short.
  const options = { style: 'unit', unit: BYTE_UNITS[unit], unitDisplay: unit === 0 ? 'long' : 'short', maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1 } as const;
  return cached('bytes', options, (l) => new Intl.NumberFormat(l, options)).format(value);
}

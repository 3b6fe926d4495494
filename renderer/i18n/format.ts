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

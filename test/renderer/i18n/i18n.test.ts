/**
 * The page's language: picked from the browser's list, overridden from Settings and kept, applied to
 * <html lang dir>, switched without a reload; plural forms, Intl formatting and bidi isolation of
 * values in the active language.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { formatNumber, formatRelative, formatTime } from '../../../renderer/i18n/format';
import { LOCALE_OVERRIDE_KEY, setLocaleOverride, startI18n, systemLanguagesChanged, t, useLocale, useLocaleOverride } from '../../../renderer/i18n/i18n';
import { autonym, direction, formattingLocale, matchLocale } from '../../../renderer/i18n/locales';
import { tElements } from '../../../renderer/i18n/nodes';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

let storage: MemoryStorage;
let root: { lang: string; dir: string };
const start = (preferred: string[]) => startI18n({ preferred, storage, root: root as unknown as HTMLElement });

beforeEach(() => {
  storage = new MemoryStorage();
  root = { lang: '', dir: '' };
});

describe('choosing the language', () => {
  it('takes the first of the browser languages Parley has, by language, else English', () => {
    expect(matchLocale(['de-AT', 'en'])).toBe('de');
    expect(matchLocale(['pt-BR', 'ja-JP'])).toBe('ja');
    expect(matchLocale(['pt-BR'])).toBe('en');
    expect(matchLocale([])).toBe('en');
    expect(matchLocale(['en-XA'])).toBe('en-XA');
  });

  it('formats dates and numbers in the system’s regional variant of the UI language', () => {
    expect(formattingLocale('en', ['en-GB', 'de'])).toBe('en-GB');
    expect(formattingLocale('de', ['en-US'])).toBe('de');
    expect(formattingLocale('en-XA', ['en-XA'])).toBe('en');
  });

  it('names each language in itself, as a menu lists them', () => {
    expect(autonym('de')).toBe('Deutsch');
    expect(autonym('fr')).toBe('Français');
    expect(autonym('ja')).toBe('日本語');
    expect(autonym('ar')).toBe('العربية');
    expect(direction('ar')).toBe('rtl');
    expect(direction('ja')).toBe('ltr');
  });

  it('starts in the browser language and sets <html lang dir>', async () => {
    await start(['de-DE', 'en']);
    expect(useLocale()).toBe('de');
    expect(t('settings.title')).toBe('Einstellungen');
    expect(root).toEqual({ lang: 'de', dir: 'ltr' });
  });

  it('an override from Settings wins, applies at once, is kept, and can go back to the system', async () => {
    await start(['de-DE']);
    await setLocaleOverride('ar');
    expect(useLocale()).toBe('ar');
    expect(useLocaleOverride()).toBe('ar');
    expect(root).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(t('settings.title')).toBe('الإعدادات');
    expect(storage.getItem(LOCALE_OVERRIDE_KEY)).toBe('"ar"');

    // The next visit starts in the chosen language whatever the browser says.
    root = { lang: '', dir: '' };
    await start(['de-DE']);
    expect(useLocale()).toBe('ar');

    await setLocaleOverride(null);
    expect(useLocale()).toBe('de');
    expect(storage.getItem(LOCALE_OVERRIDE_KEY)).toBeNull();
  });

  it('follows a change of the system languages, unless overridden', async () => {
    await start(['en-US']);
    await systemLanguagesChanged(['fr-FR']);
    expect(useLocale()).toBe('fr');
    await setLocaleOverride('es');
    await systemLanguagesChanged(['ja-JP']);
    expect(useLocale()).toBe('es');
    await setLocaleOverride(null);
  });

  it('ignores a stored value that is no language of Parley', async () => {
    storage.setItem(LOCALE_OVERRIDE_KEY, '"xx"');
    await start(['ja']);
    expect(useLocale()).toBe('ja');
    expect(useLocaleOverride()).toBeNull();
  });
});

describe('messages', () => {
  it('English is the source, unchanged from what the UI said before catalogues', async () => {
    await start(['en-US']);
    expect(t('participants.title', { count: 2 })).toBe('Participants (2)');
    expect(t('common.unread', { count: 1 })).toBe('1 unread');
    expect(t('banner.queued', { count: 3 })).toBe("3 messages will be sent when you're back.");
    expect(t('messages.seenByLabel', { count: 2, names: 'Ben, Cy' })).toBe('Seen by 2: Ben, Cy');
  });

  it('Arabic picks each of its six plural forms, and its values are bidi-isolated', async () => {
    await start(['ar']);
    const forms = [0, 1, 2, 3, 11, 100].map((count) => t('system.manyJoined', { count }));
    expect(forms).toEqual(['لم ينضم أحد', 'انضم شخص واحد', 'انضم شخصان', `انضم ${formatNumber(3)} أشخاص`, `انضم ${formatNumber(11)} شخصًا`, `انضم ${formatNumber(100)} شخص`]);
    expect(t('chat.leave', { room: '#lobby' })).toBe('مغادرة \u2068#lobby\u2069');
  });

  it('German and Japanese: their own plurals and word order', async () => {
    await start(['de']);
    expect(t('banner.queued', { count: 1 })).toBe('1 Nachricht wird gesendet, sobald du wieder online bist.');
    expect(t('composer.counter', { length: 9600, max: 10000 })).toBe('9.600 / 10.000');
    await setLocaleOverride('ja');
    expect(t('typing.two', { a: 'Ana', b: 'Bo' })).toBe('Ana さんと Bo さんが入力中…');
    await setLocaleOverride(null);
  });

  it('puts elements where the translation wants them', async () => {
    await start(['ar']);
    const parts = tElements('system.joined', { name: 'NAME' });
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBe('انضم ');
    expect((parts[1] as { props: { children: unknown } }).props.children).toBe('NAME');
    await start(['en']);
    const en = tElements('system.joined', { name: 'NAME' });
    expect([en[0], en[2]]).toEqual(['', ' joined']);
  });

  it('formats times, numbers and relative times with Intl in the active locale', async () => {
    const at = Date.UTC(2026, 0, 2, 15, 4);
    await start(['de-DE']);
    expect(formatTime(at)).toBe(new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit' }).format(at));
    expect(formatRelative(5, 'second')).toBe('in 5 Sekunden');
    await start(['en-US']);
    expect(formatRelative(5, 'second')).toBe('in 5 seconds');
    expect(formatNumber(12345)).toBe('12,345');
  });
});

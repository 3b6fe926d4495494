/**
 * The language part of the settings screen: follow the system (the browser's or OS's language, which
 * it names) or one of Parley's languages, each listed in its own name so a user finds theirs whatever
 * the screen shows now. The choice applies at once, without a reload, and is kept in localStorage.
 */
import type { JSX } from 'preact';
import { autonym, LANGUAGES, PSEUDO_LOCALE, setLocaleOverride, systemLocale, t, useLocaleOverride, type Language } from '../i18n/index';

const SYSTEM = '';

interface Props {
  /** Runs the change through the screen's "Saved." / error reporting; `language` null: the system's. */
  onChosen: (run: () => Promise<void>, language: Language | null) => void;
  problem: JSX.Element | null;
}

export function LanguageSection({ onChosen, problem }: Props): JSX.Element {
  const chosen = useLocaleOverride();
  const system = systemLocale();
  return (
    <section aria-labelledby="settings-language-title">
      <h2 id="settings-language-title">{t('settings.language')}</h2>
      <select
        id="settings-language"
        aria-labelledby="settings-language-title"
        aria-describedby="settings-language-hint"
        value={chosen ?? SYSTEM}
        onChange={(e) => {
          const value = e.currentTarget.value;
          const language = LANGUAGES.find((l) => l === value) ?? null;
          onChosen(() => setLocaleOverride(language), language);
        }}
      >
        {/* The pseudo-locale is the system's only in a test; it has no name of its own. */}
        <option value={SYSTEM}>{t('settings.languageSystem', { name: system === PSEUDO_LOCALE ? system : autonym(system) })}</option>
        {LANGUAGES.map((l: Language) => (
          <option key={l} value={l} lang={l}>
            {autonym(l)}
          </option>
        ))}
      </select>
      <p id="settings-language-hint" class="muted small">
        {t('settings.languageHint')}
      </p>
      {problem}
    </section>
  );
}

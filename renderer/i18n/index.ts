/**
 * The UI's languages, one import for components:
 * - `t('key', { name, count })`: a catalogue message (renderer/i18n/locales/<lang>.json); `count`
 *   picks the plural form. `tElements` when an element (a <bdi> name) goes inside the message.
 * - `formatTime`, `formatDateTime`, `formatNumber`, `formatRelative`, `formatList`, `formatBytes`:
 *   Intl, in the active locale.
 * - `useLocale()`: the active locale; reading it (or calling any of the above) during a render
 *   re-renders the component when the language changes.
 * - `errorText(err)`, `modelText(text)`: what the relay, the desktop app and the model said, in the
 *   user's language.
 * How to add a message or a language: docs/languages.md.
 */
export { t, tIfExists, useLocale, useLocaleOverride, setLocaleOverride, systemLocale, startI18n, systemLanguagesChanged, type MessageKey, type MessageParams } from './i18n';
export { tElements } from './nodes';
export { formatBytes, formatDateTime, formatList, formatNumber, formatRelative, formatTime } from './format';
export { conversationTitle, errorText, modelText, nicknameProblem, systemLine, typingText } from './model-text';
export { autonym, direction, LANGUAGES, PSEUDO_LOCALE, type Language, type Locale } from './locales';

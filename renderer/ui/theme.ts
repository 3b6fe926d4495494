/**
 * The colour theme: the OS's (no attribute, the stylesheet follows prefers-color-scheme) or a forced
 * light or dark one. The desktop keeps the choice in its settings; a browser in localStorage.
 */
import type { ThemePreference } from '../../protocol/index';
import { store } from './session';

export function applyTheme(theme: ThemePreference): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

const THEMES: readonly ThemePreference[] = ['system', 'light', 'dark'];

export function webTheme(): ThemePreference {
  const saved = store.get<string>('parley:theme');
  return THEMES.find((t) => t === saved) ?? 'system';
}

export function saveWebTheme(theme: ThemePreference): void {
  store.set('parley:theme', theme);
  applyTheme(theme);
}

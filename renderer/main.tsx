/** Entry of the renderer: the same bundle runs as the web client and inside the desktop window. */
import { render } from 'preact';
// Installs the Preact integration: components re-render when a signal they read changes.
import '@preact/signals';
import { startI18n, systemLanguagesChanged } from './i18n/index';
import { App } from './ui/app';
import './styles.css';

// The first screen is drawn in the user's language and direction: its catalogue is loaded first.
await startI18n();
window.addEventListener('languagechange', () => void systemLanguagesChanged(navigator.languages));
render(<App />, document.getElementById('app')!);

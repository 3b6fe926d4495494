/** Entry of the renderer: the same bundle runs as the web client and inside the desktop window. */
import { render } from 'preact';
// Installs the Preact integration: components re-render when a signal they read changes.
import '@preact/signals';
import { App } from './ui/app';
import './styles.css';

render(<App />, document.getElementById('app')!);

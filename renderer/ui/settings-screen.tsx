/**
 * Settings: the default nickname, the theme, notifications, update checks and start at login (desktop),
 * and the servers. Each switch is written as soon as it changes: the desktop's main process validates
 * it and writes settings.json atomically (main/settings/store.ts); a refusal shows next to the switch
 * and the screen goes back to what is stored. A browser keeps only the theme (localStorage).
 */
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { cleanNickname, type DesktopCapabilities, type DesktopSettings, type SavedServer, type ThemePreference } from '../../protocol/index';
import type { ServerSet } from '../model/server-set';
import { SettingsServers } from './settings-servers';

interface Props {
  servers: ServerSet;
  /** The desktop's settings; null in a browser. */
  settings: DesktopSettings | null;
  capabilities: DesktopCapabilities | null;
  theme: ThemePreference;
  onTheme: (theme: ThemePreference) => Promise<void>;
  readReceipts: boolean;
  onReadReceipts: (on: boolean) => void;
  /** Writes desktop settings; rejects with the reason when refused. */
  onChange: (patch: Partial<DesktopSettings>) => Promise<void>;
  onSavedChange: () => Promise<void>;
  onRemoveServer: (id: string) => Promise<void>;
  onOpenSaved: (s: SavedServer) => void;
  onClose: () => void;
}

const THEMES: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function SettingsScreen(p: Props): JSX.Element {
  const [status, setStatus] = useState('');
  const [error, setError] = useState<{ section: string; message: string } | null>(null);
  const s = p.settings;

  const write = async (section: string, run: () => Promise<void>) => {
    setError(null);
    try {
      await run();
      setStatus('Saved.');
    } catch (err) {
      setError({ section, message: err instanceof Error ? err.message : String(err) });
      setStatus('');
    }
  };
  const problem = (section: string) =>
    error?.section === section ? (
      <p class="error" role="alert">
        {error.message}
      </p>
    ) : null;

  return (
    <main class="settings" aria-labelledby="settings-title">
      <header class="settings-head">
        <h1 id="settings-title">Settings</h1>
        <span class="muted small" aria-live="polite">
          {status}
        </span>
        <button type="button" onClick={p.onClose}>
          Done
        </button>
      </header>

      {s && <NicknameSection value={s.nickname} onSave={(nickname) => write('profile', () => p.onChange({ nickname }))} problem={problem('profile')} />}

      <section aria-labelledby="settings-appearance">
        <h2 id="settings-appearance">Appearance</h2>
        <fieldset class="choices">
          <legend>Theme</legend>
          {THEMES.map((t) => (
            <label class="check" key={t.value}>
              <input type="radio" name="theme" value={t.value} checked={p.theme === t.value} onChange={() => void write('appearance', () => p.onTheme(t.value))} /> {t.label}
            </label>
          ))}
        </fieldset>
        {problem('appearance')}
      </section>

      <section aria-labelledby="settings-privacy">
        <h2 id="settings-privacy">Privacy</h2>
        <label class="check">
          <input type="checkbox" checked={p.readReceipts} onChange={(e) => p.onReadReceipts(e.currentTarget.checked)} /> Send read receipts
        </label>
        <p class="muted small">Off: nobody sees when you have read their messages, and you do not see when others have read yours. Your own devices still agree on what you have read, and delivery is still shown.</p>
      </section>

      {s && (
        <section aria-labelledby="settings-notifications">
          <h2 id="settings-notifications">Notifications</h2>
          <label class="check">
            <input type="checkbox" checked={s.notifications} onChange={(e) => void write('notifications', () => p.onChange({ notifications: e.currentTarget.checked }))} /> Show a notification for
            messages that arrive while Parley is in the background
          </label>
          <label class="check">
            <input type="checkbox" checked={s.notificationSound} disabled={!s.notifications} onChange={(e) => void write('notifications', () => p.onChange({ notificationSound: e.currentTarget.checked }))} /> Play
            the system's notification sound
          </label>
          <p class="muted small">Each server can be muted on its own below.</p>
          {problem('notifications')}
        </section>
      )}

      {s && (
        <section aria-labelledby="settings-system">
          <h2 id="settings-system">This computer</h2>
          <label class="check">
            <input type="checkbox" checked={s.startAtLogin} disabled={!p.capabilities?.startAtLogin} onChange={(e) => void write('system', () => p.onChange({ startAtLogin: e.currentTarget.checked }))} /> Start
            Parley when I log in
          </label>
          {p.capabilities && !p.capabilities.startAtLogin && <p class="muted small">Not offered on this system: add Parley to your desktop's startup applications instead.</p>}
          <label class="check">
            <input type="checkbox" checked={s.updates} disabled={!p.capabilities?.updates} onChange={(e) => void write('system', () => p.onChange({ updates: e.currentTarget.checked }))} /> Check for
            updates automatically
          </label>
          <p class="muted small">
            {p.capabilities?.updates ? 'Off unless you turn it on: Parley never reaches out to the internet by itself.' : 'This copy of Parley has no update feed (it was not installed from a release, or updates are turned off by your administrator).'}
          </p>
          {problem('system')}
        </section>
      )}

      <SettingsServers servers={p.servers} saved={s ? s.savedServers : null} onSavedChange={p.onSavedChange} onRemove={p.onRemoveServer} onOpenSaved={p.onOpenSaved} />
      {!s && (
        <p class="muted small">
          This browser keeps the servers open while the page is; another server opens here only if it allows this page's address (its ALLOWED_ORIGINS setting). The
          desktop app saves servers and reopens them.
        </p>
      )}
    </main>
  );
}

function NicknameSection({ value, onSave, problem }: { value: string; onSave: (nickname: string) => Promise<void>; problem: JSX.Element | null }): JSX.Element {
  const [nickname, setNickname] = useState(value);
  const [wrong, setWrong] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    const nick = cleanNickname(nickname);
    if (!nick.ok) return setWrong(nick.reason);
    setWrong(null);
    void onSave(nick.nickname);
  };
  return (
    <section aria-labelledby="settings-profile">
      <h2 id="settings-profile">Profile</h2>
      <form class="row" onSubmit={submit}>
        <label for="settings-nickname" class="sr-only">
          Default nickname
        </label>
        <input id="settings-nickname" aria-describedby="settings-nickname-hint" maxLength={64} value={nickname} onInput={(e) => setNickname(e.currentTarget.value)} />
        <button type="submit">Save nickname</button>
      </form>
      <p id="settings-nickname-hint" class="muted small">
        Default nickname: used for servers you join from now on. On a server you are in, you keep the name you joined with.
      </p>
      {wrong && (
        <p class="error" role="alert">
          {wrong}
        </p>
      )}
      {problem}
    </section>
  );
}

/**
 * Settings: the default nickname, the theme, the language, notifications (and their self-test), update
 * checks and start at login (desktop), the connection doctor, and the servers. Each switch is written as soon as it changes: the desktop's main process validates
 * it and writes settings.json atomically (main/settings/store.ts); a refusal shows next to the switch
 * and the screen goes back to what is stored. A browser keeps only the theme and the language
 * (localStorage; the desktop window keeps the language there too).
 */
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { cleanNickname, type DesktopCapabilities, type DesktopSettings, type SavedServer, type ThemePreference } from '../../protocol/index';
import type { ServerSet } from '../model/server-set';
import { SettingsServers } from './settings-servers';
import { SettingsPins } from './settings-pins';
import { LanguageSection } from './settings-language';
import { NotifyTest } from './doctor-notify';
import { errorText, nicknameProblem, t, type MessageKey } from '../i18n/index';

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
  /** Opens the connection doctor. */
  onDoctor: () => void;
  onClose: () => void;
}

const THEMES: { value: ThemePreference; label: MessageKey }[] = [
  { value: 'system', label: 'settings.themeSystem' },
  { value: 'light', label: 'settings.themeLight' },
  { value: 'dark', label: 'settings.themeDark' },
];

export function SettingsScreen(p: Props): JSX.Element {
  const [status, setStatus] = useState('');
  const [error, setError] = useState<{ section: string; message: string } | null>(null);
  const s = p.settings;

  const write = async (section: string, run: () => Promise<void>) => {
    setError(null);
    try {
      await run();
      setStatus(t('settings.saved'));
    } catch (err) {
      setError({ section, message: errorText(err) });
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
        <h1 id="settings-title">{t('settings.title')}</h1>
        <span class="muted small" aria-live="polite">
          {status}
        </span>
        <button type="button" onClick={p.onClose}>
          {t('settings.done')}
        </button>
      </header>

      {s && <NicknameSection value={s.nickname} onSave={(nickname) => write('profile', () => p.onChange({ nickname }))} problem={problem('profile')} />}

      <section aria-labelledby="settings-appearance">
        <h2 id="settings-appearance">{t('settings.appearance')}</h2>
        <fieldset class="choices">
          <legend>{t('settings.theme')}</legend>
          {THEMES.map((theme) => (
            <label class="check" key={theme.value}>
              <input type="radio" name="theme" value={theme.value} checked={p.theme === theme.value} onChange={() => void write('appearance', () => p.onTheme(theme.value))} /> {t(theme.label)}
            </label>
          ))}
        </fieldset>
        {problem('appearance')}
      </section>

      <LanguageSection
        onChosen={(run, language) =>
          // The desktop's main process speaks it too (tray, notices): it is a desktop setting as well.
          void write('language', async () => {
            await run();
            if (p.settings) await p.onChange({ language });
          })
        }
        problem={problem('language')}
      />

      <section aria-labelledby="settings-privacy">
        <h2 id="settings-privacy">{t('settings.privacy')}</h2>
        <label class="check">
          <input type="checkbox" checked={p.readReceipts} onChange={(e) => p.onReadReceipts(e.currentTarget.checked)} /> {t('settings.readReceipts')}
        </label>
        <p class="muted small">{t('settings.readReceiptsHint')}</p>
      </section>

      <section aria-labelledby="settings-notifications">
        <h2 id="settings-notifications">{t('settings.notifications')}</h2>
        {s && (
          <>
            <label class="check">
              <input type="checkbox" checked={s.notifications} onChange={(e) => void write('notifications', () => p.onChange({ notifications: e.currentTarget.checked }))} />{' '}
              {t('settings.notify')}
            </label>
            <label class="check">
              <input type="checkbox" checked={s.notificationSound} disabled={!s.notifications} onChange={(e) => void write('notifications', () => p.onChange({ notificationSound: e.currentTarget.checked }))} />{' '}
              {t('settings.sound')}
            </label>
            <p class="muted small">{t('settings.muteHint')}</p>
            {problem('notifications')}
          </>
        )}
        <NotifyTest heading="h3" notificationsOff={s ? !s.notifications : false} />
      </section>

      <section aria-labelledby="settings-connection">
        <h2 id="settings-connection">{t('settingsConnection.title')}</h2>
        <p class="muted small">{t('settingsConnection.hint')}</p>
        <button type="button" onClick={p.onDoctor}>
          {t('doctor.open')}
        </button>
      </section>

      {s && (
        <section aria-labelledby="settings-system">
          <h2 id="settings-system">{t('settings.system')}</h2>
          <label class="check">
            <input type="checkbox" checked={s.startAtLogin} disabled={!p.capabilities?.startAtLogin} onChange={(e) => void write('system', () => p.onChange({ startAtLogin: e.currentTarget.checked }))} />{' '}
            {t('settings.startAtLogin')}
          </label>
          {p.capabilities && !p.capabilities.startAtLogin && <p class="muted small">{t('settings.noStartAtLogin')}</p>}
          <label class="check">
            <input type="checkbox" checked={s.updates} disabled={!p.capabilities?.updates} onChange={(e) => void write('system', () => p.onChange({ updates: e.currentTarget.checked }))} />{' '}
            {t('settings.updates')}
          </label>
          <p class="muted small">
            {p.capabilities?.updates ? t('settings.updatesHint') : t('settings.noUpdates')}
          </p>
          {problem('system')}
        </section>
      )}

      <SettingsServers servers={p.servers} saved={s ? s.savedServers : null} onSavedChange={p.onSavedChange} onRemove={p.onRemoveServer} onOpenSaved={p.onOpenSaved} />
      <SettingsPins />
      {!s && (
        <p class="muted small">{t('settings.browserHint')}</p>
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
    if (!nick.ok) return setWrong(nicknameProblem(nick.reason));
    setWrong(null);
    void onSave(nick.nickname);
  };
  return (
    <section aria-labelledby="settings-profile">
      <h2 id="settings-profile">{t('settings.profile')}</h2>
      <form class="row" onSubmit={submit}>
        <label for="settings-nickname" class="sr-only">
          {t('settings.defaultNickname')}
        </label>
        <input id="settings-nickname" dir="auto" aria-describedby="settings-nickname-hint" maxLength={64} value={nickname} onInput={(e) => setNickname(e.currentTarget.value)} />
        <button type="submit">{t('settings.saveNickname')}</button>
      </form>
      <p id="settings-nickname-hint" class="muted small">
        {t('settings.nicknameHint')}
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

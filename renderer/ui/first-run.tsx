/** The desktop app's first screen on a new profile: the nickname others will see, saved to settings. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { cleanNickname } from '../../protocol/index';
import { desktop } from '../platform/desktop';
import { errorText, nicknameProblem, t } from '../i18n/index';

export function FirstRun({ onDone }: { onDone: () => void }): JSX.Element {
  const [nickname, setNickname] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const nick = cleanNickname(nickname);
    if (!nick.ok) return setError(nicknameProblem(nick.reason));
    setBusy(true);
    try {
      await desktop()?.updateSettings({ nickname: nick.nickname });
      onDone();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <main class="connect">
      <form class="card" onSubmit={submit} aria-labelledby="welcome-title" noValidate>
        <h1 id="welcome-title">{t('firstRun.title')}</h1>
        <p class="muted">{t('firstRun.intro')}</p>
        <label for="first-nickname">{t('firstRun.nickname')}</label>
        <input id="first-nickname" dir="auto" ref={input} autoComplete="nickname" maxLength={64} value={nickname} onInput={(e) => setNickname(e.currentTarget.value)} />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('firstRun.continue')}
        </button>
      </form>
    </main>
  );
}

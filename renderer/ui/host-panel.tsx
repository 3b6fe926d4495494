/**
 * Hosting a session on this computer: start and stop it, the addresses and join code to share, and
 * "Check the network" (the LAN checks: can others find and reach it).
 */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { HostedSession } from '../../protocol/index';
import { desktop } from '../platform/desktop';
import { errorText, t, tElements } from '../i18n/index';
import { CopyButton } from './copy-button';
import { LanChecks } from './doctor-lan';
import { HostInvite, RotateCertificate } from './host-invite';

export function HostPanel({ onHosted }: { onHosted: (h: HostedSession) => void }): JSX.Element | null {
  const api = desktop();
  const [hosted, setHosted] = useState<HostedSession | null>(null);
  const [name, setName] = useState(() => t('host.defaultName'));
  const [lan, setLan] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api?.getHostedSession().then(setHosted);
  }, []);
  if (!api) return null;

  const start = async () => {
    setError(null);
    setBusy(true);
    try {
      const h = await api.hostSession({ name: name.trim() || t('host.fallbackName'), lan });
      setHosted(h);
      onHosted(h);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const stop = async () => {
    await api.stopHosting();
    setHosted(null);
  };

  return (
    <section aria-labelledby="host-title">
      <h2 id="host-title">{t('host.title')}</h2>
      {hosted ? (
        <div class="hosted" role="group" aria-label={t('host.group')}>
          <p>{tElements('host.hosting', { name: <strong>{hosted.name}</strong> })}</p>
          {hosted.lanUrls.length > 0 ? (
            <>
              <p class="muted small">{t('host.joinAt')}</p>
              <ul class="plain">
                {hosted.lanUrls.map((u) => (
                  <li key={u} class="copyable">
                    <span class="mono">{u}</span> <CopyButton text={u} label={t('host.copyAddress', { address: u })} />
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p class="muted small">{t('host.localOnly')}</p>
          )}
          {hosted.joinCode && (
            <p class="copyable">
              {tElements('host.joinCode', { code: <strong class="mono join-code">{hosted.joinCode}</strong> })} <CopyButton text={hosted.joinCode} label={t('host.copyCode')} />
            </p>
          )}
          <HostInvite hosted={hosted} />
          <button type="button" onClick={() => void stop()}>
            {t('host.stop')}
          </button>
        </div>
      ) : (
        <div class="host-form">
          <label for="host-name">{t('host.name')}</label>
          <input id="host-name" dir="auto" value={name} maxLength={64} onInput={(e) => setName(e.currentTarget.value)} />
          <label class="check">
            <input type="checkbox" checked={lan} onChange={(e) => setLan(e.currentTarget.checked)} /> {t('host.lan')}
          </label>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="button" disabled={busy} onClick={() => void start()}>
            {t('host.start')}
          </button>
          {lan && <RotateCertificate />}
        </div>
      )}
      <LanChecks />
    </section>
  );
}

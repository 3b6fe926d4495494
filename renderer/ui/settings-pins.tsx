/**
 * The settings screen's "Trusted LAN hosts": the certificates this desktop pinned (main/security/pins.ts),
 * one per host, with when; "Forget" drops a pin, so the host's next certificate is trusted again only
 * once the join code proves it. Desktop only (a browser has no pins).
 */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { PinnedHost } from '../../protocol/index';
import { desktop } from '../platform/desktop';
import { errorText, formatDateTime, t } from '../i18n/index';
import { Fingerprint } from './certificate-warnings';

export function SettingsPins(): JSX.Element | null {
  const api = desktop();
  const [pins, setPins] = useState<PinnedHost[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => void api?.listPinnedCertificates().then(setPins, (e: unknown) => setError(errorText(e)));
  useEffect(load, []);
  if (!api || pins === null) return null;
  const forget = async (origin: string) => {
    setError(null);
    await api.forgetCertificate(origin).catch((e: unknown) => setError(errorText(e)));
    load();
  };
  return (
    <section aria-labelledby="settings-pins">
      <h2 id="settings-pins">{t('pins.title')}</h2>
      <p class="muted small">{t('pins.hint')}</p>
      {pins.length === 0 ? (
        <p class="muted">{t('pins.none')}</p>
      ) : (
        <ul class="plain pins" aria-label={t('pins.title')}>
          {pins.map((p) => (
            <li key={p.origin}>
              <strong dir="ltr">{new URL(p.origin).hostname}</strong> <span class="muted small">{t('pins.since', { when: formatDateTime(p.pinnedAt) })}</span>
              <Fingerprint fp={p.fingerprint} />
              <button type="button" class="quiet" onClick={() => void forget(p.origin)} aria-label={t('pins.forgetHost', { host: new URL(p.origin).hostname })}>
                {t('pins.forget')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

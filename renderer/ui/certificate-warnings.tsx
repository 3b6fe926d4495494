/**
 * The two loud warnings of LAN TLS (docs/lan-tls.md):
 *  - CertificateChanged: about to join a host whose certificate is not the one pinned before. Shows
 *    both fingerprints, what each explanation means, and lets the user trust the new one; the join
 *    that follows still has to prove the code against it, so a wrong trust fails there.
 *  - CertificateRefusals: the desktop app refused a connection to a pinned host that showed another
 *    certificate (main/security/pins.ts), during a session or at a reconnect.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { displayFingerprint, type TlsRefusal } from '../../protocol/index';
import { desktop } from '../platform/desktop';
import { t } from '../i18n/index';

export interface ChangedCertificate {
  url: string;
  pinned: string;
  offered: string;
}

/** A certificate fingerprint as people compare it: colon pairs, left to right, wrapping anywhere. */
export function Fingerprint({ fp }: { fp: string }): JSX.Element {
  return (
    <span class="mono fingerprint" dir="ltr">
      {fp ? displayFingerprint(fp) : '—'}
    </span>
  );
}

export function CertificateChanged({ changed, onTrust, onCancel }: { changed: ChangedCertificate; onTrust: () => void; onCancel: () => void }): JSX.Element {
  return (
    <div class="certificate-warning" role="alertdialog" aria-labelledby="cert-changed-title" aria-describedby="cert-changed-what">
      <h2 id="cert-changed-title">{t('certificate.changedTitle')}</h2>
      <p id="cert-changed-what">{t('certificate.changedWhat', { address: new URL(changed.url).host })}</p>
      <dl>
        <dt>{t('certificate.before')}</dt>
        <dd>
          <Fingerprint fp={changed.pinned} />
        </dd>
        <dt>{t('certificate.now')}</dt>
        <dd>
          <Fingerprint fp={changed.offered} />
        </dd>
      </dl>
      <p>{t('certificate.changedAdvice')}</p>
      <div class="actions">
        <button type="button" onClick={onCancel} class="primary">
          {t('certificate.dontJoin')}
        </button>
        <button type="button" onClick={onTrust}>
          {t('certificate.trustNew')}
        </button>
      </div>
    </div>
  );
}

export function CertificateRefusals(): JSX.Element | null {
  const [refusals, setRefusals] = useState<TlsRefusal[]>([]);
  // One warning per host and certificate, and none again once dismissed: a reconnecting page would
  // repeat it every few seconds.
  const seen = useRef(new Set<string>());
  useEffect(
    () =>
      desktop()?.onCertificateRefused((r) => {
        const key = `${r.hostname}/${r.presented}`;
        if (seen.current.has(key)) return;
        seen.current.add(key);
        setRefusals((list) => [...list.slice(-2), r]);
      }),
    [],
  );
  if (refusals.length === 0) return null;
  return (
    <div class="desktop-notices">
      {refusals.map((r) => (
        <div key={`${r.hostname}/${r.presented}`} class="notice error certificate-refused" role="alert">
          <p>
            <strong>{t('certificate.refusedTitle', { host: r.hostname })}</strong>
          </p>
          <p>
            {t('certificate.expected')} <Fingerprint fp={r.expected[0] ?? ''} />
          </p>
          <p>
            {t('certificate.presented')} <Fingerprint fp={r.presented} />
          </p>
          <p>{t('certificate.refusedAdvice')}</p>
          <button type="button" class="quiet" onClick={() => setRefusals((list) => list.filter((x) => x !== r))}>
            {t('common.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}

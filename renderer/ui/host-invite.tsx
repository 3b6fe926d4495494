/**
 * The invite of a hosted LAN session served over TLS: the certificate's fingerprint (to compare by
 * eye or read out), a parley:// link and its QR code that carry the address, the code and the
 * fingerprint, and the address for browsers with the fingerprint in its fragment. Rotation of the
 * certificate is offered only while nothing is hosted (the host panel's form).
 */
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { HostedSession } from '../../protocol/index';
import { Fingerprint } from './certificate-warnings';
import { desktop } from '../platform/desktop';
import { errorText, t } from '../i18n/index';
import { CopyButton } from './copy-button';
import { inviteLinks } from './lan-trust';
import { QrCode } from './qr-code';

export function HostInvite({ hosted }: { hosted: HostedSession }): JSX.Element | null {
  const first = hosted.lanUrls[0];
  if (!hosted.fingerprint || !first) return null;
  const links = inviteLinks(first, hosted.joinCode, hosted.fingerprint);
  return (
    <div class="invite" role="group" aria-label={t('invite.group')}>
      <p class="small">
        {t('invite.encrypted')}{' '}
        <Fingerprint fp={hosted.fingerprint} />
      </p>
      <QrCode text={links.app} label={t('invite.qr')} />
      <p class="copyable small">
        {t('invite.appLink')} <CopyButton text={links.app} label={t('invite.copyApp')} />
      </p>
      <p class="copyable small">
        {t('invite.browserLink')} <CopyButton text={links.browser} label={t('invite.copyBrowser')} />
      </p>
    </div>
  );
}

/** "New certificate": a fresh key for the next session; people who pinned the old one are asked to trust it. */
export function RotateCertificate(): JSX.Element | null {
  const api = desktop();
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!api) return null;
  const rotate = async () => {
    setError(null);
    setAsking(false);
    try {
      const { fingerprint } = await api.rotateCertificate();
      setResult(fingerprint);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div class="small">
      {asking ? (
        <p role="group" aria-label={t('invite.rotate')}>
          {t('invite.rotateConfirm')}{' '}
          <button type="button" onClick={() => void rotate()}>
            {t('invite.rotateYes')}
          </button>{' '}
          <button type="button" class="quiet" onClick={() => setAsking(false)}>
            {t('common.cancel')}
          </button>
        </p>
      ) : (
        <button type="button" class="link" onClick={() => setAsking(true)}>
          {t('invite.rotate')}
        </button>
      )}
      {result && (
        <p role="status">
          {t('invite.rotated')} <Fingerprint fp={result} />
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

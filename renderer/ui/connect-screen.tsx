/**
 * The connect screen: where to connect and under which nickname. In a browser the address defaults to
 * the page's own origin (the relay that served it); in the desktop app to the last server, and the
 * main process also offers LAN sessions found by discovery, saved servers, and hosting a session on
 * this computer. A parley:// link prefills the form and names the room to open once joined.
 * A server this user has chatted on before opens even when it cannot be reached: the cached
 * conversations show, under the reconnecting banner, instead of an error.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { cleanNickname, ErrorCode, type DesktopSettings, type HostedSession, type JoinLink, type LanSession } from '../../protocol/index';
import { ConnectFailure, type ChatClient } from '../model/chat-client';
import { desktop } from '../platform/desktop';
import { askNotificationPermission } from '../platform/notify';
import { lastLogin, nicknameFor, saveLastLogin, saveNicknameFor } from './session';
import { openServer } from './open-server';
import { normalizeServerUrl } from './server-url';
import { DesktopConnectExtras } from './desktop-connect';
import { DoctorScreen } from './doctor-screen';
import { CertificateChanged, Fingerprint, type ChangedCertificate } from './certificate-warnings';
import { fingerprintFromPage, pinnedFingerprint } from './lan-trust';
import { errorText, nicknameProblem, t } from '../i18n/index';

/** The address a placeholder and a hint show as an example: a LAN relay on the default port. */
const EXAMPLE_ADDRESS = 'http://192.168.1.20:3000';

/** Refusals that are about the person's input, not the connection: the doctor would not help with them. */
const NOT_CONNECTION: readonly string[] = [ErrorCode.JOIN_CODE_REQUIRED, ErrorCode.JOIN_CODE_INVALID, ErrorCode.LOCKED_OUT, ErrorCode.INVALID_NICKNAME, ErrorCode.NICKNAME_TAKEN];

interface Props {
  /**
   * Joined. `name`: what to call the server when it is a LAN session (the name it is advertised or
   * hosted under); `hosted`: it is the session this computer hosts.
   */
  onConnected: (c: ChatClient, origin: { name?: string; hosted: boolean }) => void;
  /** Shown over other open servers ("Add a server"): a way back to them. */
  onCancel?: () => void;
  /** The desktop's settings; null in a browser. */
  settings: DesktopSettings | null;
  /** A parley:// link to follow. */
  link: JoinLink | null;
}

export function ConnectScreen({ onConnected, onCancel, settings, link }: Props): JSX.Element {
  const last = lastLogin();
  const inDesktop = desktop() !== undefined;
  // The desktop window's own origin (app://parley) is no chat server.
  const pageServer = !inDesktop && typeof location !== 'undefined' && location.protocol.startsWith('http') ? location.origin : '';
  const pageFingerprint = pageServer.startsWith('https:') ? fingerprintFromPage() : undefined;
  // Adding a server next to open ones starts from an empty address: the last one is open already.
  const [server, setServer] = useState(onCancel ? '' : (last?.server ?? settings?.lastServer ?? pageServer));
  const [nickname, setNickname] = useState(last?.nickname || settings?.nickname || '');
  const [code, setCode] = useState('');
  const [hostedHere, setHostedHere] = useState<HostedSession | null>(null);
  const [lanPick, setLanPick] = useState<LanSession | null>(null);
  const [needsCode, setNeedsCode] = useState(false);
  const [room, setRoom] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The server that just failed to connect, offered to the connection doctor; open while `doctor`.
  const [failed, setFailed] = useState<string | null>(null);
  const [doctor, setDoctor] = useState(false);
  const [busy, setBusy] = useState(false);
  // A LAN host whose certificate is not the one pinned before: the warning replaces the form.
  const [changed, setChanged] = useState<ChangedCertificate | null>(null);
  const nickRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => nickRef.current?.focus(), []);
  useEffect(() => {
    if (!link) return;
    setServer(link.url);
    setRoom(link.room ?? null);
    setError(null);
    if (link.code) {
      setCode(link.code);
      setNeedsCode(true);
    }
  }, [link]);
  useEffect(() => {
    if (needsCode && !code) codeRef.current?.focus();
  }, [needsCode]);

  /** The certificate to expect at `url`: from the LAN record, the hosted session, the invite, the page's link, or the pin. */
  const fingerprintFor = async (url: string): Promise<string | undefined> => {
    if (lanPick && normalizeServerUrl(lanPick.url) === url && lanPick.fingerprint) return lanPick.fingerprint;
    if (hostedHere && normalizeServerUrl(hostedHere.localUrl) === url && hostedHere.fingerprint) return hostedHere.fingerprint;
    if (link?.fingerprint && normalizeServerUrl(link.url) === url) return link.fingerprint;
    if (!inDesktop && pageServer && normalizeServerUrl(pageServer) === url) return fingerprintFromPage();
    return pinnedFingerprint(url);
  };

  /** `nickOverride`: the nickname last used on a saved server picked from the list (set in the same click). */
  const join = async (target: string, nickOverride?: string, trusted?: ChangedCertificate) => {
    setError(null);
    setFailed(null);
    const url = normalizeServerUrl(target);
    if (!url) return setError(t('connect.badAddress', { example: EXAMPLE_ADDRESS }));
    const nick = cleanNickname(nickOverride ?? nickname);
    if (!nick.ok) return setError(nicknameProblem(nick.reason));
    const joinCode = code.trim() ? code.trim().toUpperCase() : undefined;
    const fingerprint = url.startsWith('https:') && joinCode ? await fingerprintFor(url) : undefined;
    // Over TLS a code is proved against a certificate, never sent: without one there is nothing to prove it to.
    if (url.startsWith('https:') && joinCode && !fingerprint) return setError(errorText(new ConnectFailure('FINGERPRINT_NEEDED', '')));
    setBusy(true);
    void askNotificationPermission();
    const client = openServer(url, nick.nickname, settings, joinCode, fingerprint, trusted !== undefined);
    try {
      const how = await client.start({ resume: true });
      saveLastLogin({ server: url, nickname: nick.nickname });
      saveNicknameFor(url, nick.nickname);
      // The default nickname is the settings screen's to change; a name typed here is this server's.
      void desktop()?.updateSettings({ lastServer: url });
      if (room && how === 'cached') client.notice.value = t('connect.roomUnreachable', { room: `#${room}` });
      else if (room) await client.joinRoom(room, false).catch((e: unknown) => (client.notice.value = t('connect.roomFailed', { room: `#${room}`, reason: errorText(e) })));
      const hosted = hostedHere !== null && normalizeServerUrl(hostedHere.localUrl) === url;
      const lan = lanPick !== null && normalizeServerUrl(lanPick.url) === url ? lanPick : null;
      onConnected(client, { hosted, ...(hosted ? { name: hostedHere.name } : lan ? { name: lan.name } : {}) });
    } catch (err) {
      const failure = err instanceof ConnectFailure ? err : new ConnectFailure('UNREACHABLE', String(err));
      if (failure.code === 'CERTIFICATE_CHANGED' && failure.certificates) {
        setBusy(false);
        return setChanged({ url, ...failure.certificates });
      }
      if (failure.code === ErrorCode.JOIN_CODE_REQUIRED || failure.code === ErrorCode.JOIN_CODE_INVALID) setNeedsCode(true);
      setError(errorText(failure));
      if (!NOT_CONNECTION.includes(failure.code)) setFailed(url);
      setBusy(false);
    }
  };

  const pickSession = (s: LanSession) => {
    setLanPick(s);
    setServer(s.url);
    setNeedsCode(s.needsCode);
    setCode('');
    setError(null);
  };
  const hosted = (h: HostedSession) => {
    setHostedHere(h);
    setServer(h.localUrl);
    setCode(h.joinCode ?? '');
    setNeedsCode(h.joinCode !== null);
  };
  const pickServer = (url: string) => {
    setServer(url);
    const known = nicknameFor(url);
    if (known) setNickname(known);
    setNeedsCode(false);
    setCode('');
    void join(url, known);
  };

  // The doctor takes the screen's place and hands it back as it was (the form keeps what was typed).
  if (changed) {
    const retry = async () => {
      setChanged(null);
      await join(changed.url, undefined, changed);
    };
    return (
      <main class="connect">
        <CertificateChanged changed={changed} onCancel={() => setChanged(null)} onTrust={() => void retry()} />
      </main>
    );
  }
  if (doctor && failed) return <DoctorScreen url={failed} autoRun secrets={code.trim() ? [code.trim()] : []} onClose={() => setDoctor(false)} notificationsOff={settings ? !settings.notifications : false} />;

  return (
    <main class="connect">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void join(server);
        }}
        aria-labelledby="connect-title"
        noValidate
      >
        <h1 id="connect-title">{onCancel ? t('connect.addTitle') : t('app.name')}</h1>
        <p class="muted">{onCancel ? t('connect.addIntro') : t('connect.intro')}</p>
        <label for="server">{t('connect.address')}</label>
        <input id="server" type="url" dir="ltr" inputMode="url" autoComplete="url" value={server} onInput={(e) => setServer(e.currentTarget.value)} placeholder={EXAMPLE_ADDRESS} />
        <label for="nickname">{t('connect.nickname')}</label>
        <input id="nickname" dir="auto" ref={nickRef} autoComplete="nickname" maxLength={64} value={nickname} onInput={(e) => setNickname(e.currentTarget.value)} />
        {needsCode && (
          <>
            <label for="join-code">{t('connect.joinCode')}</label>
            <input id="join-code" dir="ltr" ref={codeRef} autoComplete="off" autoCapitalize="characters" spellcheck={false} maxLength={12} value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          </>
        )}
        {room && <p class="muted">{t('connect.opensRoom', { room: `#${room}` })}</p>}
        {pageFingerprint && (
          // A page cannot see which certificate its browser accepted (and a man in the middle would
          // serve this very page), so only the person can compare: say what to compare with.
          <p class="muted small check-fingerprint">
            {t('connect.checkFingerprint')} <Fingerprint fp={pageFingerprint} />
          </p>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {error && failed && (
          <button type="button" class="link" onClick={() => setDoctor(true)}>
            {t('doctor.diagnoseConnection')}
          </button>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('connect.joining') : t('connect.join')}
        </button>
        {onCancel && (
          <button type="button" class="quiet" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </form>
      {inDesktop && <DesktopConnectExtras onPickSession={pickSession} onHosted={hosted} onPickServer={pickServer} currentServer={server} />}
    </main>
  );
}

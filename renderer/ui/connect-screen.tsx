/**
 * The first screen: where to connect and under which nickname. In a browser the address defaults to
 * the page's own origin (the relay that served it); in the desktop app the main process also offers
 * LAN sessions found by discovery, saved servers, and hosting a session on this computer.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { cleanNickname, ErrorCode, type HostedSession, type LanSession } from '../../protocol/index';
import { ChatClient, ConnectFailure } from '../model/chat-client';
import { desktop } from '../platform/desktop';
import { askNotificationPermission } from '../platform/notify';
import { lastLogin, saveLastLogin, store, userKey } from './session';
import { normalizeServerUrl } from './server-url';
import { DesktopConnectExtras } from './desktop-connect';

const MESSAGES: Partial<Record<ErrorCode | 'UNREACHABLE', string>> = {
  UNREACHABLE: 'Cannot reach the server. Check the address and that the server is running.',
  [ErrorCode.NICKNAME_TAKEN]: 'That nickname is taken. Choose another one.',
  [ErrorCode.INVALID_NICKNAME]: 'That nickname is not allowed.',
  [ErrorCode.JOIN_CODE_REQUIRED]: 'This session needs a join code. Ask the host for it.',
  [ErrorCode.JOIN_CODE_INVALID]: 'That join code is not right.',
  [ErrorCode.LOCKED_OUT]: 'Too many wrong join codes. Wait a minute and try again.',
  [ErrorCode.ORIGIN_NOT_ALLOWED]: 'This server does not accept connections from this page.',
};

export function ConnectScreen({ onConnected }: { onConnected: (c: ChatClient) => void }): JSX.Element {
  const last = lastLogin();
  const defaultServer = typeof location !== 'undefined' && location.protocol.startsWith('http') ? location.origin : '';
  const [server, setServer] = useState(last?.server ?? defaultServer);
  const [nickname, setNickname] = useState(last?.nickname ?? '');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nickRef = useRef<HTMLInputElement>(null);

  useEffect(() => nickRef.current?.focus(), []);
  useEffect(() => {
    const api = desktop();
    if (!api) return;
    void api.getSettings().then((s) => {
      if (!last?.nickname && s.nickname) setNickname(s.nickname);
      if (!last?.server && s.lastServer) setServer(s.lastServer);
    });
    return api.onJoinLink((link) => {
      setServer(link.url);
      if (link.code) {
        setCode(link.code);
        setNeedsCode(true);
      }
    });
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const url = normalizeServerUrl(server);
    if (!url) return setError('Enter a server address such as http://192.168.1.20:3000.');
    const nick = cleanNickname(nickname);
    if (!nick.ok) return setError(nick.reason);
    setBusy(true);
    void askNotificationPermission();
    const client = new ChatClient({ url, nickname: nick.nickname, key: userKey(), storage: store, ...(code.trim() ? { joinCode: code.trim().toUpperCase() } : {}) });
    try {
      await client.start();
      saveLastLogin({ server: url, nickname: nick.nickname });
      void desktop()?.updateSettings({ nickname: nick.nickname, lastServer: url });
      onConnected(client);
    } catch (err) {
      const failure = err instanceof ConnectFailure ? err : new ConnectFailure('UNREACHABLE', String(err));
      if (failure.code === ErrorCode.JOIN_CODE_REQUIRED || failure.code === ErrorCode.JOIN_CODE_INVALID) setNeedsCode(true);
      setError(MESSAGES[failure.code] ?? failure.message);
      setBusy(false);
    }
  };

  const useSession = (s: LanSession) => {
    setServer(s.url);
    setNeedsCode(s.needsCode);
    setError(null);
  };
  const useHosted = (h: HostedSession) => {
    setServer(h.localUrl);
    setCode(h.joinCode ?? '');
    setNeedsCode(h.joinCode !== null);
  };

  return (
    <main class="connect">
      <form class="card" onSubmit={submit} aria-labelledby="connect-title" noValidate>
        <h1 id="connect-title">Parley</h1>
        <p class="muted">Chat on your network or in the cloud.</p>
        <label for="server">Server address</label>
        <input id="server" type="url" inputMode="url" autoComplete="url" value={server} onInput={(e) => setServer(e.currentTarget.value)} placeholder="http://192.168.1.20:3000" />
        <label for="nickname">Nickname</label>
        <input id="nickname" ref={nickRef} autoComplete="nickname" maxLength={64} value={nickname} onInput={(e) => setNickname(e.currentTarget.value)} />
        {needsCode && (
          <>
            <label for="join-code">Join code</label>
            <input id="join-code" autoComplete="off" autoCapitalize="characters" spellcheck={false} maxLength={12} value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          </>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Joining…' : 'Join'}
        </button>
      </form>
      {desktop() && <DesktopConnectExtras onPickSession={useSession} onHosted={useHosted} onPickServer={(url) => setServer(url)} />}
    </main>
  );
}

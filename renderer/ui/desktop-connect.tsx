/** Desktop-only parts of the connect screen: LAN sessions (live), saved servers, and hosting a session. */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { DesktopSettings, HostedSession, LanSession } from '../../protocol/index';
import { desktop } from '../platform/desktop';

interface Props {
  onPickSession: (s: LanSession) => void;
  onPickServer: (url: string) => void;
  onHosted: (h: HostedSession) => void;
}

export function DesktopConnectExtras({ onPickSession, onPickServer, onHosted }: Props): JSX.Element | null {
  const api = desktop();
  const [sessions, setSessions] = useState<LanSession[]>([]);
  const [settings, setSettings] = useState<DesktopSettings | null>(null);
  const [hosted, setHosted] = useState<HostedSession | null>(null);
  const [hostName, setHostName] = useState('My session');
  const [lan, setLan] = useState(true);
  const [hostError, setHostError] = useState<string | null>(null);

  useEffect(() => {
    if (!api) return;
    void api.listLanSessions().then(setSessions);
    void api.getSettings().then(setSettings);
    void api.getHostedSession().then(setHosted);
    return api.onLanSessions(setSessions);
  }, []);
  if (!api) return null;

  const host = async () => {
    setHostError(null);
    try {
      const h = await api.hostSession({ name: hostName.trim() || 'Parley session', lan });
      setHosted(h);
      onHosted(h);
    } catch (err) {
      setHostError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <aside class="card extras" aria-label="Sessions on this network">
      <h2>On this network</h2>
      {sessions.length === 0 ? (
        <p class="muted">No sessions found yet. Searching…</p>
      ) : (
        <ul class="plain">
          {sessions.map((s) => (
            <li key={s.id}>
              <button type="button" class="link" onClick={() => onPickSession(s)}>
                {s.name} <span class="muted">— {s.host || 'unknown host'}{s.needsCode ? ' · code needed' : ''}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {settings && settings.savedServers.length > 0 && (
        <>
          <h2>Saved servers</h2>
          <ul class="plain">
            {settings.savedServers.map((s) => (
              <li key={s.url}>
                <button type="button" class="link" onClick={() => onPickServer(s.url)}>
                  {s.name} <span class="muted">{s.url}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Host a session</h2>
      {hosted ? (
        <div class="hosted">
          <p>
            Hosting <strong>{hosted.name}</strong>
          </p>
          {hosted.lanUrls.map((u) => (
            <p key={u} class="mono">{u}</p>
          ))}
          {hosted.joinCode && (
            <p>
              Join code: <strong class="mono">{hosted.joinCode}</strong>
            </p>
          )}
          <button type="button" onClick={() => void api.stopHosting().then(() => setHosted(null))}>
            Stop hosting
          </button>
        </div>
      ) : (
        <div class="host-form">
          <label for="host-name">Session name</label>
          <input id="host-name" value={hostName} onInput={(e) => setHostName(e.currentTarget.value)} />
          <label class="check">
            <input type="checkbox" checked={lan} onChange={(e) => setLan(e.currentTarget.checked)} /> Let others on this network join
          </label>
          {hostError && <p class="error" role="alert">{hostError}</p>}
          <button type="button" onClick={() => void host()}>
            Start hosting
          </button>
        </div>
      )}
    </aside>
  );
}

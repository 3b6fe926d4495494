/** Hosting a session on this computer: start and stop it, and the addresses and join code to share. */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { HostedSession } from '../../protocol/index';
import { desktop } from '../platform/desktop';
import { CopyButton } from './copy-button';

export function HostPanel({ onHosted }: { onHosted: (h: HostedSession) => void }): JSX.Element | null {
  const api = desktop();
  const [hosted, setHosted] = useState<HostedSession | null>(null);
  const [name, setName] = useState('My session');
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
      const h = await api.hostSession({ name: name.trim() || 'Parley session', lan });
      setHosted(h);
      onHosted(h);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
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
      <h2 id="host-title">Host a session</h2>
      {hosted ? (
        <div class="hosted" role="group" aria-label="Hosted session">
          <p>
            Hosting <strong>{hosted.name}</strong>
          </p>
          {hosted.lanUrls.length > 0 ? (
            <>
              <p class="muted small">Others on your network join at:</p>
              <ul class="plain">
                {hosted.lanUrls.map((u) => (
                  <li key={u} class="copyable">
                    <span class="mono">{u}</span> <CopyButton text={u} label={`Copy ${u}`} />
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p class="muted small">Only this computer can join (not shared on the network).</p>
          )}
          {hosted.joinCode && (
            <p class="copyable">
              Join code: <strong class="mono join-code">{hosted.joinCode}</strong> <CopyButton text={hosted.joinCode} label="Copy join code" />
            </p>
          )}
          <button type="button" onClick={() => void stop()}>
            Stop hosting
          </button>
        </div>
      ) : (
        <div class="host-form">
          <label for="host-name">Session name</label>
          <input id="host-name" value={name} maxLength={64} onInput={(e) => setName(e.currentTarget.value)} />
          <label class="check">
            <input type="checkbox" checked={lan} onChange={(e) => setLan(e.currentTarget.checked)} /> Let others on this network join
          </label>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="button" disabled={busy} onClick={() => void start()}>
            Start hosting
          </button>
        </div>
      )}
    </section>
  );
}

/** The desktop's saved servers: open one, save the address being typed under a name, remove one. */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { SavedServer } from '../../protocol/index';
import { desktop } from '../platform/desktop';
import { normalizeServerUrl } from './server-url';

export function SavedServers({ onPick, currentServer }: { onPick: (url: string) => void; currentServer: string }): JSX.Element | null {
  const api = desktop();
  const [servers, setServers] = useState<SavedServer[]>([]);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api?.getSettings().then((s) => setServers(s.savedServers));
  }, []);
  if (!api) return null;

  const current = normalizeServerUrl(currentServer);
  const save = async (list: SavedServer[]) => {
    setError(null);
    try {
      setServers((await api.updateSettings({ savedServers: list })).savedServers);
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const label = name.trim();
    if (!current) return setError('Type a server address first.');
    if (!label) return setError('Give the server a name.');
    if (await save([...servers.filter((s) => s.url !== current), { name: label, url: current }])) {
      setNaming(false);
      setName('');
    }
  };

  return (
    <section aria-labelledby="saved-title">
      <h2 id="saved-title">Saved servers</h2>
      {servers.length === 0 && <p class="muted small">Servers you save appear here.</p>}
      <ul class="plain" aria-label="Saved servers">
        {servers.map((s) => (
          <li key={s.url} class="saved-server">
            <button type="button" class="link" onClick={() => onPick(s.url)}>
              {s.name} <span class="muted">{s.url}</span>
            </button>
            <button type="button" class="quiet" aria-label={`Remove ${s.name}`} onClick={() => void save(servers.filter((x) => x.url !== s.url))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {naming ? (
        <form class="save-server" onSubmit={add} aria-label="Save server">
          <label for="saved-name">Name for {current ?? 'this address'}</label>
          <input id="saved-name" value={name} maxLength={64} onInput={(e) => setName(e.currentTarget.value)} placeholder="Team cloud" />
          <div class="row">
            <button type="submit">Save</button>
            <button type="button" class="quiet" onClick={() => setNaming(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" class="link" disabled={!current} onClick={() => setNaming(true)}>
          Save the address above
        </button>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

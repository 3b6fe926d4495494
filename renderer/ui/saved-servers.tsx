/** The desktop's saved servers: open one, save the address being typed under a name, remove one. */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { SavedServer } from '../../protocol/index';
import { desktop } from '../platform/desktop';
import { normalizeServerUrl } from './server-url';
import { errorText, t } from '../i18n/index';

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
      setError(errorText(err));
      return false;
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const label = name.trim();
    if (!current) return setError(t('saved.noAddress'));
    if (!label) return setError(t('saved.noName'));
    if (await save([...servers.filter((s) => s.url !== current), { name: label, url: current }])) {
      setNaming(false);
      setName('');
    }
  };

  return (
    <section aria-labelledby="saved-title">
      <h2 id="saved-title">{t('saved.title')}</h2>
      {servers.length === 0 && <p class="muted small">{t('saved.empty')}</p>}
      <ul class="plain" aria-label={t('saved.title')}>
        {servers.map((s) => (
          <li key={s.url} class="saved-server">
            <button type="button" class="link" onClick={() => onPick(s.url)}>
              <bdi>{s.name}</bdi>{' '}
              <bdi class="muted">{s.url}</bdi>
            </button>
            <button type="button" class="quiet" aria-label={t('common.removeNamed', { name: s.name })} onClick={() => void save(servers.filter((x) => x.url !== s.url))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {naming ? (
        <form class="save-server" onSubmit={add} aria-label={t('saved.form')}>
          <label for="saved-name">{t('saved.nameFor', { address: current ?? t('saved.thisAddress') })}</label>
          <input id="saved-name" dir="auto" value={name} maxLength={64} onInput={(e) => setName(e.currentTarget.value)} placeholder={t('saved.namePlaceholder')} />
          <div class="row">
            <button type="submit">{t('common.save')}</button>
            <button type="button" class="quiet" onClick={() => setNaming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" class="link" disabled={!current} onClick={() => setNaming(true)}>
          {t('saved.saveAddress')}
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

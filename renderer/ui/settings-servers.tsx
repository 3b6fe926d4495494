/**
 * The servers part of the settings screen: the open servers in rail order, each renamed, moved,
 * muted, saved for the next start (desktop) or removed; and the desktop's saved servers not open now.
 * A change to a saved server is written to settings by the caller (`onSavedChange`).
 */
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { SavedServer } from '../../protocol/index';
import type { ServerEntry, ServerSet } from '../model/server-set';
import { serverId } from '../model/server-set';
import { errorText, t } from '../i18n/index';

interface Props {
  servers: ServerSet;
  /** The desktop's saved servers; null in a browser (it has no saved list). */
  saved: SavedServer[] | null;
  onSavedChange: () => Promise<void>;
  /** Removes a server: signs out of it when open, and takes it off the saved list. */
  onRemove: (id: string) => Promise<void>;
  onOpenSaved: (s: SavedServer) => void;
}

/** What settings.json accepts as a server name (main/settings/schema.ts checks it again). */
export function checkServerName(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return t('servers.noName');
  if ([...trimmed].length > 64) return t('servers.nameTooLong', { max: 64 });
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(trimmed)) return t('servers.nameControl');
  return null;
}

export function SettingsServers({ servers, saved, onSavedChange, onRemove, onOpenSaved }: Props): JSX.Element {
  void servers.revision.value;
  const [error, setError] = useState<string | null>(null);
  const list = servers.list();
  const openIds = new Set(list.map((e) => e.id));
  const notOpen = (saved ?? []).filter((s) => !openIds.has(serverId(s.url) ?? s.url));

  const apply = async (change: () => void) => {
    setError(null);
    change();
    try {
      await onSavedChange();
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section aria-labelledby="settings-servers">
      <h2 id="settings-servers">{t('servers.title')}</h2>
      {list.length === 0 && <p class="muted small">{t('servers.none')}</p>}
      <ul class="plain server-rows" aria-label={t('servers.open')}>
        {list.map((e, i) => (
          <ServerRow
            key={e.id}
            entry={e}
            first={i === 0}
            last={i === list.length - 1}
            canSave={saved !== null}
            onRename={(name) => apply(() => servers.rename(e.id, name))}
            onMove={(by) => apply(() => servers.move(e.id, by))}
            onToggle={(patch) => apply(() => servers.update(e.id, patch))}
            onRemove={() => void onRemove(e.id).catch((err: unknown) => setError(errorText(err)))}
          />
        ))}
      </ul>
      {notOpen.length > 0 && (
        <>
          <h3>{t('servers.savedNotOpen')}</h3>
          <ul class="plain server-rows" aria-label={t('servers.savedNotOpenList')}>
            {notOpen.map((s) => (
              <li key={s.url} class="server-row">
                <span class="server-label">
                  <bdi>{s.name}</bdi> <bdi class="muted small">{s.url}</bdi>
                </span>
                <span class="row">
                  <button type="button" onClick={() => onOpenSaved(s)}>
                    {t('common.open')}
                  </button>
                  <button type="button" class="quiet" aria-label={t('common.removeNamed', { name: s.name })} onClick={() => void onRemove(serverId(s.url) ?? s.url).catch((err: unknown) => setError(errorText(err)))}>
                    {t('common.remove')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

interface RowProps {
  entry: ServerEntry;
  first: boolean;
  last: boolean;
  canSave: boolean;
  onRename: (name: string) => Promise<void>;
  onMove: (by: number) => Promise<void>;
  onToggle: (patch: { saved?: boolean; notifications?: boolean }) => Promise<void>;
  onRemove: () => void;
}

function ServerRow({ entry, first, last, canSave, onRename, onMove, onToggle, onRemove }: RowProps): JSX.Element {
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState(entry.name);
  const [problem, setProblem] = useState<string | null>(null);
  const rename = async (e: Event) => {
    e.preventDefault();
    const wrong = checkServerName(name);
    if (wrong) return setProblem(wrong);
    setProblem(null);
    await onRename(name.trim());
    setNaming(false);
  };
  return (
    <li class="server-row">
      {naming ? (
        <form class="row" onSubmit={rename} aria-label={t('servers.renameNamed', { name: entry.name })}>
          <label class="sr-only" for={`name-${entry.id}`}>
            {t('servers.newName', { name: entry.name })}
          </label>
          <input id={`name-${entry.id}`} value={name} maxLength={64} onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit">{t('common.save')}</button>
          <button type="button" class="quiet" onClick={() => setNaming(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <span class="server-label">
          <bdi>{entry.name}</bdi> <bdi class="muted small">{entry.id}</bdi>
          {entry.hosted && <span class="tag">{t('common.hostedHere')}</span>}
        </span>
      )}
      {problem && (
        <p class="error small" role="alert">
          {problem}
        </p>
      )}
      <span class="row wrap">
        <label class="check">
          <input type="checkbox" checked={entry.notifications} onChange={(e) => void onToggle({ notifications: e.currentTarget.checked })} /> {t('servers.notifications')}
        </label>
        {canSave && !entry.hosted && (
          <label class="check">
            <input type="checkbox" checked={entry.saved} onChange={(e) => void onToggle({ saved: e.currentTarget.checked })} /> {t('servers.keep')}
          </label>
        )}
      </span>
      <span class="row wrap">
        <button type="button" onClick={() => setNaming(true)} aria-label={t('servers.renameNamed', { name: entry.name })}>
          {t('servers.rename')}
        </button>
        <button type="button" disabled={first} onClick={() => void onMove(-1)} aria-label={t('servers.up', { name: entry.name })}>
          ↑
        </button>
        <button type="button" disabled={last} onClick={() => void onMove(1)} aria-label={t('servers.down', { name: entry.name })}>
          ↓
        </button>
        <button type="button" class="quiet" onClick={onRemove} aria-label={t('common.removeNamed', { name: entry.name })}>
          {t('common.remove')}
        </button>
      </span>
    </li>
  );
}

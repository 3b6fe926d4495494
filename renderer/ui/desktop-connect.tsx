/** Desktop-only parts of the connect screen: LAN sessions (live), saved servers, and hosting a session. */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { HostedSession, LanSession } from '../../protocol/index';
import { desktop } from '../platform/desktop';
import { t } from '../i18n/index';
import { HostPanel } from './host-panel';
import { SavedServers } from './saved-servers';

interface Props {
  onPickSession: (s: LanSession) => void;
  onPickServer: (url: string) => void;
  onHosted: (h: HostedSession) => void;
  /** What the address field holds now, offered for saving. */
  currentServer: string;
}

export function DesktopConnectExtras({ onPickSession, onPickServer, onHosted, currentServer }: Props): JSX.Element | null {
  const api = desktop();
  const [sessions, setSessions] = useState<LanSession[]>([]);

  useEffect(() => {
    if (!api) return;
    void api.listLanSessions().then(setSessions);
    return api.onLanSessions(setSessions);
  }, []);
  if (!api) return null;

  return (
    <aside class="card extras" aria-label={t('lan.region')}>
      <section aria-labelledby="lan-title">
        <h2 id="lan-title">{t('lan.title')}</h2>
        {sessions.length === 0 ? (
          <p class="muted">{t('lan.searching')}</p>
        ) : (
          <ul class="plain" aria-label={t('lan.list')}>
            {sessions.map((s) => (
              <li key={s.id}>
                <button type="button" class="link" onClick={() => onPickSession(s)}>
                  <bdi>{s.name}</bdi> <span class="muted">— {[s.host || t('lan.unknownHost'), ...(s.needsCode ? [t('lan.codeNeeded')] : [])].join(' · ')}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <SavedServers onPick={onPickServer} currentServer={currentServer} />
      <HostPanel onHosted={onHosted} />
    </aside>
  );
}

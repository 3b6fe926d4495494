/**
 * The server rail, as Slack's workspace switcher: one button per open server (its initials, an
 * unread badge, a dot when it is not connected), then "Add a server" and "Settings". Every server
 * stays connected; a click only changes which one is shown.
 */
import type { JSX } from 'preact';
import type { ServerEntry, ServerSet } from '../model/server-set';
import { formatNumber, t } from '../i18n/index';

export type RailView = 'chat' | 'add' | 'settings';

interface Props {
  servers: ServerSet;
  view: RailView;
  onShow: (id: string) => void;
  onAdd: () => void;
  onSettings: () => void;
}

export function ServerRail({ servers, view, onShow, onAdd, onSettings }: Props): JSX.Element {
  void servers.revision.value; // re-render on list changes
  const active = servers.active.value;
  return (
    <nav class="rail" aria-label={t('rail.label')}>
      <ul class="plain">
        {servers.list().map((e) => (
          <li key={e.id}>
            <RailButton entry={e} current={view === 'chat' && e.id === active} onClick={() => onShow(e.id)} />
          </li>
        ))}
      </ul>
      <button type="button" class={view === 'add' ? 'rail-btn tool current' : 'rail-btn tool'} aria-label={t('rail.add')} title={t('rail.add')} onClick={onAdd}>
        +
      </button>
      <button type="button" class={view === 'settings' ? 'rail-btn tool current' : 'rail-btn tool'} aria-label={t('rail.settings')} title={t('rail.settings')} onClick={onSettings}>
        ⚙
      </button>
    </nav>
  );
}

function RailButton({ entry, current, onClick }: { entry: ServerEntry; current: boolean; onClick: () => void }): JSX.Element {
  // Read here so this button re-renders when its own server's counts or connection change.
  void entry.client.revision.value;
  const unread = entry.client.unread.total();
  const online = entry.client.status.value === 'online';
  const mark = initials(entry.name);
  const label = [entry.name, entry.hosted ? t('common.hostedHere') : null, unread > 0 ? t('common.unread', { count: unread }) : null, online ? null : t('rail.offline')].filter(Boolean).join(t('format.listSeparator'));
  return (
    <button type="button" class={current ? 'rail-btn current' : 'rail-btn'} aria-label={label} aria-current={current ? 'page' : undefined} title={entry.name} onClick={onClick}>
      {/* ".20", an address's last number, reads left to right on a right-to-left page too. */}
      <span aria-hidden="true" dir={mark.startsWith('.') ? 'ltr' : 'auto'}>
        {mark}
      </span>
      {unread > 0 && (
        <span class="badge" aria-hidden="true">
          {badgeNumber(unread)}
        </span>
      )}
      {!online && <span class="offline-dot" aria-hidden="true" />}
    </button>
  );
}

/** An unread badge: the count in the active locale's digits, "99+" past 99. */
export function badgeNumber(count: number): string {
  return count > 99 ? t('format.overflow', { max: 99 }) : formatNumber(count);
}

/**
 * "Team cloud" → "TC", "chat.example.com" → "CE", "192.168.1.20:3000" → ".20" (an address's last
 * number tells LAN hosts apart better than its first, and the dot keeps it from reading as a count):
 * at most two letters or digits.
 */
export function initials(name: string): string {
  const host = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/.exec(name);
  if (host) return `.${host[1]!.split('.').pop()!}`;
  const words = name
    .split(/[\s.:_-]+/u)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter((w) => w !== '');
  if (words.length === 0) return '?';
  const letters = words.length > 1 ? [...words[0]!][0]! + [...words[1]!][0]! : [...words[0]!].slice(0, 2).join('');
  return letters.toLocaleUpperCase();
}

/** Rooms and direct messages with unread counts, a form to join or create a room, and sign-out. */
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { toRoomName } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { useModel } from './use-model';
import { badgeNumber } from './server-rail';
import { conversationTitle, errorText, t } from '../i18n/index';

export function Sidebar({ client, serverName, onLeave }: { client: ChatClient; serverName: string; onLeave: () => void }): JSX.Element {
  useModel(client);
  const convs = client.conversations();
  const active = client.active.value;
  const [room, setRoom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const rooms = convs.filter((c) => c.kind === 'room');
  const dms = convs.filter((c) => c.kind === 'dm');

  const join = async (e: Event) => {
    e.preventDefault();
    const name = toRoomName(room);
    if (!name) return setError(t('sidebar.badRoom'));
    setError(null);
    try {
      await client.joinRoom(name, true);
      setRoom('');
    } catch (err) {
      setError(errorText(err));
    }
  };

  const item = (c: (typeof convs)[number]) => {
    const unread = client.unread.get(c.id);
    return (
      <li key={c.id}>
        <button
          type="button"
          class={c.id === active ? 'conv active' : 'conv'}
          aria-current={c.id === active ? 'page' : undefined}
          onClick={() => client.setActive(c.id)}
        >
          <bdi class="name">{conversationTitle(c)}</bdi>
          {unread > 0 && (
            <span class="badge" aria-label={t('common.unread', { count: unread })}>
              {badgeNumber(unread)}
            </span>
          )}
        </button>
      </li>
    );
  };

  return (
    <nav class="sidebar" aria-label={t('sidebar.label')}>
      <p class="server-name" title={client.url}>
        <bdi>{serverName}</bdi>
      </p>
      <div class="me">
        <strong>
          <bdi>{client.me.value?.username}</bdi>
        </strong>
        <button type="button" class="quiet" onClick={onLeave} title={t('sidebar.signOutHint', { server: serverName })}>
          {t('sidebar.signOut')}
        </button>
      </div>
      <h2>{t('sidebar.rooms')}</h2>
      <ul class="plain">{rooms.map(item)}</ul>
      <form class="join-room" onSubmit={join} onFocusIn={() => void client.refreshDirectory()}>
        <label for="room-name">{t('sidebar.joinRoom')}</label>
        <input id="room-name" dir="ltr" list="room-directory" value={room} onInput={(e) => setRoom(e.currentTarget.value)} placeholder={t('sidebar.roomPlaceholder')} />
        <datalist id="room-directory">
          {client.directory.value.map((r) => (
            <option key={r.room} value={r.room}>{t('common.here', { count: r.numUsers })}</option>
          ))}
        </datalist>
        <button type="submit">{t('sidebar.joinButton')}</button>
        {error && <p class="error" role="alert">{error}</p>}
      </form>
      <h2>{t('sidebar.dms')}</h2>
      {dms.length === 0 ? <p class="muted small">{t('sidebar.noDms')}</p> : <ul class="plain">{dms.map(item)}</ul>}
    </nav>
  );
}

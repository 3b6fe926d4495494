/** Who is in the active room, with the count; choosing someone opens a DM with them. */
import type { JSX } from 'preact';
import type { ChatClient } from '../model/chat-client';
import type { Conversation } from '../model/conversation';
import { useModel } from './use-model';
import { t, tElements } from '../i18n/index';

export function Participants({ client, conv }: { client: ChatClient; conv: Conversation }): JSX.Element {
  useModel(client);
  const me = client.me.value?.userId;
  const users = conv.kind === 'room' ? conv.presence.list() : [];
  // While disconnected the list is what it was when the connection dropped: say so, and dim it.
  const stale = client.status.value !== 'online';
  return (
    <aside class={stale ? 'participants stale' : 'participants'} aria-labelledby="participants-title">
      <h2 id="participants-title">
        {conv.kind === 'room' ? t('participants.title', { count: users.length }) : t('participants.dm')}
      </h2>
      {conv.kind === 'dm' && <p class="muted">{tElements('participants.dmPrivate', { name: <bdi>{conv.peerName ?? t('participants.them')}</bdi> })}</p>}
      {stale && conv.kind === 'room' && <p class="muted small">{t('participants.stale')}</p>}
      <ul class="plain">
        {users.map((u) => (
          <li key={u.id}>
            {u.id === me ? (
              <span class="self">{tElements('participants.you', { name: <bdi>{u.username}</bdi> })}</span>
            ) : u.classic ? (
              <bdi title={t('participants.classic')}>{u.username}</bdi>
            ) : (
              <button type="button" class="link" onClick={() => client.openDm(u)} aria-label={t('participants.message', { name: u.username })}>
                <bdi>{u.username}</bdi>
              </button>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}

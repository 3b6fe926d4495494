/** Who is in the active room, with the count; choosing someone opens a DM with them. */
import type { JSX } from 'preact';
import type { ChatClient } from '../model/chat-client';
import type { Conversation } from '../model/conversation';
import { useModel } from './use-model';

export function Participants({ client, conv }: { client: ChatClient; conv: Conversation }): JSX.Element {
  useModel(client);
  const me = client.me.value?.userId;
  const users = conv.kind === 'room' ? conv.presence.list() : [];
  // While disconnected the list is what it was when the connection dropped: say so, and dim it.
  const stale = client.status.value !== 'online';
  return (
    <aside class={stale ? 'participants stale' : 'participants'} aria-labelledby="participants-title">
      <h2 id="participants-title">
        {conv.kind === 'room' ? `Participants (${users.length})` : 'Direct message'}
      </h2>
      {conv.kind === 'dm' && <p class="muted">Only you and {conv.peerName ?? 'them'} can read this.</p>}
      {stale && conv.kind === 'room' && <p class="muted small">As of the last connection.</p>}
      <ul class="plain">
        {users.map((u) => (
          <li key={u.id}>
            {u.id === me ? (
              <span class="self">
                <bdi>{u.username}</bdi> (you)
              </span>
            ) : u.classic ? (
              <bdi title="Uses the classic client: no direct messages">{u.username}</bdi>
            ) : (
              <button type="button" class="link" onClick={() => client.openDm(u)} aria-label={`Message ${u.username} directly`}>
                <bdi>{u.username}</bdi>
              </button>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}

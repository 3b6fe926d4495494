/** The connection banner: connecting, reconnecting in N s (with "Retry now"), offline; hidden when online. */
import type { JSX } from 'preact';
import type { ChatClient } from '../model/chat-client';
import { useNow } from './use-now';
import { useModel } from './use-model';

export function Banner({ client }: { client: ChatClient }): JSX.Element | null {
  const status = client.status.value;
  const retryAt = client.retryAt.value;
  const now = useNow(status === 'reconnecting');
  useModel(client);
  const queued = client.outbox.queuedCount;
  if (status === 'online' && client.serverStatus.value === 'degraded') {
    return (
      <div class="banner degraded" role="status">
        <span>The server cannot reach its message store. People on the same server see your messages now; everyone else gets them once it is back.</span>
      </div>
    );
  }
  if (status === 'online' || status === 'closed') return null;
  const queuedText = queued > 0 ? ` ${queued} message${queued === 1 ? '' : 's'} will be sent when you're back.` : '';
  let text: string;
  if (status === 'connecting') text = 'Connecting…';
  else if (status === 'offline') text = `You're offline.${queuedText}`;
  else {
    // A relay that announced its shutdown ended the session on purpose: say so, not "connection lost".
    const lost = client.serverClosed.value
      ? 'The server closed the session.'
      : client.fromCache.value
        ? "Can't reach the server: showing saved messages."
        : 'Connection lost.';
    if (retryAt !== null && retryAt > now) text = `${lost} Reconnecting in ${Math.ceil((retryAt - now) / 1000)} s…${queuedText}`;
    else text = `${client.serverClosed.value || client.fromCache.value ? `${lost} ` : ''}Reconnecting…${queuedText}`;
  }
  return (
    <div class={`banner ${status}`} role="status">
      <span>{text}</span>
      {status !== 'connecting' && (
        <button type="button" class="quiet" onClick={() => client.retryNow()}>
          Retry now
        </button>
      )}
    </div>
  );
}

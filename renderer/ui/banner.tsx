/**
 * The connection banner: connecting, reconnecting in N s (with "Retry now" and, since the server
 * cannot be reached, "Diagnose": the connection doctor), offline; hidden when online.
 */
import type { JSX } from 'preact';
import type { ChatClient } from '../model/chat-client';
import { formatRelative, t } from '../i18n/index';
import { useNow } from './use-now';
import { useModel } from './use-model';

export function Banner({ client, onDiagnose }: { client: ChatClient; onDiagnose?: () => void }): JSX.Element | null {
  const status = client.status.value;
  const retryAt = client.retryAt.value;
  const now = useNow(status === 'reconnecting');
  useModel(client);
  const queued = client.outbox.queuedCount;
  if (status === 'online' && client.serverStatus.value === 'degraded') {
    return (
      <div class="banner degraded" role="status">
        <span>{t('banner.degraded')}</span>
      </div>
    );
  }
  if (status === 'online' || status === 'closed') return null;
  const sentences: string[] = [];
  if (status === 'connecting') sentences.push(t('banner.connecting'));
  else if (status === 'offline') sentences.push(t('banner.offline'));
  else {
    // A relay that announced its shutdown ended the session on purpose: say so, not "connection lost".
    const lost = client.serverClosed.value ? t('banner.closed') : client.fromCache.value ? t('banner.cached') : t('banner.lost');
    if (retryAt !== null && retryAt > now) sentences.push(lost, t('banner.reconnectingIn', { when: formatRelative(Math.ceil((retryAt - now) / 1000), 'second') }));
    else sentences.push(...(client.serverClosed.value || client.fromCache.value ? [lost] : []), t('banner.reconnecting'));
  }
  if (status !== 'connecting' && queued > 0) sentences.push(t('banner.queued', { count: queued }));
  return (
    <div class={`banner ${status}`} role="status">
      <span>{sentences.join(t('format.sentenceSeparator'))}</span>
      {status !== 'connecting' && (
        <span class="banner-actions">
          <button type="button" class="quiet" onClick={() => client.retryNow()}>
            {t('banner.retry')}
          </button>
          {status === 'reconnecting' && onDiagnose && (
            <button type="button" class="quiet" onClick={onDiagnose}>
              {t('doctor.diagnose')}
            </button>
          )}
        </span>
      )}
    </div>
  );
}

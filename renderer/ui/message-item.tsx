/** One timeline entry: a message (own ones with their delivery state) or a system line. */
import type { JSX } from 'preact';
import { isDmRoom } from '../../protocol/index';
import type { SystemEntry, TimelineEntry } from '../model/timeline';
import type { ChatClient } from '../model/chat-client';
import { uploaded } from '../model/outbox';
import { MessageText } from '../render/markdown-view';
import { Attachments } from './attachments';
import { MessageBody } from './message-body';
import { PendingChips } from './upload-chips';
import { useModel } from './use-model';
import { formatDateTime, formatTime, modelText, systemLine, t, tElements, type MessageKey } from '../i18n/index';

/** A stable hue per author, so names are easy to tell apart at a glance. */
function hue(id: string): number {
  let h = 7;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(h) % 360;
}

interface Props {
  entry: TimelineEntry;
  first: boolean;
  selfId: string | undefined;
  selfName: string | undefined;
  client: ChatClient;
  /** Opened from a search: marked, and focusable so the focus can land on it. */
  found?: boolean;
}

export function MessageItem({ entry, first, selfId, selfName, client, found = false }: Props): JSX.Element {
  // Translated text reads the locale signal, and @preact/signals then skips this component when its
  // props are unchanged: the model changes entries in place, so subscribe to it (as the list does).
  useModel(client);
  if (entry.kind === 'system') {
    return (
      <div class="system" data-key={entry.key}>
        <SystemText entry={entry} />
      </div>
    );
  }
  const own = entry.kind === 'pending' || entry.msg.userId === selfId;
  const author = entry.kind === 'message' ? entry.msg.username : (selfName ?? t('messages.you'));
  const authorId = entry.kind === 'message' ? entry.msg.userId : (selfId ?? '');
  const ts = entry.kind === 'message' ? entry.msg.ts : entry.ts;
  const text = entry.kind === 'message' ? entry.msg.message : entry.text;
  const cls = ['msg', own ? 'own' : '', first ? 'first' : 'cont', entry.kind === 'pending' ? entry.status : '', found ? 'found' : ''].filter(Boolean).join(' ');
  return (
    <div class={cls} data-key={entry.key} style={{ '--hue': hue(authorId) }} tabIndex={found ? -1 : undefined}>
      {first && (
        <div class="meta">
          <bdi class="author">{author}</bdi>
          <time dateTime={new Date(ts).toISOString()} title={formatDateTime(ts)}>
            {formatTime(ts)}
          </time>
        </div>
      )}
      {entry.kind === 'message' ? <MessageBody client={client} msg={entry.msg} own={own} /> : text !== '' && <MessageText text={text} />}
      {entry.kind === 'message' ? <Attachments client={client} msg={entry.msg} /> : entry.files && <PendingChips client={client} files={entry.files} />}
      {own && !(entry.kind === 'message' && entry.msg.deleted) && <Delivery entry={entry} client={client} />}
    </div>
  );
}

/**
 * A nickname is user text: isolated and marked out, so "Bob left. Eve joined" cannot pass for two
 * lines; where it goes in the sentence is the translation's call.
 */
function SystemText({ entry }: { entry: SystemEntry }): JSX.Element {
  const known = systemLine(entry);
  const who = entry.subject !== undefined ? <bdi class="who">{entry.subject}</bdi> : null;
  if (known) return <>{tElements(known.key, { name: who }, known.params)}</>;
  return (
    <>
      {who && <>{who} </>}
      {entry.text}
    </>
  );
}

const MARKS: Record<'sent' | 'delivered' | 'read', { label: MessageKey; title: MessageKey }> = {
  sent: { label: 'messages.sent', title: 'messages.sentHint' },
  delivered: { label: 'messages.delivered', title: 'messages.deliveredHint' },
  read: { label: 'messages.read', title: 'messages.readHint' },
};

function Delivery({ entry, client }: { entry: TimelineEntry; client: ChatClient }): JSX.Element | null {
  useModel(client); // receipts arrive without a new entry (see MessageItem)
  if (entry.kind === 'message') {
    const { room, seq, userId } = entry.msg;
    if (isDmRoom(room)) {
      const mark = client.reads.deliveryOf(room, seq);
      return (
        <span class={`delivery ${mark}`} title={t(MARKS[mark].title)}>
          {t(MARKS[mark].label)}
        </span>
      );
    }
    const seen = client.reads.seenBy(room, seq, userId);
    if (seen.length === 0) {
      return (
        <span class="delivery sent" title={t(MARKS.sent.title)}>
          {t(MARKS.sent.label)}
        </span>
      );
    }
    const presence = client.conversation(room)?.presence;
    const names = seen.map((id) => presence?.get(id)?.username ?? t('messages.someoneWhoLeft')).join(t('format.listSeparator'));
    // A button, not a bare title: the names show on hover and on keyboard focus, and screen readers read them.
    return (
      <button type="button" class="delivery seen link" title={t('messages.seenByNames', { names })} aria-label={t('messages.seenByLabel', { count: seen.length, names })}>
        {t('messages.seenBy', { count: seen.length })}
      </button>
    );
  }
  if (entry.kind !== 'pending') return null;
  if (entry.status === 'pending') {
    // A message with files waits for their uploads before it is sent.
    const item = client.outbox.list().find((i) => i.clientId === entry.clientId);
    const waiting = item !== undefined && !uploaded(item);
    return (
      <span class="delivery pending" title={t(waiting ? 'files.waitingHint' : 'messages.sendingHint')}>
        {t(waiting ? 'files.waiting' : 'messages.sending')}
      </span>
    );
  }
  return (
    <span class="delivery failed" role="alert">
      {entry.error ? t('messages.notSentWhy', { error: modelText(entry.error) }) : t('messages.notSent')}{' '}
      <button type="button" class="link" onClick={() => client.retry(entry.clientId)}>
        {t('common.retry')}
      </button>{' '}
      <button type="button" class="link" onClick={() => client.discard(entry.clientId)}>
        {t('messages.discard')}
      </button>
    </span>
  );
}

/** One timeline entry: a message (own ones with their delivery state) or a system line. */
import type { JSX } from 'preact';
import { isDmRoom } from '../../protocol/index';
import type { TimelineEntry } from '../model/timeline';
import type { ChatClient } from '../model/chat-client';
import { MessageText } from '../render/markdown-view';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

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
}

export function MessageItem({ entry, first, selfId, selfName, client }: Props): JSX.Element {
  if (entry.kind === 'system') {
    // A nickname is user text: isolated and marked out, so "Bob left. Eve joined" cannot pass for two lines.
    return (
      <div class="system" data-key={entry.key}>
        {entry.subject !== undefined && (
          <>
            <bdi class="who">{entry.subject}</bdi>{' '}
          </>
        )}
        {entry.text}
      </div>
    );
  }
  const own = entry.kind === 'pending' || entry.msg.userId === selfId;
  const author = entry.kind === 'message' ? entry.msg.username : (selfName ?? 'You');
  const authorId = entry.kind === 'message' ? entry.msg.userId : (selfId ?? '');
  const ts = entry.kind === 'message' ? entry.msg.ts : entry.ts;
  const text = entry.kind === 'message' ? entry.msg.message : entry.text;
  const cls = ['msg', own ? 'own' : '', first ? 'first' : 'cont', entry.kind === 'pending' ? entry.status : ''].filter(Boolean).join(' ');
  return (
    <div class={cls} data-key={entry.key} style={{ '--hue': hue(authorId) }}>
      {first && (
        <div class="meta">
          <bdi class="author">{author}</bdi>
          <time dateTime={new Date(ts).toISOString()} title={fullFormat.format(ts)}>
            {timeFormat.format(ts)}
          </time>
        </div>
      )}
      <MessageText text={text} />
      {own && <Delivery entry={entry} client={client} />}
    </div>
  );
}

const MARKS = {
  sent: { label: 'Sent', title: 'Stored by the server' },
  delivered: { label: 'Delivered', title: 'On one of their devices' },
  read: { label: 'Read', title: 'They have read it' },
} as const;

function Delivery({ entry, client }: { entry: TimelineEntry; client: ChatClient }): JSX.Element | null {
  if (entry.kind === 'message') {
    const { room, seq, userId } = entry.msg;
    if (isDmRoom(room)) {
      const mark = client.reads.deliveryOf(room, seq);
      return (
        <span class={`delivery ${mark}`} title={MARKS[mark].title}>
          {MARKS[mark].label}
        </span>
      );
    }
    const seen = client.reads.seenBy(room, seq, userId);
    if (seen.length === 0) {
      return (
        <span class="delivery sent" title={MARKS.sent.title}>
          Sent
        </span>
      );
    }
    const presence = client.conversation(room)?.presence;
    const names = seen.map((id) => presence?.get(id)?.username ?? 'someone who left').join(', ');
    // A button, not a bare title: the names show on hover and on keyboard focus, and screen readers read them.
    return (
      <button type="button" class="delivery seen link" title={`Seen by ${names}`} aria-label={`Seen by ${seen.length}: ${names}`}>
        Seen by {seen.length}
      </button>
    );
  }
  if (entry.kind !== 'pending') return null;
  if (entry.status === 'pending') {
    return (
      <span class="delivery pending" title="Waiting for the server">
        Sending…
      </span>
    );
  }
  return (
    <span class="delivery failed" role="alert">
      Not sent{entry.error ? `: ${entry.error}` : ''}{' '}
      <button type="button" class="link" onClick={() => client.retry(entry.clientId)}>
        Retry
      </button>{' '}
      <button type="button" class="link" onClick={() => client.discard(entry.clientId)}>
        Discard
      </button>
    </span>
  );
}

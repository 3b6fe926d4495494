/**
 * The message list, windowed: however long the history (10,000+ messages), at most WINDOW_MAX
 * entries are in the DOM. The window follows the newest messages while the user is at the bottom;
 * scrolling up widens it (and then slides it), loading older history from the relay when the
 * oldest held message is reached. The window is anchored by entry key, not index, so history
 * arriving above does not make it jump.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Fragment, type JSX } from 'preact';
import type { ChatClient } from '../model/chat-client';
import type { Conversation } from '../model/conversation';
import { startsGroup, type TimelineEntry } from '../model/timeline';
import { MessageItem } from './message-item';
import { useModel } from './use-model';
import { conversationTitle, t } from '../i18n/index';

import { WINDOW_MAX, WINDOW_START, WINDOW_STEP as STEP } from './list-window';
const EDGE_PX = 150;

interface Props {
  client: ChatClient;
  conv: Conversation;
  selfId: string | undefined;
  /** A message to bring into view, mark and focus (a search hit). */
  focusId?: string | undefined;
}

export function MessageList({ client, conv, selfId, focusId }: Props): JSX.Element {
  useModel(client);
  const entries = conv.timeline.entries();
  const [endKey, setEndKey] = useState<string | null>(null); // null: follow the newest
  const [size, setSize] = useState(WINDOW_START);
  const ref = useRef<HTMLDivElement>(null);
  const anchor = useRef<{ key: string; offset: number } | null>(null);
  const atBottom = useRef(true);
  const [pinned, setPinned] = useState(true);
  const loading = useRef(false);
  const focusing = useRef<string | null>(null);

  let end = entries.length;
  if (endKey !== null) {
    const i = lastIndexOfKey(entries, endKey);
    if (i >= 0) end = i + 1;
  }
  const start = Math.max(0, end - size);
  const visible = entries.slice(start, end);

  // A search hit: a window that ends a little after it, so it shows with what led to it.
  useLayoutEffect(() => {
    if (focusId === undefined) return;
    const i = lastIndexOfKey(entries, focusId);
    if (i < 0) return;
    const last = Math.min(entries.length, i + 1 + STEP);
    setEndKey(last >= entries.length ? null : entries[last - 1]!.key);
    setSize(Math.max(WINDOW_START, last - i + STEP));
    atBottom.current = false;
    focusing.current = focusId;
  }, [focusId, entries.length > 0]);

  // Keep the view steady: stick to the bottom when following, else keep the anchored entry in place.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const target = focusing.current === null ? null : el.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusing.current)}"]`);
    if (target) {
      focusing.current = null;
      anchor.current = null;
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
    } else if (anchor.current) {
      const node = el.querySelector<HTMLElement>(`[data-key="${CSS.escape(anchor.current.key)}"]`);
      if (node) el.scrollTop = node.offsetTop - anchor.current.offset;
      anchor.current = null;
    } else if (endKey === null && atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  });

  const rememberAnchor = () => {
    const el = ref.current;
    if (!el) return;
    const first = [...el.querySelectorAll<HTMLElement>('[data-key]')].find((n) => n.offsetTop + n.offsetHeight > el.scrollTop);
    if (first) anchor.current = { key: first.dataset.key!, offset: first.offsetTop - el.scrollTop };
  };

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (atBottom.current !== pinned) setPinned(atBottom.current);
    if (el.scrollTop < EDGE_PX) {
      if (start > 0) {
        rememberAnchor();
        if (size < WINDOW_MAX) setSize(Math.min(WINDOW_MAX, size + STEP));
        else setEndKey(entries[Math.max(0, end - STEP) - 1]?.key ?? entries[0]!.key);
      } else if (conv.timeline.hasMore && !loading.current) {
        loading.current = true;
        rememberAnchor();
        void client.loadOlder(conv.id).finally(() => (loading.current = false));
      }
    } else if (endKey !== null && el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX) {
      rememberAnchor();
      const next = end + STEP;
      setEndKey(next >= entries.length ? null : entries[next - 1]!.key);
    }
  };

  const jumpToLatest = () => {
    setEndKey(null);
    setSize(WINDOW_START);
    atBottom.current = true;
    setPinned(true);
  };

  const me = client.me.value;
  const dividerKey = firstUnreadKey(visible, client.reads.marker(conv.id), selfId);
  const title = conversationTitle(conv);
  return (
    <div class="messages-wrap">
      <div ref={ref} class="messages" role="log" aria-label={t('messages.log', { conversation: title })} aria-live="off" tabIndex={0} onScroll={onScroll}>
        {start === 0 && !conv.timeline.hasMore && conv.loaded && <div class="system start">{t('messages.start', { conversation: title })}</div>}
        {start === 0 && conv.timeline.hasMore && <div class="system">{t('messages.loading')}</div>}
        {visible.map((entry, i) => (
          <Fragment key={entry.key}>
            {entry.key === dividerKey && (
              <div class="new-divider" role="separator" aria-label={t('messages.new')}>
                <span>{t('messages.new')}</span>
              </div>
            )}
            <MessageItem entry={entry} first={startsGroup(visible, i, selfId) || entry.key === dividerKey} selfId={selfId} selfName={me?.username} client={client} found={entry.key === focusId} />
          </Fragment>
        ))}
      </div>
      {(endKey !== null || !pinned) && (
        <button type="button" class="jump" onClick={jumpToLatest}>
          {t('messages.jump')}
        </button>
      )}
    </div>
  );
}

/** The first message from someone else after the read position the conversation was opened at. */
function firstUnreadKey(entries: readonly TimelineEntry[], marker: number | undefined, selfId: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  return entries.find((e) => e.kind === 'message' && e.msg.seq > marker && e.msg.userId !== selfId)?.key;
}

function lastIndexOfKey(entries: readonly TimelineEntry[], key: string): number {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.key === key) return i;
  return -1;
}

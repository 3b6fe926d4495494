/** The chat: conversations on the left, the active one in the middle, its participants on the right. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { DEFAULT_ROOM, type ChatMessage } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { titleWithUnread } from '../model/unread';
import { desktop } from '../platform/desktop';
import { notifyMessage, windowIsAttended } from '../platform/notify';
import { Banner } from './banner';
import { Composer } from './composer';
import { MessageList } from './message-list';
import { Participants } from './participants';
import { Sidebar } from './sidebar';
import { TypingLine } from './typing-line';
import { useModel } from './use-model';

export function ChatScreen({ client, onLeave }: { client: ChatClient; onLeave: () => void }): JSX.Element {
  useModel(client);
  const conv = client.conversation(client.active.value) ?? client.conversation(DEFAULT_ROOM)!;
  const me = client.me.value;
  const [announcement, setAnnouncement] = useState('');
  const composerRef = useRef<HTMLTextAreaElement>(null);

  useAttention(client, setAnnouncement);
  useEffect(() => composerRef.current?.focus(), [conv.id]);

  const total = client.unread.total();
  useEffect(() => {
    document.title = titleWithUnread('Parley', total);
    desktop()?.setUnreadCount(total);
  }, [total]);

  return (
    <div class="chat">
      <Sidebar client={client} onLeave={onLeave} />
      <main class="conversation" aria-labelledby="conv-title">
        <header class="conv-header">
          <h1 id="conv-title">{conv.title}</h1>
          <span class="muted" aria-label={`${conv.presence.size} participants`}>
            {/* Who is here is only known while connected (the participant list says when it is older). */}
            {conv.kind === 'room' && client.status.value === 'online' ? `${conv.presence.size} here` : ''}
          </span>
          {conv.kind === 'room' && conv.id !== DEFAULT_ROOM && (
            <button type="button" class="quiet" onClick={() => void client.leaveRoom(conv.id).catch((e: Error) => (client.notice.value = e.message))}>
              Leave #{conv.id}
            </button>
          )}
        </header>
        <Banner client={client} />
        {client.notice.value && (
          <p class="notice" role="alert">
            {client.notice.value}{' '}
            <button type="button" class="quiet" onClick={() => (client.notice.value = null)} aria-label="Dismiss">
              ×
            </button>
          </p>
        )}
        <MessageList key={conv.id} client={client} conv={conv} selfId={me?.userId} />
        <TypingLine client={client} conv={conv} />
        <Composer client={client} inputRef={composerRef} label={conv.title} />
      </main>
      <Participants client={client} conv={conv} />
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </div>
  );
}

/**
 * Hidden at least this long, the page may have been frozen or the computer asleep (a page is not told
 * of a sleep): its connection is checked on return. Shorter absences skip it, the heartbeat having run.
 */
const LONG_HIDDEN_MS = 30_000;

/**
 * Tells the model whether the user can see the window (for unread counts), raises notifications
 * when they cannot, follows notification clicks to their room, and feeds the screen-reader region.
 * Checks the connection at once when the computer wakes (desktop), the network returns, or the page
 * comes back after being hidden a while, so missed messages show without waiting for a heartbeat.
 */
function useAttention(client: ChatClient, announce: (text: string) => void): void {
  useEffect(() => {
    let hiddenSince = document.visibilityState === 'hidden' ? Date.now() : null;
    const update = () => client.setViewing(windowIsAttended());
    const visibility = () => {
      update();
      if (document.visibilityState === 'hidden') hiddenSince ??= Date.now();
      else {
        if (hiddenSince !== null && Date.now() - hiddenSince >= LONG_HIDDEN_MS) void client.resume();
        hiddenSince = null;
      }
    };
    const online = () => {
      client.setNetworkOnline(navigator.onLine);
      if (navigator.onLine) void client.resume();
    };
    update();
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('visibilitychange', visibility);
    window.addEventListener('online', online);
    window.addEventListener('offline', online);
    const offFocus = desktop()?.onFocusRoom((room) => client.setActive(room));
    const offWake = desktop()?.onSystemResume(() => void client.resume());
    const offIncoming = client.incoming.subscribe((conv, msg: ChatMessage) => {
      announce(`${msg.username} in ${conv.title}: ${msg.message.slice(0, 200)}`);
      if (!windowIsAttended()) notifyMessage(`${msg.username} · ${conv.title}`, msg, () => client.setActive(conv.id));
    });
    return () => {
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', update);
      document.removeEventListener('visibilitychange', visibility);
      window.removeEventListener('online', online);
      window.removeEventListener('offline', online);
      offFocus?.();
      offWake?.();
      offIncoming();
    };
  }, [client]);
}

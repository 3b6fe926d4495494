/**
 * One server's chat: conversations on the left, the active one in the middle, its participants on the
 * right. Notifications, the unread total and the screen-reader region are the workspace's (attention.ts):
 * they cover every open server, not only the one shown.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { JSX } from 'preact';
import { DEFAULT_ROOM } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { Banner } from './banner';
import { Composer } from './composer';
import { MessageList } from './message-list';
import { Participants } from './participants';
import { Sidebar } from './sidebar';
import { TypingLine } from './typing-line';
import { useModel } from './use-model';

export function ChatScreen({ client, serverName, onLeave }: { client: ChatClient; serverName: string; onLeave: () => void }): JSX.Element {
  useModel(client);
  const conv = client.conversation(client.active.value) ?? client.conversation(DEFAULT_ROOM)!;
  const me = client.me.value;
  const composerRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => composerRef.current?.focus(), [conv.id, client]);

  return (
    <div class="chat">
      <Sidebar client={client} serverName={serverName} onLeave={onLeave} />
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
    </div>
  );
}

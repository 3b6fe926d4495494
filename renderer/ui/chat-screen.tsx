/**
 * One server's chat: conversations on the left, the active one in the middle, its participants on the
 * right. Notifications, the unread total and the screen-reader region are the workspace's (attention.ts):
 * they cover every open server, not only the one shown.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { DEFAULT_ROOM } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { conversationTitle, errorText, modelText, t } from '../i18n/index';
import { Banner } from './banner';
import { attachFiles, Composer } from './composer';
import { DropZone, useFileDrop } from './drop-zone';
import { MessageList } from './message-list';
import { Participants } from './participants';
import { SearchPanel } from './search-panel';
import { Sidebar } from './sidebar';
import { TypingLine } from './typing-line';
import { useModel } from './use-model';

/** `onDiagnose`: opens the connection doctor for this server (offered by the banner while it cannot be reached). */
export function ChatScreen({ client, serverName, onLeave, onDiagnose }: { client: ChatClient; serverName: string; onLeave: () => void; onDiagnose?: () => void }): JSX.Element {
  useModel(client);
  const conv = client.conversation(client.active.value) ?? client.conversation(DEFAULT_ROOM)!;
  const me = client.me.value;
  const title = conversationTitle(conv);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const [searching, setSearching] = useState(false);
  // The message a search hit opened: shown, marked and focused by the list.
  const [found, setFound] = useState<{ room: string; id: string } | null>(null);
  const open = (room: string, id: string, seq: number) => {
    client.setActive(room);
    setFound(null);
    // Older than what is held: page back to it first (the relay keeps it, or the hit would not be there).
    void client.loadOlder(room, seq).then(() => setFound({ room, id }));
  };

  useEffect(() => composerRef.current?.focus(), [conv.id, client]);
  const drop = useFileDrop((files) => {
    attachFiles(client, files);
    composerRef.current?.focus();
  });

  return (
    <div class={searching ? 'chat searching' : 'chat'}>
      <Sidebar client={client} serverName={serverName} onLeave={onLeave} />
      <main class="conversation" aria-labelledby="conv-title" {...drop.handlers}>
        {drop.dragging && <DropZone conversation={title} />}
        <header class="conv-header">
          <h1 id="conv-title">
            <bdi>{title}</bdi>
          </h1>
          <span class="muted" aria-label={t('chat.participantsCount', { count: conv.presence.size })}>
            {/* Who is here is only known while connected (the participant list says when it is older). */}
            {conv.kind === 'room' && client.status.value === 'online' ? t('common.here', { count: conv.presence.size }) : ''}
          </span>
          <button type="button" class="quiet" aria-expanded={searching} onClick={() => setSearching(!searching)}>
            {t('search.open')}
          </button>
          {conv.kind === 'room' && conv.id !== DEFAULT_ROOM && (
            <button type="button" class="quiet" onClick={() => void client.leaveRoom(conv.id).catch((e: unknown) => (client.notice.value = errorText(e)))}>
              {t('chat.leave', { room: `#${conv.id}` })}
            </button>
          )}
        </header>
        <Banner client={client} {...(onDiagnose ? { onDiagnose } : {})} />
        {client.notice.value && (
          <p class="notice" role="alert">
            {modelText(client.notice.value)}{' '}
            <button type="button" class="quiet" onClick={() => (client.notice.value = null)} aria-label={t('common.dismiss')}>
              ×
            </button>
          </p>
        )}
        <MessageList key={conv.id} client={client} conv={conv} selfId={me?.userId} focusId={found?.room === conv.id ? found.id : undefined} />
        <TypingLine client={client} conv={conv} />
        <Composer client={client} inputRef={composerRef} label={title} />
      </main>
      {searching ? <SearchPanel client={client} conv={conv} onOpen={open} onClose={() => setSearching(false)} /> : <Participants client={client} conv={conv} />}
    </div>
  );
}

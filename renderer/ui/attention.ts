/**
 * What the open servers need from the window around them: whether the user can see it (for unread
 * counts), notifications for messages that arrive while they cannot (naming the server, and opening
 * its room on a click), the unread total in the title and the desktop badge, the screen-reader
 * region, and a connection check for every server when the computer wakes, the network returns, or
 * the page comes back after being hidden a while, so missed messages show without waiting for a
 * heartbeat.
 */
import { useEffect } from 'preact/hooks';
import type { ChatMessage } from '../../protocol/index';
import type { Conversation } from '../model/conversation';
import type { ServerEntry, ServerSet } from '../model/server-set';
import { titleWithUnread } from '../model/unread';
import { conversationTitle, formatList, t, useLocale } from '../i18n/index';
import { desktop } from '../platform/desktop';
import { notifyMessage, windowIsAttended } from '../platform/notify';

/**
 * Hidden at least this long, the page may have been frozen or the computer asleep (a page is not told
 * of a sleep): its connections are checked on return. Shorter absences skip it, the heartbeat having run.
 */
const LONG_HIDDEN_MS = 30_000;

/** Opens a server and one of its conversations (a notification click). */
export function focusConversation(servers: ServerSet, server: string, room: string): void {
  const entry = servers.find(server);
  if (!entry) return;
  servers.show(entry.id);
  entry.client.setActive(room);
}

export function useAttention(servers: ServerSet, announce: (text: string) => void, onShowChat: () => void): void {
  useEffect(() => {
    let hiddenSince = document.visibilityState === 'hidden' ? Date.now() : null;
    const resumeAll = () => {
      for (const c of servers.clients()) void c.resume();
    };
    const update = () => servers.setAttended(windowIsAttended());
    const visibility = () => {
      update();
      if (document.visibilityState === 'hidden') hiddenSince ??= Date.now();
      else {
        if (hiddenSince !== null && Date.now() - hiddenSince >= LONG_HIDDEN_MS) resumeAll();
        hiddenSince = null;
      }
    };
    const online = () => {
      for (const c of servers.clients()) c.setNetworkOnline(navigator.onLine);
      if (navigator.onLine) resumeAll();
    };
    const open = (server: string, room: string) => {
      onShowChat();
      focusConversation(servers, server, room);
    };
    const onIncoming = (entry: ServerEntry, conv: Conversation, sent: ChatMessage) => {
      // Files alone say nothing: their names stand for the text.
      const files = sent.attachments?.map((a) => a.name) ?? [];
      const msg = sent.message === '' && files.length > 0 ? { ...sent, message: formatList(files) } : sent;
      const title = conversationTitle(conv);
      const said = { name: msg.username, conversation: title, text: msg.message.slice(0, 200) };
      // The server is named only when there is more than one to tell apart.
      announce(servers.list().length > 1 ? t('app.announceOn', { ...said, server: entry.name }) : t('app.announce', said));
      if (!windowIsAttended() && entry.notifications) notifyMessage(`${msg.username} · ${title} · ${entry.name}`, msg, entry.id, () => open(entry.id, conv.id));
    };
    update();
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('visibilitychange', visibility);
    window.addEventListener('online', online);
    window.addEventListener('offline', online);
    const offFocus = desktop()?.onFocusRoom((target) => open(target.server, target.room));
    const offWake = desktop()?.onSystemResume(resumeAll);
    const offIncoming = servers.incoming.subscribe(onIncoming);
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
  }, [servers]);
}

/** The unread total over every server, in the title and the desktop's tray and badge. */
export function useUnreadTotal(servers: ServerSet): void {
  // Each client's revision is read so a count changing on any server re-renders the caller.
  void servers.revision.value;
  for (const c of servers.clients()) void c.revision.value;
  const total = servers.totalUnread();
  const locale = useLocale();
  useEffect(() => {
    document.title = titleWithUnread(t('app.name'), total);
    desktop()?.setUnreadCount(total);
  }, [total, locale]);
}

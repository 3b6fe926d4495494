/**
 * Top level: in the desktop app a first-run nickname prompt, then the connect screen until a session
 * is up, then the chat. parley:// links are taken here, whichever screen is showing: a link to the
 * server already joined opens its room; a link elsewhere leaves for the connect screen, prefilled.
 */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { DesktopSettings, JoinLink } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { desktop } from '../platform/desktop';
import { ConnectScreen } from './connect-screen';
import { ChatScreen } from './chat-screen';
import { DesktopNotices } from './desktop-notices';
import { FirstRun } from './first-run';

export function App(): JSX.Element {
  const [client, setClient] = useState<ChatClient | null>(null);
  const [link, setLink] = useState<JoinLink | null>(null);
  const settings = useDesktopSettings();

  useEffect(() => desktop()?.onJoinLink(setLink), []);
  useEffect(() => {
    if (!link || !client) return;
    if (sameServer(link.url, client.url)) {
      setLink(null);
      if (link.room) void client.joinRoom(link.room, false).catch((e: Error) => (client.notice.value = e.message));
    } else {
      client.close();
      setClient(null);
    }
  }, [link, client]);

  let screen: JSX.Element | null;
  if (desktop() && settings.value === undefined) screen = null; // a moment, while main answers
  else if (settings.value && settings.value.nickname === '') screen = <FirstRun onDone={settings.reload} />;
  else if (client) {
    screen = (
      <ChatScreen
        client={client}
        onLeave={() => {
          // Sign out: this server's cached history goes with the session (a shared computer keeps none of it).
          void client.signOut();
          setClient(null);
        }}
      />
    );
  } else {
    screen = (
      <ConnectScreen
        link={link}
        settings={settings.value ?? null}
        onConnected={(c) => {
          setLink(null);
          setClient(c);
        }}
      />
    );
  }
  return (
    <>
      <DesktopNotices />
      {screen}
    </>
  );
}

/** The desktop's settings (undefined while loading, null in a browser); themes follow them. */
function useDesktopSettings(): { value: DesktopSettings | null | undefined; reload: () => void } {
  const [value, setValue] = useState<DesktopSettings | null | undefined>(desktop() ? undefined : null);
  const reload = () => {
    void desktop()
      ?.getSettings()
      .then((s) => {
        if (s.theme !== 'system') document.documentElement.dataset.theme = s.theme;
        setValue(s);
      });
  };
  useEffect(reload, []);
  return { value, reload };
}

function sameServer(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** Top level: the connect screen until a session is up, then the chat. */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ChatClient } from '../model/chat-client';
import { desktop } from '../platform/desktop';
import { ConnectScreen } from './connect-screen';
import { ChatScreen } from './chat-screen';
import { DesktopNotices } from './desktop-notices';

export function App(): JSX.Element {
  const [client, setClient] = useState<ChatClient | null>(null);
  useTheme();
  return (
    <>
      <DesktopNotices />
      {client ? (
        <ChatScreen
          client={client}
          onLeave={() => {
            client.close();
            setClient(null);
          }}
        />
      ) : (
        <ConnectScreen onConnected={setClient} />
      )}
    </>
  );
}

/** Themes follow the OS; the desktop app's setting may force light or dark. */
function useTheme(): void {
  useEffect(() => {
    const api = desktop();
    if (!api) return;
    void api.getSettings().then((s) => {
      if (s.theme !== 'system') document.documentElement.dataset.theme = s.theme;
    });
  }, []);
}

/**
 * Top level: in the desktop app a first-run nickname prompt; then the connect screen until a server
 * is open; then the workspace: the server rail (every open server stays connected) beside the chat
 * of the one shown, the "Add a server" screen, or settings. parley:// links are taken whichever
 * screen is showing: a link to a server already open shows it and opens its room; a link elsewhere
 * opens the "Add a server" screen, prefilled, and the others stay connected.
 */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { DesktopCapabilities, DesktopSettings, JoinLink, ThemePreference } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { ServerSet, serverId } from '../model/server-set';
import { desktop } from '../platform/desktop';
import { errorText, t } from '../i18n/index';
import { useAttention, useUnreadTotal } from './attention';
import { ChatScreen } from './chat-screen';
import { ConnectScreen } from './connect-screen';
import { DesktopNotices } from './desktop-notices';
import { DoctorScreen, type DoctorTarget } from './doctor-screen';
import { FirstRun } from './first-run';
import { useRestoreServers } from './restore-servers';
import { savedList } from './saved-list';
import { ServerRail, type RailView } from './server-rail';
import { forgetNicknameFor, readReceiptsOn, saveReadReceipts } from './session';
import { SettingsScreen } from './settings-screen';
import { applyTheme, saveWebTheme, webTheme } from './theme';
import { CertificateRefusals } from './certificate-warnings';

export function App(): JSX.Element {
  const settings = useDesktopSettings();
  const capabilities = useCapabilities();
  const [servers] = useState(() => new ServerSet());
  const [view, setView] = useState<RailView>('chat');
  const [link, setLink] = useState<JoinLink | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // The connection doctor, over whatever the workspace shows, until closed (the connect screen opens its own).
  const [doctor, setDoctor] = useState<DoctorTarget | null>(null);
  const [webThemeValue, setWebTheme] = useState<ThemePreference>(() => (desktop() ? 'system' : webTheme()));
  const restoring = useRestoreServers(settings.value, servers);
  const [readReceipts, setReadReceipts] = useState(readReceiptsOn);
  const revision = servers.revision.value;
  // Every open server follows the one privacy switch, including servers opened after it changed.
  useEffect(() => {
    for (const c of servers.clients()) c.reads.setPrivate(!readReceipts);
  }, [readReceipts, revision]);

  useEffect(() => {
    if (!desktop()) applyTheme(webThemeValue);
  }, []);
  useEffect(() => desktop()?.onJoinLink(setLink), []);
  useEffect(() => {
    // A link that started the app waits for the saved servers to reopen: it may name one of them.
    if (!link || restoring) return;
    const open = servers.find(link.url);
    if (!open) return setView('add');
    setLink(null);
    servers.show(open.id);
    setView('chat');
    if (link.room) void open.client.joinRoom(link.room, false).catch((e: unknown) => (open.client.notice.value = errorText(e)));
  }, [link, restoring]);
  useAttention(servers, setAnnouncement, () => setView('chat'));
  // Settings, "Add a server" and the doctor hide the chat: nothing in it is being read meanwhile.
  useEffect(() => servers.setChatShown(view === 'chat' && doctor === null), [view, doctor]);
  useUnreadTotal(servers);

  const api = desktop();
  const persistSaved = async () => {
    if (!api) return;
    // Read afresh: the connect screen's own list may have saved a server since these settings came.
    const current = await api.getSettings();
    await settings.update({ savedServers: savedList(servers.list(), current.savedServers) });
  };
  const connected = async (client: ChatClient, origin: { name?: string; hosted: boolean }) => {
    const id = serverId(client.url);
    const fresh = api ? await api.getSettings() : null;
    const saved = fresh?.savedServers.find((s) => serverId(s.url) === id);
    // A saved server keeps the name it was saved under; a LAN session takes its advertised name.
    servers.add(client, saved && !origin.hosted ? { name: saved.name, saved: true, notifications: saved.notifications ?? true } : { hosted: origin.hosted, ...(origin.name ? { name: origin.name } : {}) });
    setLink(null);
    setView('chat');
  };
  const signOut = async (id: string) => {
    forgetNicknameFor(id);
    await servers.remove(id, { signOut: true });
  };
  const removeServer = async (id: string) => {
    if (servers.get(id)) await signOut(id);
    if (api && settings.value) await settings.update({ savedServers: settings.value.savedServers.filter((s) => serverId(s.url) !== id) });
  };

  let screen: JSX.Element | null;
  if (api && settings.value === undefined) screen = null; // a moment, while main answers
  else if (settings.value && settings.value.nickname === '') screen = <FirstRun onDone={settings.reload} />;
  else if (servers.list().length === 0 && view !== 'settings') {
    screen = restoring ? (
      <main class="connect">
        <p class="muted" role="status">
          {t('app.opening')}
        </p>
      </main>
    ) : (
      <ConnectScreen link={link} settings={settings.value ?? null} onConnected={connected} />
    );
  } else {
    const current = servers.current();
    const pageOrigin = !api && typeof location !== 'undefined' && location.protocol.startsWith('http') ? location.origin : '';
    let main: JSX.Element | null = null;
    if (doctor) main = <DoctorScreen key={doctor.url} {...doctor} onClose={() => setDoctor(null)} notificationsOff={settings.value ? !settings.value.notifications : false} />;
    else if (view === 'add') main = <ConnectScreen link={link} settings={settings.value ?? null} onConnected={connected} onCancel={() => (setLink(null), setView('chat'))} />;
    else if (view === 'settings')
      main = (
        <SettingsScreen
          servers={servers}
          settings={settings.value ?? null}
          capabilities={capabilities}
          theme={settings.value?.theme ?? webThemeValue}
          readReceipts={readReceipts}
          onReadReceipts={(on) => {
            saveReadReceipts(on);
            setReadReceipts(on);
          }}
          onTheme={async (theme) => {
            if (api) await settings.update({ theme });
            else {
              saveWebTheme(theme);
              setWebTheme(theme);
            }
          }}
          onChange={settings.update}
          onSavedChange={persistSaved}
          onRemoveServer={removeServer}
          onOpenSaved={(s) => (setLink({ url: s.url }), setView('add'))}
          onDoctor={() => setDoctor({ url: current?.client.url ?? settings.value?.lastServer ?? pageOrigin })}
          onClose={() => setView('chat')}
        />
      );
    else if (current) main = <ChatScreen key={current.id} client={current.client} serverName={current.name} onLeave={() => void signOut(current.id)} onDiagnose={() => setDoctor({ url: current.client.url, autoRun: true })} />;
    screen = (
      <div class="workspace">
        <ServerRail
          servers={servers}
          view={view}
          onShow={(id) => {
            servers.show(id);
            setDoctor(null);
            setView('chat');
          }}
          onAdd={() => (setDoctor(null), setView('add'))}
          onSettings={() => (setDoctor(null), setView('settings'))}
        />
        {main}
      </div>
    );
  }
  return (
    <>
      <DesktopNotices />
      <CertificateRefusals />
      {screen}
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </>
  );
}

/** The desktop's settings (undefined while loading, null in a browser); the theme follows them. */
function useDesktopSettings(): { value: DesktopSettings | null | undefined; reload: () => void; update: (patch: Partial<DesktopSettings>) => Promise<void> } {
  const [value, setValue] = useState<DesktopSettings | null | undefined>(desktop() ? undefined : null);
  const take = (s: DesktopSettings) => {
    applyTheme(s.theme);
    setValue(s);
  };
  const reload = () => void desktop()?.getSettings().then(take);
  const update = async (patch: Partial<DesktopSettings>) => {
    const api = desktop();
    if (api) take(await api.updateSettings(patch));
  };
  useEffect(reload, []);
  return { value, reload, update };
}

function useCapabilities(): DesktopCapabilities | null {
  const [value, setValue] = useState<DesktopCapabilities | null>(null);
  useEffect(() => void desktop()?.getCapabilities().then(setValue), []);
  return value;
}

/**
 * The desktop's start: every saved server joined before (a nickname is remembered for it) is opened
 * again, side by side, as Mattermost's desktop reopens its servers. They connect in parallel; each
 * shows as soon as it answers (or from its cached history when it cannot be reached), and once all
 * have, the rail takes the saved order and shows the server used last.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DesktopSettings } from '../../protocol/index';
import { serverId, type ServerSet } from '../model/server-set';
import { openServer } from './open-server';
import { nicknameFor } from './session';
import { errorText, formatList, t } from '../i18n/index';

/** True while saved servers are being reopened. */
export function useRestoreServers(settings: DesktopSettings | null | undefined, servers: ServerSet): boolean {
  const started = useRef(false);
  const [restoring, setRestoring] = useState(false);
  useEffect(() => {
    if (started.current || !settings || settings.nickname === '') return;
    started.current = true;
    const saved = settings.savedServers.filter((s) => nicknameFor(s.url) !== undefined);
    if (saved.length === 0) return;
    setRestoring(true);
    const failures: string[] = [];
    const opening = saved.map(async (s) => {
      const client = openServer(s.url, nicknameFor(s.url)!, settings);
      // Not on screen until the set shows it: its login must not mark its open conversation read.
      client.setViewing(false);
      try {
        await client.start({ resume: true });
        servers.add(client, { name: s.name, saved: true, notifications: s.notifications ?? true, activate: servers.list().length === 0 });
      } catch (err) {
        failures.push(t('app.reopenFailure', { name: s.name, reason: errorText(err) }));
      }
    });
    void Promise.all(opening).then(() => {
      servers.reorder(saved.map((s) => serverId(s.url) ?? s.url));
      const last = settings.lastServer ? servers.find(settings.lastServer) : undefined;
      if (last) servers.show(last.id);
      const shown = servers.current();
      if (shown && failures.length > 0) shown.client.notice.value = t('app.reopenFailed', { count: failures.length, servers: formatList(failures) });
      setRestoring(false);
    });
  }, [settings]);
  return restoring;
}

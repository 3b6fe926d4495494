/**
 * The desktop's saved servers (settings.json) as the rail and the settings screen change them: the
 * saved servers that are open, in the rail's order, with their current names and notification
 * switches, then the saved ones not open now, as they were. A saved address keeps its exact form
 * (a path, a trailing slash): servers are matched by origin.
 */
import type { SavedServer } from '../../protocol/index';
import type { ServerEntry } from '../model/server-set';
import { serverId } from '../model/server-set';

export function savedList(open: readonly ServerEntry[], saved: readonly SavedServer[]): SavedServer[] {
  const byId = new Map(saved.map((s) => [serverId(s.url) ?? s.url, s]));
  const openIds = new Set(open.map((e) => e.id));
  const fromOpen = open
    .filter((e) => e.saved && !e.hosted)
    .map((e): SavedServer => ({ name: e.name, url: byId.get(e.id)?.url ?? e.client.url, ...(e.notifications ? {} : { notifications: false }) }));
  const rest = saved.filter((s) => !openIds.has(serverId(s.url) ?? s.url));
  return [...fromOpen, ...rest];
}

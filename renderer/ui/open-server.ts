/**
 * A ChatClient for one server as this page makes them: the identity key and history cache of that
 * server, the page's storage for its outbox and rooms. Used by the connect screen and by the desktop's
 * start-up, which reopens the saved servers joined before.
 */
import type { DesktopSettings } from '../../protocol/index';
import { ChatClient } from '../model/chat-client';
import { historyCache } from '../platform/history-cache';
import { lastLogin, readReceiptsOn, store, userKey } from './session';

export function openServer(url: string, nickname: string, settings: DesktopSettings | null, joinCode?: string): ChatClient {
  const last = lastLogin()?.server;
  // Servers this page knew before keys were per server keep the one key they knew it by.
  const known = [...(last ? [last] : []), ...(settings?.savedServers.map((s) => s.url) ?? []), ...(settings?.lastServer ? [settings.lastServer] : [])];
  const key = userKey(url, known);
  const cache = historyCache(url, key);
  const client = new ChatClient({ url, nickname, key, storage: store, ...(cache ? { cache } : {}), ...(joinCode ? { joinCode } : {}) });
  // Before it connects: its first read must already be private when the user turned receipts off.
  client.reads.setPrivate(!readReceiptsOn());
  return client;
}

/**
 * A ChatClient for one server as this page makes them: the identity key and history cache of that
 * server, the page's storage for its outbox and rooms. Used by the connect screen and by the desktop's
 * start-up, which reopens the saved servers joined before.
 */
import type { DesktopSettings } from '../../protocol/index';
import { ChatClient } from '../model/chat-client';
import { historyCache } from '../platform/history-cache';
import { lastLogin, readReceiptsOn, store, userKey } from './session';
import { desktopPairing } from './lan-trust';

/** The desktop proves a join code from its main process; a page does it itself (the default). */
function pairing(replacePin: boolean) {
  const pair = desktopPairing(replacePin);
  return pair ? { pair } : {};
}

export function openServer(url: string, nickname: string, settings: DesktopSettings | null, joinCode?: string, fingerprint?: string, replacePin = false): ChatClient {
  const last = lastLogin()?.server;
  // Servers this page knew before keys were per server keep the one key they knew it by.
  const known = [...(last ? [last] : []), ...(settings?.savedServers.map((s) => s.url) ?? []), ...(settings?.lastServer ? [settings.lastServer] : [])];
  const key = userKey(url, known);
  const cache = historyCache(url, key);
  const client = new ChatClient({ url, nickname, key, storage: store, ...(cache ? { cache } : {}), ...(joinCode ? { joinCode } : {}), ...(fingerprint ? { fingerprint } : {}), ...(fingerprint ? pairing(replacePin) : {}) });
  // Before it connects: its first read must already be private when the user turned receipts off.
  client.reads.setPrivate(!readReceiptsOn());
  return client;
}

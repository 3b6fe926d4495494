/** The history cache this platform offers for a server and identity: IndexedDB, in the web client and the desktop window alike. */
import { cacheScope, type HistoryCache } from '../model/history-cache';
import { IdbHistoryCache } from '../model/idb-history-cache';

/** Undefined where the page has no IndexedDB (some private modes): the chat then simply starts empty. */
export function historyCache(serverUrl: string, key: string): HistoryCache | undefined {
  if (typeof indexedDB === 'undefined') return undefined;
  return new IdbHistoryCache(cacheScope(serverUrl, key));
}

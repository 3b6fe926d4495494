/**
 * What the page remembers between visits (localStorage, in the browser and the desktop window alike):
 * an identity key and a nickname per server, the last server joined, and the servers that were open.
 *
 * One key per server, as each Mattermost or Slack workspace has its own account: two relays cannot
 * tell that their users are the same person. A page from before keys were per server had one key for
 * every server; it stays the key of the servers this page already knew (the last one joined and the
 * ones it listed), so nobody loses their identity, DMs or cached history there.
 */
import { newUserKey } from '../model/ids';
import { serverId } from '../model/server-set';
import { WebStore } from '../model/storage';

export const store = new WebStore(typeof localStorage === 'undefined' ? undefined : localStorage);

const KEY_SHAPE = /^[A-Za-z0-9_-]{22,64}$/;
const LEGACY_KEY = 'parley:key';

/** The identity key for `url`'s server, made on first use. `known` servers adopt the one key of old. */
export function userKey(url: string, known: readonly string[] = knownServers()): string {
  const id = serverId(url) ?? url;
  const slot = `parley:key:${id}`;
  let key = store.get<string>(slot);
  if (key && KEY_SHAPE.test(key)) return key;
  const legacy = store.get<string>(LEGACY_KEY);
  key = legacy && KEY_SHAPE.test(legacy) && known.some((k) => serverId(k) === id) ? legacy : newUserKey();
  store.set(slot, key);
  return key;
}

export interface LastLogin {
  server: string;
  nickname: string;
}

export const lastLogin = (): LastLogin | undefined => store.get<LastLogin>('parley:last');
export const saveLastLogin = (l: LastLogin): void => store.set('parley:last', l);

/** The nickname last used on a server, if any. */
export const nicknameFor = (url: string): string | undefined => store.get<string>(`parley:nick:${serverId(url) ?? url}`);
export const saveNicknameFor = (url: string, nickname: string): void => store.set(`parley:nick:${serverId(url) ?? url}`, nickname);
/** Signed out: the desktop no longer reopens this server at start (it reopens those with a nickname here). */
export const forgetNicknameFor = (url: string): void => store.remove(`parley:nick:${serverId(url) ?? url}`);

/** "Send read receipts" (on unless turned off): kept by the page, for every server (protocol/receipts.ts, private reads). */
export const readReceiptsOn = (): boolean => store.get<boolean>('parley:read-receipts') !== false;
export const saveReadReceipts = (on: boolean): void => store.set('parley:read-receipts', on);

function knownServers(): string[] {
  const last = lastLogin()?.server;
  return last ? [last] : [];
}

/** What the browser remembers between visits: the user key (identity), nickname and last server. */
import { newUserKey } from '../model/ids';
import { WebStore } from '../model/storage';

export const store = new WebStore(typeof localStorage === 'undefined' ? undefined : localStorage);

export function userKey(): string {
  let key = store.get<string>('parley:key');
  if (!key || !/^[A-Za-z0-9_-]{22,64}$/.test(key)) {
    key = newUserKey();
    store.set('parley:key', key);
  }
  return key;
}

export interface LastLogin {
  server: string;
  nickname: string;
}

export const lastLogin = (): LastLogin | undefined => store.get<LastLogin>('parley:last');
export const saveLastLogin = (l: LastLogin): void => store.set('parley:last', l);

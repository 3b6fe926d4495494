/**
 * Images of shared files, shown from `blob:` URLs of bytes fetched through the model (files.ts): the
 * CSP loads images only from the page itself, `data:` and `blob:`, and the relay may be another
 * origin. The message list is windowed and mounts an item again each time it scrolls back into view,
 * so fetched images are kept (per client, file and variant) and their object URLs revoked only when
 * pushed out of a cache bounded in count and bytes, never while a mounted image could still use one.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ChatClient } from '../model/chat-client';

/** Object URLs kept, and the bytes behind them; beyond either, the oldest unused ones are revoked. */
const CACHE_MAX = 120;
const CACHE_MAX_BYTES = 64_000_000;

interface Held {
  url: Promise<string>;
  users: number;
  /** Bytes of the blob, once fetched. */
  bytes: number;
}

const held = new Map<string, Held>();
const clientIds = new WeakMap<ChatClient, number>();
let nextClientId = 0;

function keyOf(client: ChatClient, room: string, id: string, variant: 'thumb' | undefined): string {
  let n = clientIds.get(client);
  if (n === undefined) clientIds.set(client, (n = nextClientId++));
  return `${n}\u0000${room}\u0000${id}\u0000${variant ?? 'file'}`;
}

function evict(): void {
  let bytes = 0;
  for (const entry of held.values()) bytes += entry.bytes;
  for (const [key, entry] of held) {
    if (held.size <= CACHE_MAX && bytes <= CACHE_MAX_BYTES) return;
    if (entry.users > 0) continue;
    held.delete(key);
    bytes -= entry.bytes;
    void entry.url.then((u) => URL.revokeObjectURL(u), () => undefined);
  }
}

/** A blob: URL of a file's bytes (or its thumbnail's): undefined while loading, null when it failed. */
export function useBlobUrl(client: ChatClient, room: string, id: string, variant?: 'thumb'): string | null | undefined {
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const key = keyOf(client, room, id, variant);
    let entry = held.get(key);
    if (!entry) {
      const made: Held = { url: Promise.resolve(''), users: 0, bytes: 0 };
      made.url = client.files.fetch(room, id, variant).then((blob) => {
        made.bytes = blob.size;
        return URL.createObjectURL(blob);
      });
      entry = made;
      held.set(key, entry);
      // A failure is not kept: the next mount asks again (the connection may be back).
      entry.url.catch(() => held.get(key) === entry && held.delete(key));
    } else {
      // Most recently used last, so eviction takes the oldest.
      held.delete(key);
      held.set(key, entry);
    }
    const mine = entry;
    mine.users++;
    let live = true;
    mine.url.then(
      (u) => live && setUrl(u),
      () => live && setUrl(null),
    );
    evict();
    return () => {
      live = false;
      mine.users--;
      evict();
    };
  }, [client, room, id, variant]);
  return url;
}

/**
 * The public user id that the relay derives from a secret key (server/identity.ts), computed the same
 * way here: the client knows who it is before it reaches a relay (an offline start from the cache)
 * and can key local data by identity without keeping the key itself there.
 *
 * SHA-256 from @noble/hashes rather than Web Crypto: `crypto.subtle` exists only in secure contexts,
 * and the web client is often served over plain http from a relay on the LAN.
 */
import { sha256 } from '@noble/hashes/sha2.js';

export function userIdFromKey(key: string): string {
  const digest = sha256(new TextEncoder().encode(`parley-user-id\0${key}`));
  return base64url(digest).slice(0, 22);
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

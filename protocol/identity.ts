/**
 * The public user id a secret client key stands for, defined once: the relay derives it at the
 * handshake (server/identity.ts), and a client computes the same id to know who it is before it
 * reaches a relay (an offline start from its cache) and to key local data without keeping the key.
 *
 * SHA-256 from @noble/hashes (plain JavaScript) rather than node:crypto or Web Crypto, so one function
 * runs in the relay and in the page: `crypto.subtle` exists only in secure contexts, and the web
 * client is often served over plain http from a relay on the LAN.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url } from './base64url';

const DOMAIN = 'parley-user-id\0';

export function userIdFromKey(key: string): string {
  return toBase64url(sha256(new TextEncoder().encode(DOMAIN + key))).slice(0, 22);
}

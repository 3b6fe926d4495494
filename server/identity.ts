/**
 * User identity without accounts. A Parley client keeps a random secret key and presents it in the
 * handshake; the relay derives the public user id from it with a hash, so every instance of a cluster
 * derives the same id without shared state, and nobody can claim another user's id without their key.
 * A classic client has no key: each connection gets a fresh random id.
 */
import { createHash, randomBytes } from 'node:crypto';

export function userIdFromKey(key: string): string {
  return createHash('sha256').update('parley-user-id\0').update(key).digest('base64url').slice(0, 22);
}

export function randomUserId(): string {
  return randomBytes(16).toString('base64url');
}

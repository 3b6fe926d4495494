/**
 * User identity without accounts. A Parley client keeps a random secret key and presents it in the
 * handshake; the relay derives the public user id from it with a hash, so every instance of a cluster
 * derives the same id without shared state, and nobody can claim another user's id without their key.
 * A classic client has no key: each connection gets a fresh random id.
 */
import { randomBytes } from 'node:crypto';

export { userIdFromKey } from '../protocol/identity';

export function randomUserId(): string {
  return randomBytes(16).toString('base64url');
}

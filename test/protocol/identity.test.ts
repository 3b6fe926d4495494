/**
 * The user id derivation runs in the relay and in the page (protocol/identity.ts). It must give every
 * existing user the id the relay has always given them: node:crypto's SHA-256 over the same input,
 * as server/identity.ts computed it before the derivation moved here.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { userIdFromKey } from '../../protocol/identity';
import { isUserId } from '../../protocol/index';

const before = (key: string) => createHash('sha256').update('parley-user-id\0').update(key).digest('base64url').slice(0, 22);

describe('userIdFromKey', () => {
  it('gives the ids the relay always gave, for ASCII and non-ASCII keys', () => {
    for (const key of ['k'.repeat(24), 'abcDEF123-_xyz0987654321', 'ü-not-a-real-key-ü', 'x'.repeat(64)]) {
      expect(userIdFromKey(key)).toBe(before(key));
      expect(isUserId(userIdFromKey(key))).toBe(true);
    }
  });

  it('differs between keys', () => {
    expect(userIdFromKey('a'.repeat(24))).not.toBe(userIdFromKey('b'.repeat(24)));
  });
});

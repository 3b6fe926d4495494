/** Upload tokens and download signatures: genuine ones pass, anything altered or expired does not. */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSigner, loadSecret } from '../../../server/files/signing';

const signer = new FileSigner(Buffer.from('0123456789abcdef0123456789abcdef'));
const claims = { userId: 'u'.repeat(22), conversation: 'lobby', expiresAt: Date.now() + 60_000 };

describe('FileSigner', () => {
  it('verifies its own tokens and refuses altered, foreign and expired ones', () => {
    const token = signer.uploadToken(claims);
    expect(signer.verifyUploadToken(token)).toEqual(claims);
    const [v, payload, mac] = token.split('.') as [string, string, string];
    const other = Buffer.from(JSON.stringify({ u: 'x'.repeat(22), c: 'lobby', e: claims.expiresAt })).toString('base64url');
    expect(signer.verifyUploadToken(`${v}.${other}.${mac}`)).toBeUndefined();
    expect(signer.verifyUploadToken(`${v}.${payload}.${mac.slice(0, -1)}`)).toBeUndefined();
    expect(signer.verifyUploadToken(`${v}.${payload}.${mac}=`)).toBeUndefined();
    expect(signer.verifyUploadToken(`v2.${payload}.${mac}`)).toBeUndefined();
    expect(signer.verifyUploadToken('')).toBeUndefined();
    expect(signer.verifyUploadToken('x'.repeat(5000))).toBeUndefined();
    expect(new FileSigner(Buffer.from('another secret of sixteen+ bytes')).verifyUploadToken(token)).toBeUndefined();
    expect(signer.verifyUploadToken(token, claims.expiresAt)).toBeUndefined();
  });

  it('keeps tokens and URL signatures apart, and binds a signature to id, conversation and expiry', () => {
    const sig = signer.fileSignature('id-0123456789abcdef', 'lobby', 42);
    expect(signer.verifyFileSignature('id-0123456789abcdef', 'lobby', 42, sig)).toBe(true);
    expect(signer.verifyFileSignature('id-0123456789abcdeF', 'lobby', 42, sig)).toBe(false);
    expect(signer.verifyFileSignature('id-0123456789abcdef', 'dev', 42, sig)).toBe(false);
    expect(signer.verifyFileSignature('id-0123456789abcdef', 'lobby', 43, sig)).toBe(false);
    const token = signer.uploadToken(claims);
    expect(signer.verifyFileSignature('id-0123456789abcdef', 'lobby', 42, token.split('.')[2]!)).toBe(false);
  });

  it('refuses a short secret', () => {
    expect(() => new FileSigner(Buffer.from('short'))).toThrow(RangeError);
  });
});

describe('loadSecret', () => {
  it('uses the configured secret, else keeps one in the folder (private), else makes one per start', async () => {
    expect((await loadSecret('configured secret', undefined)).toString()).toBe('configured secret');
    const dir = await mkdtemp(join(tmpdir(), 'parley-secret-'));
    try {
      const first = await loadSecret(undefined, join(dir, 'files'));
      expect(first.length).toBe(32);
      expect((await loadSecret(undefined, join(dir, 'files'))).equals(first)).toBe(true);
      expect((await readFile(join(dir, 'files', 'secret'), 'utf8')).trim()).toBe(first.toString('hex'));
      if (process.platform !== 'win32') expect((await stat(join(dir, 'files', 'secret'))).mode & 0o077).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const a = await loadSecret(undefined, undefined);
    const b = await loadSecret(undefined, undefined);
    expect(a.equals(b)).toBe(false);
  });
});

/** The relay's own certificate (server/tls/certificate.ts): made once, kept, reused, rotated on request. */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CERT_FILE, describeCertificate, KEY_FILE, loadOrCreateIdentity } from '../../../server/tls/certificate';
import { identity } from '../../helpers/tls';

const tmp = () => mkdtempSync(join(tmpdir(), 'parley-cert-'));

describe('the relay’s own certificate', () => {
  it('is an ECDSA P-256 server certificate for ten years, its fingerprint what X509Certificate computes', async () => {
    const id = await identity('unit');
    const x = new X509Certificate(id.cert);
    expect(x.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    expect(x.ca).toBe(false);
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    const years = (new Date(x.validTo).getTime() - new Date(x.validFrom).getTime()) / (365.25 * 86_400_000);
    expect(Math.round(years)).toBe(10);
    expect(id.fingerprint).toBe(x.fingerprint256.replace(/:/g, '').toLowerCase());
  });

  it('is made once, kept readable by its owner only, reused, and replaced only when rotated', async () => {
    const dir = tmp();
    const first = await loadOrCreateIdentity(dir);
    expect(first.created).toBe(true);
    if (process.platform !== 'win32') expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateIdentity(dir);
    expect(again).toMatchObject({ created: false, fingerprint: first.fingerprint });
    const rotated = await loadOrCreateIdentity(dir, { rotate: true });
    expect(rotated.created).toBe(true);
    expect(rotated.fingerprint).not.toBe(first.fingerprint);
    expect((await loadOrCreateIdentity(dir)).fingerprint).toBe(rotated.fingerprint);
  });

  it('replaces a pair cut in half (a key without its certificate) instead of refusing to start', async () => {
    const dir = tmp();
    const first = await loadOrCreateIdentity(dir);
    writeFileSync(join(dir, KEY_FILE), (await identity('stray')).key);
    const next = await loadOrCreateIdentity(dir);
    expect(next.created).toBe(true);
    expect(next.fingerprint).not.toBe(first.fingerprint);
    expect(() => describeCertificate(next.cert, next.key)).not.toThrow();
    expect(CERT_FILE).toBe('tls-cert.pem');
  });
});

/**
 * The relay's own TLS certificate when nobody gives it one (`TLS=self-signed`, and the desktop host):
 * an ECDSA P-256 key and a self-signed certificate, made once, kept in a folder and reused, so the
 * fingerprint that clients pinned stays valid across restarts until the owner rotates it.
 *
 * Library: @peculiar/x509 (maintained by PeculiarVentures, pure JavaScript over Web Crypto): it
 * makes an ECDSA certificate in milliseconds, where `selfsigned` (node-forge) makes RSA keys in
 * JavaScript and signs with SHA-1 unless told otherwise. It needs `reflect-metadata` loaded first.
 *
 * Trust is by fingerprint, not by name or date, so the names are informative (localhost, this
 * machine's name) and the certificate is valid for ten years: expiry would only break every pin at
 * once, with nothing gained, since rotating on request is what replaces a key.
 */
import { createPrivateKey, X509Certificate, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { normalizeFingerprint } from '../../protocol/tls';

export interface TlsIdentity {
  cert: string;
  key: string;
  /** SHA-256 of the certificate (DER), 64 lower-case hex digits. */
  fingerprint: string;
  notAfter: Date;
}

export const CERT_FILE = 'tls-cert.pem';
export const KEY_FILE = 'tls-key.pem';
const VALID_YEARS = 10;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * @peculiar/x509, loaded on first use (making a certificate is rare; reading one needs only
 * node:crypto): the desktop main bundle keeps it external (scripts/build-node.mjs), so the app's
 * start does not pay for its ASN.1 schemas.
 */
let library: Promise<typeof import('@peculiar/x509')> | undefined;
function x509Library(): Promise<typeof import('@peculiar/x509')> {
  library ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);
    return x509;
  })();
  return library;
}

/** The fingerprint and expiry of a PEM certificate, checking that `key` belongs to it when given. */
export function describeCertificate(certPem: string, keyPem?: string): TlsIdentity {
  const cert = new X509Certificate(certPem);
  if (keyPem !== undefined && !cert.checkPrivateKey(createPrivateKey(keyPem))) {
    throw new Error('The TLS key does not belong to the certificate (TLS_KEY and TLS_CERT are from different pairs).');
  }
  return { cert: certPem, key: keyPem ?? '', fingerprint: normalizeFingerprint(cert.fingerprint256), notAfter: new Date(cert.validTo) };
}

/** A new self-signed identity (not stored). */
export async function createSelfSigned(commonName = `Parley on ${hostname()}`, now = new Date()): Promise<TlsIdentity> {
  const x509 = await x509Library();
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notAfter = new Date(now);
  notAfter.setFullYear(notAfter.getFullYear() + VALID_YEARS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${commonName.replace(/[,=+<>#;"\\]/g, ' ')}`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        ...(/^[a-z0-9.-]+$/i.test(hostname()) ? [{ type: 'dns' as const, value: hostname() }] : []),
      ]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const key = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return describeCertificate(cert.toString('pem'), key);
}

/**
 * The identity kept in `dir`, made on first use. `rotate` replaces it (clients that pinned the old
 * fingerprint then refuse this host until their user trusts the new one: that is the point).
 */
export async function loadOrCreateIdentity(dir: string, opts: { rotate?: boolean; commonName?: string } = {}): Promise<TlsIdentity & { created: boolean }> {
  const certPath = join(dir, CERT_FILE);
  const keyPath = join(dir, KEY_FILE);
  if (!opts.rotate && existsSync(certPath) && existsSync(keyPath)) {
    try {
      return { ...describeCertificate(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8')), created: false };
    } catch {
      // A pair cut in half by a crash between the two writes below: that key is gone, so is its pin.
    }
  }
  mkdirSync(dir, { recursive: true });
  const made = await createSelfSigned(opts.commonName);
  // Key first, readable by this user only; each file replaced whole, so a crash leaves the old pair or the new one.
  writeAtomic(keyPath, made.key, 0o600);
  writeAtomic(certPath, made.cert, 0o644);
  return { ...made, created: true };
}

function writeAtomic(path: string, text: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  if (process.platform !== 'win32') chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/**
 * TLS for the standalone relay: TLS_CERT / TLS_KEY (PEM files, e.g. from a company CA or ACME), or
 * TLS=self-signed (tls/certificate.ts, kept in DATA_DIR/tls so its fingerprint survives restarts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config';
import { createSelfSigned, describeCertificate, loadOrCreateIdentity, type TlsIdentity } from './certificate';

export interface TlsSettings {
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  tls?: 'self-signed' | 'off' | undefined;
  dataDir: string;
}

/** The identity to serve, undefined for plain HTTP; a ConfigError that names the setting when it cannot be used. */
export async function standaloneTls(c: TlsSettings): Promise<(TlsIdentity & { ephemeral?: boolean }) | undefined> {
  if (c.tlsCert && c.tlsKey) {
    const cert = readPem(c.tlsCert, 'TLS_CERT');
    const key = readPem(c.tlsKey, 'TLS_KEY');
    try {
      return describeCertificate(cert, key);
    } catch (err) {
      throw new ConfigError(`Invalid configuration:\n  TLS_CERT / TLS_KEY: ${(err as Error).message}`);
    }
  }
  if (c.tls !== 'self-signed') return undefined;
  // Without a data folder the certificate cannot be kept: a new one (and fingerprint) each start.
  if (c.dataDir === ':memory:') return { ...(await createSelfSigned()), ephemeral: true };
  return loadOrCreateIdentity(join(c.dataDir, 'tls'));
}

function readPem(path: string, setting: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${setting}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!text.includes('-----BEGIN ')) throw new ConfigError(`Invalid configuration:\n  ${setting}: ${path} is not a PEM file`);
  return text;
}

/**
 * Test certificates made with openssl in a temp folder: self-signed ones (valid, expiring soon,
 * expired long ago) and a private CA with leaves signed by it. OpenSSL 3.0's `req -x509` cannot
 * back-date a certificate, so the expired one is made with `openssl ca -selfsign`, which takes
 * explicit start and end dates.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  key: string;
  cert: string;
  certFile: string;
  /** SHA-256 fingerprint, "AB:CD:…" as X509Certificate prints it. */
  fingerprint: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function load(dir: string, name: string): TestCert {
  const cert = readFileSync(join(dir, `${name}.crt`), 'utf8');
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert, certFile: join(dir, `${name}.crt`), fingerprint: new X509Certificate(cert).fingerprint256 };
}

export class TestCerts {
  readonly dir = mkdtempSync(join(tmpdir(), 'parley-certs-'));

  /** Self-signed for 127.0.0.1 and localhost, valid from now for `days`. */
  selfSigned(name: string, days: number): TestCert {
    openssl(['req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', String(days), '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], this.dir);
    return load(this.dir, name);
  }

  /** Self-signed, valid only in January 2020. */
  expired(name: string): TestCert {
    const d = this.dir;
    writeFileSync(join(d, 'index.txt'), '');
    writeFileSync(join(d, 'serial'), '01\n');
    writeFileSync(
      join(d, 'ca.cnf'),
      ['[ca]', 'default_ca = test', '[test]', `database = ${join(d, 'index.txt')}`, `new_certs_dir = ${d}`, `serial = ${join(d, 'serial')}`, 'default_md = sha256', 'policy = any', 'copy_extensions = copy', '[any]', 'commonName = supplied', ''].join('\n'),
    );
    openssl(['req', '-new', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], d);
    openssl(['ca', '-batch', '-notext', '-config', 'ca.cnf', '-selfsign', '-keyfile', `${name}.key`, '-in', `${name}.csr`, '-out', `${name}.crt`, '-startdate', '20200101000000Z', '-enddate', '20200201000000Z'], d);
    return load(d, name);
  }

  /** A private CA (its certificate file is what NODE_EXTRA_CA_CERTS takes). */
  ca(): TestCert {
    openssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=Parley Test CA'], this.dir);
    return load(this.dir, 'ca');
  }

  /** A leaf signed by ca() for the given subjectAltName, e.g. "DNS:other.invalid". */
  signed(name: string, altNames: string): TestCert {
    const d = this.dir;
    writeFileSync(join(d, `${name}.ext`), `subjectAltName=${altNames}\n`);
    openssl(['req', '-new', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], d);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-extfile', `${name}.ext`, '-out', `${name}.crt`], d);
    return load(d, name);
  }
}

/**
 * The certificate side of Electron's session for the harness: `setCertificateVerifyProc` stores the
 * proc, and every TLS connection a window makes (session-proxy.ts asks before letting it through) is
 * decided as Electron decides it: Chromium's own verdict first (here computed with Node: its bundled
 * CAs and the host name), then the proc, called with Electron's request object, whose answer wins
 * (0 accepts, -3 keeps Chromium's verdict, anything else refuses). Without a proc, Chromium's verdict
 * alone decides. Verdicts are cached per certificate and host name like the network service's cache,
 * which setCertificateVerifyProc does not clear (electron/electron#41448): a proc set after a window
 * already reached a host is not asked about that host's certificate again.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, rootCertificates, type DetailedPeerCertificate } from 'node:tls';
import type { ElectronMain } from '../../../main/shell/electron-api';

type Session = ElectronMain['session']['defaultSession'];
export type CertificateVerifyProc = NonNullable<Parameters<Session['setCertificateVerifyProc']>[0]>;
export type CertificateVerifyRequest = Parameters<CertificateVerifyProc>[0];
type Certificate = CertificateVerifyRequest['certificate'];
type Principal = Certificate['issuer'];

/** One verification the session made (a cache hit makes none), for the flows to assert on. */
export interface CertificateCheck {
  hostname: string;
  port: number;
  /** Electron's format: `sha256/<base64 of the SHA-256 of the DER>`. */
  fingerprint: string;
  /** Chromium's verdict as the proc sees it: 'net::OK' (what Electron passes, whatever its docs say) or 'net::ERR_CERT_…'. */
  verificationResult: string;
  errorCode: number;
  /** What the proc called back with; null when no proc was set. */
  procResult: number | null;
  decision: 'accept' | 'reject';
}

export interface ChromiumVerdict {
  verificationResult: string;
  errorCode: number;
  isIssuedByKnownRoot: boolean;
}

// Chromium's net errors for certificate status, most serious first, in the order its
// MapCertStatusToNetError picks one of several problems.
const NET_ERRORS = [
  ['INVALID', -207],
  ['AUTHORITY_INVALID', -202],
  ['COMMON_NAME_INVALID', -200],
  ['DATE_INVALID', -201],
] as const;
type Problem = (typeof NET_ERRORS)[number][0];
/** OpenSSL results that say the chain did not reach a trusted root or is out of date, which are judged separately below. */
const EXPLAINED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

let roots: X509Certificate[] | null = null;

/**
 * Whether the chain ends at one of Node's bundled roots. Checked here rather than read from
 * OpenSSL's result, which keeps only the last problem it met: an expired self-signed certificate
 * comes back as CERT_HAS_EXPIRED, where Chromium reports the untrusted issuer first.
 */
function anchored(chain: readonly X509Certificate[]): boolean {
  roots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  let cert = chain[0];
  for (let depth = 0; cert && depth < 10; depth++) {
    const current = cert;
    const signedBy = (issuer: X509Certificate) => current.checkIssued(issuer) && current.verify(issuer.publicKey);
    if (roots.some(signedBy)) return true;
    cert = chain.find((c) => c !== current && signedBy(c));
  }
  return false;
}

/**
 * Chromium's own verdict on a server's chain (leaf first) for `hostname`. `opensslError` is Node's
 * verification result (socket.authorizationError), for problems other than trust and dates.
 */
export function chromiumVerdict(chain: readonly X509Certificate[], hostname: string, opensslError?: string, now = Date.now()): ChromiumVerdict {
  const leaf = chain[0];
  if (!leaf) throw new Error('no certificate');
  const problems = new Set<Problem>();
  const trusted = anchored(chain);
  if (!trusted) problems.add('AUTHORITY_INVALID');
  if (opensslError && !EXPLAINED.has(opensslError)) problems.add('INVALID');
  // Chromium matches names against subjectAltName only: no fallback to the common name since Chrome 58.
  const named = isIP(hostname) ? leaf.checkIP(hostname) !== undefined : leaf.checkHost(hostname, { subject: 'never' }) !== undefined;
  if (!named) problems.add('COMMON_NAME_INVALID');
  if (chain.some((c) => now < Date.parse(c.validFrom) || now > Date.parse(c.validTo))) problems.add('DATE_INVALID');
  const worst = NET_ERRORS.find(([problem]) => problems.has(problem));
  // net::ErrorToString(0) is "net::OK": that is what Electron hands the proc for a good certificate.
  return worst ? { verificationResult: `net::ERR_CERT_${worst[0]}`, errorCode: worst[1], isIssuedByKnownRoot: trusted } : { verificationResult: 'net::OK', errorCode: 0, isIssuedByKnownRoot: trusted };
}

/** A principal as Electron shows it (CertificatePrincipal), from Node's "KEY=value" lines. */
function principal(name: string): Principal {
  const fields = new Map<string, string[]>();
  for (const line of name.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) fields.set(line.slice(0, at), [...(fields.get(line.slice(0, at)) ?? []), line.slice(at + 1)]);
  }
  const one = (key: string) => fields.get(key)?.[0] ?? '';
  return { commonName: one('CN'), organizations: fields.get('O') ?? [], organizationUnits: fields.get('OU') ?? [], locality: one('L'), state: one('ST'), country: one('C') };
}

/** Chromium's CertPrincipal::GetDisplayName: the common name, else the first organization, else the first unit. */
const displayName = (p: Principal) => p.commonName || p.organizations[0] || p.organizationUnits[0] || '';

/** The fingerprint Electron's Certificate carries. */
export const electronFingerprint = (cert: X509Certificate) => `sha256/${createHash('sha256').update(cert.raw).digest('base64')}`;

/** Electron's Certificate for a chain, leaf first; `issuerCert` only when there is an issuer in the chain (none for a self-signed one). */
export function electronCertificate(chain: readonly X509Certificate[]): Certificate {
  const [cert, ...issuers] = chain;
  if (!cert) throw new Error('no certificate');
  const issuer = principal(cert.issuer);
  const subject = principal(cert.subject);
  const out = {
    data: cert.toString(),
    issuer,
    issuerName: displayName(issuer),
    subject,
    subjectName: displayName(subject),
    serialNumber: cert.serialNumber.toUpperCase(),
    validStart: Date.parse(cert.validFrom) / 1000,
    validExpiry: Date.parse(cert.validTo) / 1000,
    fingerprint: electronFingerprint(cert),
    ...(issuers.length > 0 ? { issuerCert: electronCertificate(issuers) } : {}),
  };
  // Electron's type declares issuerCert always; Electron itself leaves it out for a self-signed certificate.
  return out as Certificate;
}

/** Node's peer chain (leaf first, as far as it goes) as X509Certificates. */
function peerChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  for (let c: DetailedPeerCertificate | undefined = peer; c?.raw && chain.length < 10; c = c.issuerCertificate) {
    if (chain.some((seen) => seen.raw.equals(c!.raw))) break; // a root is its own issuer
    chain.push(new X509Certificate(c.raw));
  }
  return chain;
}

/**
 * The certificate chain host:port presents, as Chromium would receive it (SNI = the host name,
 * none for an IP address). It only looks: the handshake, then the socket is dropped, no request.
 */
export function inspect(hostname: string, port: number, timeoutMs = 10_000): Promise<{ chain: X509Certificate[]; opensslError?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: hostname,
      port,
      ...(isIP(hostname) ? {} : { servername: hostname }),
      // This socket is the harness's stand-in for Chromium's TLS stack: it must complete the
      // handshake with an untrusted certificate to hand it to the verdict and the proc (which are
      // what decide), exactly as Chromium hands an untrusted one to Electron's verify proc. It never
      // carries data. Nowhere else may rejectUnauthorized be false.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined, // the name is judged by chromiumVerdict, as Chromium judges it
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no TLS handshake from ${hostname}:${port} within ${timeoutMs} ms`)));
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const error: unknown = socket.authorizationError; // a code string at run time, typed as Error
      const opensslError = error ? (typeof error === 'string' ? error : ((error as { code?: string }).code ?? String(error))) : undefined;
      const chain = peerChain(socket.getPeerCertificate(true));
      socket.destroy();
      if (chain.length === 0) reject(new Error(`${hostname}:${port} presented no certificate`));
      else resolve({ chain, ...(opensslError ? { opensslError } : {}) });
    });
  });
}

/** The session's verifier: the proc, the cache, and the record of every verification. */
export class CertificateVerifier {
  readonly checks: CertificateCheck[] = [];
  private proc: CertificateVerifyProc | null = null;
  /** Verdicts by chain and host name; a pending one is shared, as Chromium coalesces identical verifications. */
  private readonly cache = new Map<string, Promise<boolean>>();

  setProc(proc: CertificateVerifyProc | null): void {
    this.proc = proc;
  }

  /** Whether a window may complete a TLS handshake with hostname:port. Refuses when the certificate cannot be obtained. */
  async allows(hostname: string, port: number): Promise<boolean> {
    const { chain, opensslError } = await inspect(hostname, port);
    const key = `${createHash('sha256').update(Buffer.concat(chain.map((c) => c.raw))).digest('hex')} ${hostname}`;
    let decided = this.cache.get(key);
    if (!decided) {
      decided = this.decide(chain, hostname, port, opensslError);
      this.cache.set(key, decided);
      // A proc that threw has not answered: the connection is refused (Electron would wait for an
      // answer that never comes) and nothing is kept, so the next connection asks again.
      decided.catch(() => this.cache.delete(key));
    }
    return decided;
  }

  private async decide(chain: X509Certificate[], hostname: string, port: number, opensslError: string | undefined): Promise<boolean> {
    const verdict = chromiumVerdict(chain, hostname, opensslError);
    const proc = this.proc;
    let procResult: number | null = null;
    if (proc) {
      const request = { hostname, certificate: electronCertificate(chain), validatedCertificate: electronCertificate(chain), ...verdict };
      procResult = await new Promise<number>((resolve) => proc(request, resolve));
    }
    // Electron: -3 means "use Chromium's result"; 0 accepts whatever Chromium thought; any other code refuses.
    const accepted = procResult === null || procResult === -3 ? verdict.errorCode === 0 : procResult === 0;
    const { verificationResult, errorCode } = verdict;
    this.checks.push({ hostname, port, fingerprint: electronFingerprint(chain[0]!), verificationResult, errorCode, procResult, decision: accepted ? 'accept' : 'reject' });
    return accepted;
  }
}

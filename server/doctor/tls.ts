/**
 * The TLS check: one inspection handshake that sends no data, so the doctor can say *why* a
 * certificate is not trusted (self-signed, expired, incomplete chain, wrong names) instead of just
 * failing the way a verifying client would. Verification is turned off for that one socket only;
 * every later request verifies, either against the system's CAs or, when the user pinned a
 * fingerprint, against exactly the certificate they pinned (never turned off for a connection that
 * carries anything: inspect-certificate.ts is the one exception).
 */
import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type ConnectionOptions, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import { inspect, type Inspection } from './inspect-certificate';
import { problem, ok, type Outcome } from './report';
import type { Target } from './target';
import { normalizeFingerprint } from '../../protocol/tls';

const DAY_MS = 86_400_000;
/** Fewer days left than this is a warning: time to renew before clients start failing. */
export const EXPIRY_WARN_DAYS = 14;

/** TLS options for every later https/wss request, decided by this check. */
export type Trust = Pick<ConnectionOptions, 'ca' | 'checkServerIdentity'>;

export { normalizeFingerprint };

function chainReason(code: string): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'it is self-signed';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'its chain ends in a CA this machine does not trust (a private CA, or a proxy that intercepts TLS)';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'its issuer is unknown here: the server does not send the intermediate certificate, or the CA is private';
    case 'CERT_HAS_EXPIRED':
      return 'it has expired';
    case 'CERT_NOT_YET_VALID':
      return 'it is not valid yet';
    case 'CERT_REVOKED':
      return 'it has been revoked';
    default:
      return code;
  }
}

/** The presented chain as PEM, leaf first: what a pin trusts for later connections. */
function presentedChain(leaf: DetailedPeerCertificate): string[] {
  const pems: string[] = [];
  const seen = new Set<string>();
  for (let c: DetailedPeerCertificate | undefined = leaf; c?.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    pems.push(new X509Certificate(c.raw).toString());
  }
  return pems;
}



/** The names a client matches: the subjectAltName entries, or the CN only when there are none (RFC 6125). */
function names(x509: X509Certificate): string {
  const alt = x509.subjectAltName?.split(/,\s*/).map((n) => n.replace(/^(DNS|IP Address):/, '')) ?? [];
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1];
  return (alt.length ? alt : cn ? [cn] : []).join(', ') || 'no names';
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function checkTls(target: Target, pin: string | undefined): Promise<{ outcome: Outcome; trust?: Trust }> {
  const wanted = pin === undefined ? undefined : normalizeFingerprint(pin);
  if (wanted !== undefined && wanted.length !== 64) {
    return { outcome: problem('tls', 'fail', 'The pinned fingerprint is not a SHA-256 fingerprint (64 hex digits, colons optional).', 'Copy the fingerprint again: `openssl x509 -in cert.pem -noout -fingerprint -sha256` where the certificate is installed.') };
  }
  let seen: Inspection;
  try {
    seen = await inspect(target);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const plain = /wrong version number|packet length too long|unknown protocol/i.test(e.message);
    return {
      outcome: problem(
        'tls',
        'fail',
        plain ? `Port ${target.port} does not speak TLS (it answered like plain HTTP).` : `No TLS handshake: ${e.code ?? e.message}.`,
        plain ? `Use http:// for this port, or the port where TLS is served.` : 'Check that TLS is served on this port; a proxy that only passes plain HTTP, or a TLS version below 1.2, also ends here.',
      ),
    };
  }
  const { x509, peer } = seen;
  const now = Date.now();
  const from = Date.parse(x509.validFrom);
  const until = Date.parse(x509.validTo);
  const fingerprint = x509.fingerprint256;
  const pinned = wanted !== undefined && normalizeFingerprint(fingerprint) === wanted;
  const hostError = checkServerIdentity(target.hostname, peer as PeerCertificate);
  // A name mismatch on an otherwise good chain is reported by Node as the authorization error too.
  const chainError = seen.authorized || seen.authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID' ? undefined : (seen.authorizationError ?? 'not verified');

  const fails: { text: string; advice: string }[] = [];
  if (now > until) fails.push({ text: `it expired on ${day(until)}, ${Math.floor((now - until) / DAY_MS)} days ago`, advice: 'Renew the certificate (and automate renewal: App Service and Application Gateway offer managed certificates).' });
  if (now < from) fails.push({ text: `it is not valid before ${day(from)}`, advice: "Check this machine's clock (see the clock check); otherwise the certificate was issued with a future start date." });
  if (wanted !== undefined && !pinned) {
    fails.push({ text: 'its fingerprint does not match the pinned one', advice: 'The relay presents another certificate than the pinned one: if it was renewed, compare the new fingerprint with the certificate’s own (openssl x509 -fingerprint -sha256 where it is installed) and pin that; if not, something is intercepting the connection.' });
  }
  // Expiry is said above in its own words; any other reason the chain is refused, here.
  if (chainError && !pinned && chainError !== 'CERT_HAS_EXPIRED' && chainError !== 'CERT_NOT_YET_VALID') {
    fails.push({
      text: `not trusted (${chainReason(chainError)})`,
      advice: chainError === 'DEPTH_ZERO_SELF_SIGNED_CERT' || chainError === 'SELF_SIGNED_CERT_IN_CHAIN'
        ? "Use a certificate from a public CA, or, for a relay you run yourself, pin this certificate's fingerprint after comparing it with the certificate's own (openssl x509 -fingerprint -sha256 where it is installed)."
        : 'Serve the full chain (the certificate followed by its intermediates) from the relay or the proxy that ends TLS.',
    });
  }
  if (hostError && !pinned) fails.push({ text: `it is issued for ${names(x509)}, not ${target.hostname}`, advice: `Use a certificate whose names include ${target.hostname}, or connect with a name it has.` });

  const trust = chainError ? `trusted through the pinned fingerprint (on its own it would be refused: ${chainReason(chainError)})` : wanted !== undefined ? 'chain verified, and the pinned fingerprint matches' : 'chain verified';
  const about = `${seen.protocol ?? 'TLS'}; certificate for ${names(x509)}, issued by ${x509.issuer.split('\n').find((l) => l.startsWith('CN=') || l.startsWith('O='))?.replace(/^(CN|O)=/, '') ?? 'an unnamed issuer'}, valid until ${day(until)}; SHA-256 ${fingerprint}`;
  if (fails.length > 0) {
    return { outcome: problem('tls', 'fail', `The certificate is refused: ${fails.map((f) => f.text).join('; ')}. (${about}.)`, fails[0]!.advice) };
  }
  const daysLeft = Math.floor((until - now) / DAY_MS);
  const pinCheck = (cert: PeerCertificate): Error | undefined =>
    wanted === undefined || normalizeFingerprint(cert.fingerprint256) === wanted ? undefined : new Error('the certificate does not match the pinned fingerprint');
  const later: Trust = chainError
    ? // Trust exactly what was pinned: the presented chain as the only CAs, identity by fingerprint.
      { ca: presentedChain(peer), checkServerIdentity: (_host, cert) => pinCheck(cert) }
    : wanted === undefined
      ? {}
      : { checkServerIdentity: (host, cert) => checkServerIdentity(host, cert) ?? pinCheck(cert) };
  if (daysLeft < EXPIRY_WARN_DAYS) {
    return { trust: later, outcome: problem('tls', 'warn', `${trust}, but it expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}. (${about}.)`, 'Renew the certificate soon; clients refuse it once it expires.') };
  }
  return { trust: later, outcome: ok(`${trust}; ${about}.`) };
}

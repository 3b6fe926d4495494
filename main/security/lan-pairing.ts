/**
 * Proving a join code to a LAN host over TLS, from the main process (protocol/pairing.ts for the
 * exchange, docs/lan-tls.md for why).
 *
 * Why here and not in the window: the window's TLS stack asks Electron's certificate hook, whose
 * verdicts Electron caches for the rest of the run (and a new hook does not clear them). Were the
 * window to fetch `/pair` from a host offering some certificate, that certificate would have to be
 * accepted first, and would stay accepted even when the code then proved it false. So the certificate
 * is checked here, on a connection of our own that trusts exactly the expected fingerprint, the
 * code is proved over it, and only a proved certificate is pinned; the hook (pins.ts) accepts
 * nothing else. The window then connects to a host whose certificate is already known good.
 */
import { request } from 'node:https';
import type { PeerCertificate } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { parseFingerprint, type LanPairResult } from '../../protocol/index';
import { pairWithHost, type PostJson } from '../../protocol/pairing';
import { normalizeFingerprint } from '../../protocol/tls';
import { inspect } from '../../server/doctor/inspect-certificate';
import { NotLanError, originKey, type CertificatePins } from './pins';

const TIMEOUT_MS = 10_000;

export interface LanPairingDeps {
  pins: CertificatePins;
  /** A certificate other than the expected one answered at a pinned or expected origin. */
  onMismatch?: (hostname: string, expected: string, presented: string) => void;
}

export function createLanPairing(deps: LanPairingDeps) {
  return async (origin: string, code: string, fingerprint: string, options: { replace?: boolean } = {}): Promise<LanPairResult> => {
    const key = originKey(origin);
    const fp = parseFingerprint(fingerprint);
    if (!key || !fp) throw new NotLanError('Join codes are proved to https:// LAN addresses only, with a SHA-256 fingerprint.');
    const pinned = deps.pins.pinned(key);
    if (pinned && pinned !== fp && !options.replace) return { ok: false, reason: 'CERTIFICATE_CHANGED', pinned, offered: fp };

    // The pin is the host's (pins.ts); the connection is to this origin, port included.
    const url = new URL(origin);
    const target = { hostname: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 443) };
    // A look at the certificate, sending nothing (the doctor's inspection); the request below then
    // trusts exactly that certificate, and checks its fingerprint again on its own connection.
    let pem: string;
    try {
      const seen = await inspect(target);
      const presented = normalizeFingerprint(seen.x509.fingerprint256);
      if (presented !== fp) {
        deps.onMismatch?.(target.hostname, fp, presented);
        return { ok: false, reason: 'CERTIFICATE_MISMATCH', expected: fp, presented };
      }
      pem = seen.x509.toString();
    } catch {
      return { ok: false, reason: 'UNREACHABLE' };
    }
    let outcome;
    try {
      outcome = await pairWithHost(url.origin, code, fp, pinnedPost(pem, fp));
    } catch {
      return { ok: false, reason: 'UNREACHABLE' };
    }
    if (!outcome.ok) return outcome.reason === 'WRONG_CODE_OR_HOST' ? { ok: false, reason: 'WRONG_CODE_OR_HOST' } : { ok: false, reason: 'REFUSED', ...(outcome.status !== undefined ? { status: outcome.status } : {}) };
    // Proved: this certificate is the host's.
    await deps.pins.trust(key, fp);
    return { ok: true, auth: outcome.auth };
  };
}

/** A JSON POST over a connection that trusts only `pem`, and only if its fingerprint is still `fp`. */
function pinnedPost(pem: string, fp: string): PostJson {
  return (url, body) =>
    new Promise((resolve, reject) => {
      const data = Buffer.from(JSON.stringify(body));
      const req = request(
        url,
        {
          method: 'POST',
          ca: pem,
          // The name is not what identifies a LAN host (its address changes; the certificate names
          // localhost): the fingerprint is, checked on this very connection.
          checkServerIdentity: (_host: string, cert: PeerCertificate) => (normalizeFingerprint(new X509Certificate(cert.raw).fingerprint256) === fp ? undefined : new Error('certificate changed during pairing')),
          headers: { 'content-type': 'application/json', 'content-length': data.length },
          timeout: TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > 4096) res.destroy(new Error('pairing answer too large'));
            else chunks.push(c);
          });
          res.on('end', () => {
            let parsed: unknown = null;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              /* not JSON: the status says enough */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('pairing timed out')));
      req.on('error', reject);
      req.end(data);
    });
}

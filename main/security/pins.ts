/**
 * Certificate pins for LAN hosts: trust on first use, proved by the join code.
 *
 * A LAN host's certificate is self-signed, so Chromium refuses it. The app accepts it only for a
 * host it was told to expect with exactly that fingerprint, and keeps the fingerprint (the pin)
 * once the join code proved it (protocol/pairing.ts: the code only works with the host's own
 * certificate, so a successful pairing is the proof that a fingerprint from discovery was honest).
 * From then on another certificate at that address is refused, loudly, until the user trusts it.
 *
 *  - `trust(origin, fp)`: pin it, once the join code proved it (main/security/lan-pairing.ts, which
 *    checks the certificate on its own connection before the window's TLS stack ever meets it:
 *    Electron caches the hook's verdicts, so an unproved certificate must never be accepted there).
 *  - `allow(origin, fp)`: this computer's own hosted session, known without proof, not pinned.
 *  - `verify(hostname, pem, chromium)`: Electron's certificate hook (session.setCertificateVerifyProc,
 *    wired in main/shell): 0 accept, -2 refuse, -3 Chromium's own verdict. Hosts with no pin or
 *    expectation keep Chromium's verdict: cloud servers are verified by their CA as always.
 *
 * Pins and expectations apply to LAN addresses only (private, link-local and loopback IPs, `.local`
 * and single-label names), so not even a compromised page can pin a certificate for a public name.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { parseFingerprint, type PinnedHost, type TlsRefusal } from '../../protocol/index';
import { MAX_PINS } from '../settings/schema';

export type PinMap = Record<string, { fingerprint: string; pinnedAt: number }>;

export interface PinStore {
  read(): PinMap;
  write(pins: PinMap): void | Promise<void>;
}

/** Electron's verify-proc answers. */
export const ACCEPT = 0;
export const REFUSE = -2;
export const CHROMIUM_DECIDES = -3;

export class NotLanError extends Error {
  override name = 'NotLanError';
}

export class CertificatePins {
  /** host key → certificates accepted this run without a pin (the hosted session's own). */
  private readonly expected = new Map<string, Set<string>>();

  constructor(
    private readonly store: PinStore,
    private readonly onRefused: (refusal: TlsRefusal) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The fingerprint `origin` is pinned to, if any. */
  pinned(origin: string): string | undefined {
    const key = originKey(origin);
    return key ? this.store.read()[key]?.fingerprint : undefined;
  }

  /** A certificate the app knows without asking anyone (its own hosted session's): accepted, not pinned. */
  allow(origin: string, fingerprint: string): void {
    const { key, fp } = this.checked(origin, fingerprint);
    let set = this.expected.get(key);
    if (!set) this.expected.set(key, (set = new Set()));
    set.add(fp);
  }

  async trust(origin: string, fingerprint: string): Promise<void> {
    const { key, fp } = this.checked(origin, fingerprint);
    const pins = { ...this.store.read(), [key]: { fingerprint: fp, pinnedAt: this.now() } };
    // Bounded: the oldest pins give way (a host not seen for long is pinned again on its next join).
    const keys = Object.keys(pins).sort((a, b) => pins[a]!.pinnedAt - pins[b]!.pinnedAt);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PINS))) delete pins[old];
    // Only the pinned certificate passes now at this host (what the window connected with before,
    // Chromium may still accept until the app restarts: it caches verdicts; docs/lan-tls.md).
    this.expected.delete(key);
    await this.store.write(pins);
  }

  async forget(origin: string): Promise<void> {
    const key = originKey(origin);
    if (!key) return;
    this.expected.delete(key);
    const pins = { ...this.store.read() };
    delete pins[key];
    await this.store.write(pins);
  }

  list(): PinnedHost[] {
    return Object.entries(this.store.read())
      .map(([origin, p]) => ({ origin, fingerprint: p.fingerprint, pinnedAt: p.pinnedAt }))
      .sort((a, b) => a.origin.localeCompare(b.origin));
  }

  /** Electron's question for one TLS connection to `hostname` (no port: Electron does not give one). */
  verify(hostname: string, certificatePem: string, chromiumVerdict: string): number {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const wanted = this.trustedFor(host);
    if (wanted.size === 0) return CHROMIUM_DECIDES;
    const presented = pemFingerprint(certificatePem);
    if (presented && wanted.has(presented)) return ACCEPT;
    // A pinned or expected LAN host showing another certificate: the one case to shout about.
    this.onRefused({ hostname: host, presented: presented ?? '', expected: [...wanted], chromiumVerdict });
    return REFUSE;
  }

  private trustedFor(host: string): Set<string> {
    const out = new Set<string>();
    for (const [origin, p] of Object.entries(this.store.read())) if (hostOf(origin) === host) out.add(p.fingerprint);
    for (const [origin, fps] of this.expected) if (hostOf(origin) === host) for (const fp of fps) out.add(fp);
    return out;
  }

  private checked(origin: string, fingerprint: string): { key: string; fp: string } {
    const key = originKey(origin);
    if (!key) throw new NotLanError('Certificates are pinned for https:// LAN addresses only.');
    const fp = parseFingerprint(fingerprint);
    if (!fp) throw new NotLanError('Not a SHA-256 fingerprint.');
    return { key, fp };
  }
}

/**
 * The key of a pin: `https://host`, without the port. Electron's hook is told the host name only,
 * and Chromium caches its verdicts per certificate and host, so a pin can mean no more than "this
 * host's certificate"; keyed by port, a host that rotated its certificate and hosts again on
 * another port would look new (no warning), and the old certificate would still pass at that host.
 * One computer is one host here: all its sessions share its certificate. Undefined for anything but
 * an https URL on a LAN address.
 */
export function originKey(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!isLanHost(host)) return undefined;
  return `https://${url.hostname.toLowerCase()}`;
}

/** Private, link-local and loopback addresses, `.local` names and single-label names. */
export function isLanHost(host: string): boolean {
  const kind = isIP(host);
  if (kind === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (kind === 6) return host === '::1' || /^f[cd]/i.test(host) || /^fe[89ab]/i.test(host);
  return /^[a-z0-9-]{1,63}$/i.test(host) || /^([a-z0-9-]{1,63}\.)+local$/i.test(host);
}

function hostOf(origin: string): string {
  return new URL(origin).hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** SHA-256 of the certificate's DER, from the PEM Electron hands over; undefined if it does not parse. */
export function pemFingerprint(pem: string): string | undefined {
  try {
    return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
  } catch {
    return undefined;
  }
}

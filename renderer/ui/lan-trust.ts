/**
 * Where the connect screen finds the certificate a LAN host over TLS should have (docs/lan-tls.md),
 * and how the desktop proves the code against it. In a browser there is no pin store: the
 * fingerprint comes from the invite's address (`#fp=`), and the page proves the code itself.
 */
import { parseFingerprint } from '../../protocol/index';
import type { PairFunction } from '../model/relay-connection';
import { desktop } from '../platform/desktop';

/** `fp` in the page's fragment (`https://host:port/#fp=…`): never sent to the server, unlike a query. */
export function fingerprintFromPage(): string | undefined {
  if (typeof location === 'undefined' || !location.hash) return undefined;
  return parseFingerprint(new URLSearchParams(location.hash.slice(1)).get('fp'));
}

/** The fingerprint this app pinned for `url`, if any (desktop only). */
export async function pinnedFingerprint(url: string): Promise<string | undefined> {
  const api = desktop();
  if (!api || !url.startsWith('https:')) return undefined;
  // Pins are per host (main/security/pins.ts): one computer, one certificate, whatever the port.
  const host = new URL(url).hostname;
  return (await api.listPinnedCertificates().catch(() => [])).find((p) => new URL(p.origin).hostname === host)?.fingerprint;
}

/**
 * The desktop's pairing: done by the main process, which checks the certificate on its own
 * connection and pins it once proved. `replacePin`: the user chose to trust a changed certificate;
 * it applies to the first pairing only, reconnects hold the new pin like any other.
 */
export function desktopPairing(replacePin = false): PairFunction | undefined {
  const api = desktop();
  if (!api) return undefined;
  let replace = replacePin;
  return async (url, code, fingerprint) => {
    const result = await api.pairWithLanHost(new URL(url).origin, code, fingerprint, replace ? { replace: true } : {});
    if (result.ok) replace = false;
    return result;
  };
}

/** The invite people on the LAN open: Parley's link, and the address for a browser, both carrying the fingerprint. */
export function inviteLinks(lanUrl: string, code: string | null, fingerprint: string): { app: string; browser: string } {
  const app = new URL('parley://join');
  app.searchParams.set('url', lanUrl);
  if (code) app.searchParams.set('code', code);
  app.searchParams.set('fp', fingerprint);
  return { app: app.toString(), browser: `${lanUrl}/#fp=${fingerprint}` };
}

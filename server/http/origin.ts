/**
 * Which browser pages may open a socket to this relay. Browsers always send `Origin` on cross-origin
 * requests and on WebSocket upgrades, so a page from a foreign site is refused on both transports.
 * Requests without `Origin` (native clients, curl, the desktop main process) pass this check and are
 * judged by the others (join code, rate limits).
 */
import type { IncomingMessage } from 'node:http';

export type OriginPolicy = (origin: string | undefined, req: IncomingMessage) => boolean;
import { requestHost, type ProxyHops } from './forwarded';

/** The desktop app's renderer is loaded from this origin (see main/). */
export const DESKTOP_RENDERER_ORIGIN = 'app://parley';

/**
 * @param allowed extra origins (exact `scheme://host[:port]`), or '*' to allow any page (not
 *                recommended: any website a user visits could then talk to a LAN relay).
 */
export function originPolicy(allowed: readonly string[] | '*', hops: ProxyHops = 0): OriginPolicy {
  if (allowed === '*') return () => true;
  const set = new Set([DESKTOP_RENDERER_ORIGIN, ...allowed.map((o) => o.replace(/\/+$/, '').toLowerCase())]);
  return (origin, req) => {
    if (origin === undefined) return true;
    const o = origin.toLowerCase();
    if (set.has(o)) return true;
    return isSameOrigin(o, requestHost(req, hops));
  };
}

/** The page came from this relay itself: Origin's host equals the host the client addressed. */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === host;
  } catch {
    return false;
  }
}

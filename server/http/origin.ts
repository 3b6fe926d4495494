/**
 * Which browser pages may open a socket to this relay. Browsers always send `Origin` on cross-origin
 * requests and on WebSocket upgrades, so a page from a foreign site is refused on both transports.
 * Requests without `Origin` (native clients, curl, the desktop main process) pass this check and are
 * judged by the others (join code, rate limits).
 */
import type { IncomingMessage } from 'node:http';
import { requestHost, type ProxyHops } from './forwarded';

export type OriginPolicy = (origin: string | undefined, req: IncomingMessage) => boolean;

/** Socket.IO's `cors.origin` callback form. */
export type CorsOrigin = (origin: string | undefined, callback: (err: Error | null, allow?: boolean) => void) => void;

/** The desktop app's renderer is loaded from this origin (see main/). */
export const DESKTOP_RENDERER_ORIGIN = 'app://parley';

/**
 * The part of the policy that needs no request: no Origin, '*', or a listed origin (the desktop
 * renderer's always). Exact match after lower-casing; a trailing slash in the list is tolerated.
 *
 * @param allowed extra origins (exact `scheme://host[:port]`), or '*' to allow any page (not
 *                recommended: any website a user visits could then talk to a LAN relay).
 */
export function listedOrigin(allowed: readonly string[] | '*'): (origin: string | undefined) => boolean {
  if (allowed === '*') return () => true;
  const set = new Set([DESKTOP_RENDERER_ORIGIN, ...allowed.map((o) => o.replace(/\/+$/, '').toLowerCase())]);
  return (origin) => origin === undefined || set.has(origin.toLowerCase());
}

/** The handshake check (`allowRequest`): a listed origin, or a page this relay served itself. */
export function originPolicy(allowed: readonly string[] | '*', hops: ProxyHops = 0): OriginPolicy {
  const listed = listedOrigin(allowed);
  return (origin, req) => listed(origin) || (origin !== undefined && isSameOrigin(origin.toLowerCase(), requestHost(req, hops)));
}

/**
 * The CORS grant: the listed origins only. A same-origin page needs no grant, and the listed ones do
 * (the desktop renderer's long-polling fallback would otherwise be refused by its own CORS check).
 */
export function corsOrigin(allowed: readonly string[] | '*'): CorsOrigin {
  const listed = listedOrigin(allowed);
  return (origin, callback) => callback(null, listed(origin));
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

/**
 * What a request looks like from the outside when reverse proxies sit in front (App Service's
 * front ends, Application Gateway, HAProxy): client address, scheme and host. Forwarded headers are
 * believed only when the relay is configured to trust that many proxy hops, and only the entries
 * those proxies appended (the right end of X-Forwarded-For), never what a client put in itself.
 */
import type { IncomingMessage } from 'node:http';

/** Number of trusted proxy hops in front of the relay (0 = none: use the socket's own view). */
export type ProxyHops = number;

export function toHops(trust: boolean | number | undefined): ProxyHops {
  if (trust === true) return 1;
  if (typeof trust === 'number' && Number.isInteger(trust) && trust > 0) return trust;
  return 0;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The entry `hops` from the right of a comma-separated forwarded list (the one our nearest trusted proxy saw). */
function fromRight(list: string | undefined, hops: ProxyHops): string | undefined {
  if (!list || hops === 0) return undefined;
  const parts = list.split(',').map((s) => s.trim()).filter(Boolean);
  return parts[Math.max(0, parts.length - hops)];
}

/** The client's address: the socket peer, or what the trusted proxies recorded. */
export function clientAddress(req: IncomingMessage, hops: ProxyHops): string {
  const forwarded = fromRight(header(req, 'x-forwarded-for'), hops);
  if (forwarded) return stripPort(forwarded);
  return req.socket.remoteAddress ?? 'unknown';
}

/** 'https' when TLS terminated at a trusted proxy (or on this socket), else 'http'. */
export function requestScheme(req: IncomingMessage, hops: ProxyHops): 'http' | 'https' {
  const proto = fromRight(header(req, 'x-forwarded-proto'), hops)?.toLowerCase();
  if (proto === 'https' || proto === 'http') return proto;
  return (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
}

/**
 * The host the client addressed. Proxies that rewrite Host for the backend (Application Gateway
 * with "pick host name from backend") pass the original in X-Forwarded-Host or X-Original-Host.
 */
export function requestHost(req: IncomingMessage, hops: ProxyHops): string | undefined {
  if (hops > 0) {
    const forwarded = fromRight(header(req, 'x-forwarded-host'), hops) ?? header(req, 'x-original-host');
    if (forwarded) return forwarded.toLowerCase();
  }
  return req.headers.host?.toLowerCase();
}

/** The relay's absolute URL as the client sees it, e.g. https://chat.example.com. */
export function publicOrigin(req: IncomingMessage, hops: ProxyHops): string | undefined {
  const host = requestHost(req, hops);
  return host ? `${requestScheme(req, hops)}://${host}` : undefined;
}

function stripPort(address: string): string {
  // "203.0.113.5:61234" (App Service) → "203.0.113.5"; "[2001:db8::1]:443" → "2001:db8::1"; bare IPv6 stays.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  return v4 ? v4[1]! : address;
}

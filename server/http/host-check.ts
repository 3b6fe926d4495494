/**
 * DNS-rebinding defence for relays on a LAN or loopback. A malicious web page can make its own
 * domain resolve to 127.0.0.1 or a LAN address; the browser then sends that domain in `Host`. A
 * relay that only accepts IP literals, `localhost`, and names it was told about refuses those
 * requests. A cloud relay behind a proxy with its own hostname is configured with `allowedHosts`
 * (or 'any').
 */
import { isIP } from 'node:net';

export type HostPolicy = (hostHeader: string | undefined) => boolean;

export function hostPolicy(allowed: readonly string[] | 'any'): HostPolicy {
  if (allowed === 'any') return () => true;
  const names = new Set(['localhost', ...allowed.map((h) => h.toLowerCase())]);
  return (header) => {
    if (!header) return true; // HTTP/1.0 clients and raw tools: nothing to rebind
    const host = hostname(header.toLowerCase());
    if (host === null) return false;
    return isIP(host) !== 0 || names.has(host) || host.endsWith('.localhost');
  };
}

/**
 * The hostname of a Host header (`[::1]:3000` → `::1`, `a.b:80` → `a.b`), or null when malformed:
 * after the name or the IPv6 literal's bracket only `:<port>` may follow, the port 1–5 digits ≤ 65535.
 */
export function hostname(header: string): string | null {
  let name: string;
  let rest: string;
  if (header.startsWith('[')) {
    const end = header.indexOf(']');
    if (end <= 1) return null;
    name = header.slice(1, end);
    rest = header.slice(end + 1);
    if (!/^[0-9a-f:.]+$/.test(name)) return null;
  } else {
    const colon = header.indexOf(':');
    name = colon >= 0 ? header.slice(0, colon) : header;
    rest = colon >= 0 ? header.slice(colon) : '';
    if (!/^[a-z0-9.-]+$/.test(name)) return null;
  }
  if (rest === '') return name;
  const port = /^:(\d{1,5})$/.exec(rest);
  return port && Number(port[1]) <= 65535 ? name : null;
}

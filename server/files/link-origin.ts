/**
 * Which origin to put in front of a link the relay writes into a message (classic clients' file
 * lines): the one the sender's connection came through, but only when that names this relay. The
 * Host header is the client's to write, and any IP literal passes the DNS-rebinding check, so a
 * sender could otherwise make the relay author a link to a host of their choosing. Trusted: a name
 * in ALLOWED_HOSTS, localhost, or an address of one of this machine's interfaces; else the link
 * stays a path on the relay.
 */
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { publicOrigin, requestHost, type ProxyHops } from '../http/forwarded';
import { hostname } from '../http/host-check';

export function linkOrigin(allowedHosts: readonly string[] | 'any', hops: ProxyHops): (req: IncomingMessage) => string {
  const names = allowedHosts === 'any' ? [] : allowedHosts.map((h) => h.toLowerCase());
  return (req) => {
    const host = requestHost(req, hops);
    const name = host === undefined ? null : hostname(host);
    if (name === null) return '';
    const ours = names.includes(name) || name === 'localhost' || ownAddresses().has(name);
    return ours ? (publicOrigin(req, hops) ?? '') : '';
  };
}

/** This machine's addresses, read each time: interfaces come and go (Wi-Fi, VPN). */
function ownAddresses(): Set<string> {
  const all = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) all.add(a.address.toLowerCase());
  return all;
}

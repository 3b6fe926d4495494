/**
 * What this computer looks like from the LAN: its IPv4 addresses (non-internal), the URLs others can
 * use, and the host names a LAN relay must accept in the Host header (its DNS-rebinding defence
 * refuses every name it was not told about).
 */
import type { NetworkInterfaceInfo } from 'node:os';

export type InterfaceMap = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** Non-internal IPv4 addresses, sorted so the output is stable. Link-local 169.254/16 last: it rarely routes. */
export function lanAddresses(interfaces: InterfaceMap): string[] {
  const found = new Set<string>();
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      // Node 18.0–18.3 reported family as a number; accept both spellings.
      const v4 = info.family === 'IPv4' || (info.family as unknown) === 4;
      if (v4 && !info.internal) found.add(info.address);
    }
  }
  const linkLocal = (a: string) => a.startsWith('169.254.');
  return [...found].sort((a, b) => Number(linkLocal(a)) - Number(linkLocal(b)) || a.localeCompare(b, 'en', { numeric: true }));
}

export function lanUrls(interfaces: InterfaceMap, port: number, scheme: 'http' | 'https' = 'http'): string[] {
  return lanAddresses(interfaces).map((a) => `${scheme}://${a}:${port}`);
}

/** Host names for the relay's allowedHosts: the LAN addresses, the host name and its mDNS `.local` name. */
export function allowedHostNames(interfaces: InterfaceMap, hostname: string): string[] {
  const names = new Set(lanAddresses(interfaces));
  const host = hostname.trim().toLowerCase().replace(/\.$/, '');
  if (/^[a-z0-9.-]{1,253}$/.test(host)) {
    names.add(host);
    const short = host.endsWith('.local') ? host.slice(0, -'.local'.length) : host;
    if (short) {
      names.add(short);
      names.add(`${short}.local`);
    }
  }
  return [...names];
}

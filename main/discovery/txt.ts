/**
 * The DNS-SD record of a hosted session, both ways. TXT data comes from anyone on the LAN, so it is
 * read like any other untrusted input: bounded, stripped of control and bidi characters, and a
 * service without a usable IPv4 address and port is ignored.
 */
import { isIPv4 } from 'node:net';
import { cleanNickname, parseFingerprint, PROTOCOL_VERSION, type LanSession } from '../../protocol/index';
import type { Advertisement } from '../host/host-service';

export const SERVICE_TYPE = 'parley';
export const SESSION_NAME_MAX = 64;

/** What a browser hands us; bonjour-service's Service satisfies it. */
export interface DiscoveredService {
  name: string;
  port: number;
  addresses?: string[];
  referer?: { address: string; family?: string };
  txt?: unknown;
}

/** TXT keys: short (DNS-SD suggests ≤ 9 characters) and each value well under the 255-byte limit. */
export function encodeTxt(ad: Advertisement): Record<string, string> {
  const host = cleanNickname(ad.host);
  return {
    name: truncate(cleanLabel(ad.name) ?? 'Parley session', SESSION_NAME_MAX),
    host: host.ok ? host.nickname : '',
    needsCode: ad.needsCode ? '1' : '0',
    protocol: String(PROTOCOL_VERSION),
    // 64 hex digits: the host serves TLS with this certificate (docs/lan-tls.md).
    ...(ad.fingerprint ? { fp: ad.fingerprint } : {}),
  };
}

export function sessionFromService(service: DiscoveredService): LanSession | null {
  if (typeof service.name !== 'string' || service.name.length === 0 || service.name.length > 63) return null;
  if (!Number.isInteger(service.port) || service.port < 1 || service.port > 65535) return null;
  const address = pickAddress(service);
  if (!address) return null;
  const txt = isRecord(service.txt) ? service.txt : {};
  const protocol = Number.parseInt(text(txt.protocol) ?? '', 10);
  const host = cleanNickname(text(txt.host) ?? '');
  // A record with a fingerprint is served over TLS; one with a malformed fingerprint is not trusted at all.
  const fpText = text(txt.fp);
  const fingerprint = parseFingerprint(fpText);
  if (fpText !== undefined && !fingerprint) return null;
  // A Parley host serves every session that needs a code over TLS. A record asking for a code with
  // no certificate is an impostor fishing for it (picked, the code would go out in the clear) or a
  // Parley from before TLS: neither is listed. Open sessions (no code) may be plain.
  const needsCode = text(txt.needsCode) !== '0';
  if (needsCode && !fingerprint) return null;
  return {
    id: service.name,
    name: cleanLabel(text(txt.name) ?? '') ?? service.name,
    host: host.ok ? host.nickname : '',
    url: `${fingerprint ? 'https' : 'http'}://${address}:${service.port}`,
    needsCode,
    protocol: Number.isInteger(protocol) && protocol > 0 && protocol < 1000 ? protocol : 0,
    ...(fingerprint ? { fingerprint } : {}),
  };
}

/**
 * The source address of the announcement first (it is on a network we share), then announced A
 * records. A loopback source can only be this computer (the kernel drops loopback sources arriving
 * from a network), so it is kept: that is how a session hosted here is reached when mDNS runs on the
 * loopback interface. A loopback A record is refused, since anyone can announce one.
 */
function pickAddress(service: DiscoveredService): string | null {
  const source = service.referer?.address;
  if (typeof source === 'string' && isIPv4(source) && source.startsWith('127.')) return source;
  const candidates = [source, ...(Array.isArray(service.addresses) ? service.addresses : [])];
  return candidates.find((a): a is string => typeof a === 'string' && isIPv4(a) && !a.startsWith('127.') && a !== '0.0.0.0') ?? null;
}

/** A one-line label fit for display, or null when nothing printable is left. */
export function cleanLabel(value: string): string | null {
  const cleaned = value
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  return cleaned.length > 0 ? truncate(cleaned, SESSION_NAME_MAX) : null;
}

function truncate(value: string, max: number): string {
  const chars = [...value];
  return chars.length > max ? chars.slice(0, max).join('') : value;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.slice(0, 255);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8').slice(0, 255);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `parley://join?url=<relay>&room=<room>&code=<join code>&fp=<certificate SHA-256>` links. A link arrives from anywhere (a web
 * page, a chat message, another app), so it is data to validate, never an instruction: only
 * http(s) relay URLs without credentials, a room name by the protocol's rules, a join code in the
 * join-code alphabet. The renderer still asks the user before connecting.
 */
import { isRoomName, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, parseFingerprint, type JoinLink } from '../protocol/index';

export const DEEP_LINK_SCHEME = 'parley';
const MAX_LINK_LENGTH = 2048;
const CODE_PATTERN = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

export type DeepLinkResult = { ok: true; link: JoinLink } | { ok: false; reason: string };

export function parseDeepLink(raw: string): DeepLinkResult {
  if (typeof raw !== 'string' || raw.length > MAX_LINK_LENGTH) return fail('link is too long');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('not a URL');
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return fail('not a parley: link');
  // `parley://join?…` (host form) and `parley:join?…` / `parley:///join?…` (path form) all mean join.
  const action = (url.host || url.pathname.replace(/^\/+/, '').replace(/\/+$/, '')).toLowerCase();
  if (action !== 'join') return fail(`unknown action "${action.slice(0, 32)}"`);

  const params = url.searchParams;
  for (const key of params.keys()) {
    if (!['url', 'room', 'code', 'fp'].includes(key)) return fail(`unknown parameter "${key.slice(0, 32)}"`);
  }
  if (params.getAll('url').length !== 1) return fail('exactly one url parameter is needed');
  const relay = relayUrl(params.get('url') ?? '');
  if (!relay) return fail('url must be an http(s) address without credentials');
  const link: JoinLink = { url: relay };

  const room = params.getAll('room');
  if (room.length > 1) return fail('more than one room');
  if (room.length === 1) {
    if (!isRoomName(room[0])) return fail('room name is not valid');
    link.room = room[0];
  }
  const code = params.getAll('code');
  if (code.length > 1) return fail('more than one code');
  if (code.length === 1) {
    const normalized = (code[0] ?? '').toUpperCase().replace(/[\s-]/g, '');
    if (!CODE_PATTERN.test(normalized)) return fail('join code is not valid');
    link.code = normalized;
  }
  const fp = params.getAll('fp');
  if (fp.length > 1) return fail('more than one fingerprint');
  if (fp.length === 1) {
    const fingerprint = parseFingerprint(fp[0]);
    if (!fingerprint) return fail('fingerprint is not a SHA-256 fingerprint');
    // A fingerprint pins a certificate: it means nothing for plain http, and would mislead.
    if (!link.url.startsWith('https:')) return fail('a fingerprint needs an https url');
    link.fingerprint = fingerprint;
  }
  return { ok: true, link };
}

/**
 * On Windows and Linux a link opened while Parley runs starts a second instance with the link in its
 * argv; the first instance gets that argv in `second-instance`. Chromium may add switches of its own,
 * so the link is the argument that starts with `parley:`. Switch-looking arguments are never links.
 */
export function deepLinkFromArgv(argv: readonly string[]): DeepLinkResult | null {
  const candidate = argv.find((arg) => typeof arg === 'string' && arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`));
  return candidate === undefined ? null : parseDeepLink(candidate);
}

/** The relay URL normalised to `scheme://host[:port]` plus path, or null. */
function relayUrl(raw: string): string | null {
  if (raw.length === 0 || raw.length > 1024) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || !url.hostname) return null;
  url.hash = '';
  url.search = '';
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

function fail(reason: string): DeepLinkResult {
  return { ok: false, reason };
}

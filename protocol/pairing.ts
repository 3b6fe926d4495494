/**
 * Joining a LAN session over TLS: the join code, bound to the host certificate's fingerprint.
 *
 * A LAN host's certificate is self-signed, so a client that found the host by mDNS (which anyone on
 * the network can answer) may be talking to a man in the middle with a certificate of its own. Sent
 * as it is, the code would be his; an HMAC of the code would not be (it names the wrong certificate),
 * but six characters are about 30 bits, which he could guess offline from one HMAC in minutes.
 *
 * So the code is used as the password of a balanced PAKE, shaped after CPace
 * (draft-irtf-cfrg-cpace) over ristretto255, with the certificate's fingerprint as the channel
 * identifier that goes into the generator:
 *
 *   g   = hash_to_ristretto255(lv(code) ‖ lv(fingerprint the client trusts) ‖ lv(sid))  (RFC 9380)
 *   client → host   POST /pair {sid (16 random bytes), a = ya·g}
 *   host            g from its own code and its own certificate's fingerprint; b = yb·g;
 *                   K = yb·a; ISK = SHA-512(lv(DSI) ‖ lv(sid) ‖ lv(K) ‖ lv(a) ‖ lv(b))
 *   host → client   {ticket, b, hostTag = HMAC-SHA-256(ISK, "host")}
 *   client          K = ya·b, same ISK; checks hostTag (a wrong code or another certificate fails
 *                   here, and the client says so loudly); then connects with
 *                   auth {joinTicket: ticket, joinTag: HMAC-SHA-256(ISK, "client")}
 *   host            checks joinTag against the ticket's ISK (once; the ticket is then spent).
 *
 * What each party learns: the host and a client that both know the code and see the same
 * certificate agree on ISK. Anyone else, a man in the middle included, sees only random-looking
 * group elements: checking one guess of the code costs one exchange with a real party, so a MITM
 * gets one guess per attempt of the client (who then sees "this is not the host you were invited
 * to"), and a guesser at the host is locked out after a few (server/chat/join-code.ts). The
 * fingerprint the client uses is the one its TLS layer enforces (the pin, the invite's `fp=`, or
 * the discovery record it connected with), never one the server could choose after the fact.
 *
 * Plain JavaScript (@noble/curves, @noble/hashes): the same code runs in the relay, in Node tools
 * and in the page, where `crypto.subtle` is missing on plain-http origins.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { toBase64url } from './base64url';
import { fingerprintBytes } from './tls';

/** Where a client starts pairing (HTTP POST, JSON). */
export const PAIR_PATH = '/pair';
/** How long a host keeps an unfinished pairing (the client connects right after). */
export const PAIR_TICKET_TTL_MS = 60_000;

const DSI = 'Parley-Pairing-v1';
const Point = ristretto255.Point;
const encoder = new TextEncoder();

/** What a client sends to start. */
export interface PairStart {
  sid: string;
  a: string;
}
/** What the host answers. */
export interface PairReply {
  ticket: string;
  b: string;
  hostTag: string;
}

/** A client's half-finished exchange (kept in memory only; never stored). */
export interface PairClient {
  start: PairStart;
  finish(reply: Pick<PairReply, 'b' | 'hostTag'>): { ok: true; joinTag: string } | { ok: false };
}

/** The host's side of one start: its answer, and the tag the client must present with `ticket`. */
export interface PairHost {
  reply: Omit<PairReply, 'ticket'>;
  expectedJoinTag: Uint8Array;
}

export function startPairing(code: string, fingerprint: string, random: (n: number) => Uint8Array = randomBytes): PairClient {
  const sid = random(16);
  const g = generator(code, fingerprint, sid);
  const ya = scalar(random);
  const a = g.multiply(ya);
  const start = { sid: toBase64url(sid), a: toBase64url(a.toBytes()) };
  return {
    start,
    finish(reply) {
      const b = point(reply.b);
      const hostTag = bytes(reply.hostTag, 32);
      if (!b || !hostTag) return { ok: false };
      const k = b.multiply(ya);
      if (k.is0()) return { ok: false };
      const isk = sessionKey(sid, k, a, b);
      if (!equalBytes(tag(isk, 'host'), hostTag)) return { ok: false };
      return { ok: true, joinTag: toBase64url(tag(isk, 'client')) };
    },
  };
}

/**
 * The host's answer to a start, or undefined when the start is malformed (not base64url, a wrong
 * length, not a canonical group element, the identity): such a start is refused before any guess is spent.
 */
export function answerPairing(code: string, fingerprint: string, start: PairStart, random: (n: number) => Uint8Array = randomBytes): PairHost | undefined {
  const sid = bytes(start.sid, 16);
  const a = point(start.a);
  if (!sid || !a) return undefined;
  const g = generator(code, fingerprint, sid);
  const yb = scalar(random);
  const b = g.multiply(yb);
  const k = a.multiply(yb);
  if (k.is0()) return undefined;
  const isk = sessionKey(sid, k, a, b);
  return { reply: { b: toBase64url(b.toBytes()), hostTag: toBase64url(tag(isk, 'host')) }, expectedJoinTag: tag(isk, 'client') };
}

/** Upper case, spaces and dashes removed: what a person reads out is what they may type. */
export function normalizeJoinCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** Constant-time comparison of a presented join tag with the expected one. */
export function joinTagMatches(expected: Uint8Array, presented: string): boolean {
  const got = bytes(presented, 32);
  return got !== undefined && equalBytes(expected, got);
}

function generator(code: string, fingerprint: string, sid: Uint8Array) {
  const msg = concat(lv(encoder.encode(normalizeJoinCode(code))), lv(fingerprintBytes(fingerprint)), lv(sid));
  return ristretto255_hasher.hashToCurve(msg, { DST: `${DSI}-generator` });
}

function sessionKey(sid: Uint8Array, k: InstanceType<typeof Point>, a: InstanceType<typeof Point>, b: InstanceType<typeof Point>): Uint8Array {
  return sha512(concat(lv(encoder.encode(DSI)), lv(sid), lv(k.toBytes()), lv(a.toBytes()), lv(b.toBytes())));
}

function tag(isk: Uint8Array, who: 'host' | 'client'): Uint8Array {
  return hmac(sha256, isk, encoder.encode(who));
}

/** A uniform non-zero scalar: 64 random bytes reduced mod the group order (bias below 2^-250). */
function scalar(random: (n: number) => Uint8Array): bigint {
  let n = 0n;
  for (const byte of random(64)) n = (n << 8n) | BigInt(byte);
  const s = n % Point.Fn.ORDER;
  return s === 0n ? 1n : s;
}

function point(b64: unknown) {
  const raw = bytes(b64, 32);
  if (!raw) return undefined;
  try {
    const p = Point.fromBytes(raw);
    return p.is0() ? undefined : p;
  } catch {
    return undefined;
  }
}

function lv(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + data.length);
  out[0] = data.length >> 8;
  out[1] = data.length & 0xff;
  out.set(data, 2);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equalBytes(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** Exactly `length` bytes from base64url, or undefined. */
function bytes(b64: unknown, length: number): Uint8Array | undefined {
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9_-]*$/.test(b64) || b64.length !== Math.ceil((length * 4) / 3)) return undefined;
  const binary = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
  if (binary.length !== length) return undefined;
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** An HTTP POST of JSON, as the caller's platform does it (fetch in the page, https in Node). */
export type PostJson = (url: string, body: PairStart) => Promise<{ status: number; body: unknown }>;

export type PairOutcome =
  | { ok: true; auth: { joinTicket: string; joinTag: string } }
  /** `WRONG_CODE_OR_HOST`: the host's answer did not prove the code for this certificate. */
  | { ok: false; reason: 'WRONG_CODE_OR_HOST' | 'REFUSED'; status?: number; body?: unknown };

/**
 * The client's whole exchange with `baseUrl` (the https origin it will connect to): the handshake
 * auth to present, or why not. The code itself never leaves this function.
 */
export async function pairWithHost(baseUrl: string, code: string, fingerprint: string, post: PostJson): Promise<PairOutcome> {
  const client = startPairing(code, fingerprint);
  const res = await post(new URL(PAIR_PATH, baseUrl).toString(), client.start);
  if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) return { ok: false, reason: 'REFUSED', status: res.status, body: res.body };
  const { ticket, b, hostTag } = res.body as Record<string, unknown>;
  if (typeof ticket !== 'string' || typeof b !== 'string' || typeof hostTag !== 'string') return { ok: false, reason: 'REFUSED', status: res.status, body: res.body };
  const done = client.finish({ b, hostTag });
  return done.ok ? { ok: true, auth: { joinTicket: ticket, joinTag: done.joinTag } } : { ok: false, reason: 'WRONG_CODE_OR_HOST' };
}

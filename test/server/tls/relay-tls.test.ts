/**
 * A relay serving HTTPS/WSS with a self-signed certificate, and the join code proved over it
 * (protocol/pairing.ts): real relays, real Socket.IO clients, a real man in the middle on loopback.
 */
import { request as httpsRequest } from 'node:https';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/index';
import { pairWithHost, startPairing } from '../../../protocol/pairing';
import type { TlsIdentity } from '../../../server/tls/certificate';
import { connected, connectOutcome, loggedIn, next, parleyClient, request } from '../../helpers/clients';
import { startRelay, useRelayCleanup } from '../../helpers/relay';
import { identity, manInTheMiddle, postJsonTrusting, type Mitm } from '../../helpers/tls';

useRelayCleanup();
const CODE = 'K7M2QX';
let host: TlsIdentity;
let mitmId: TlsIdentity;
const mitms: Mitm[] = [];
afterEach(async () => {
  await Promise.all(mitms.splice(0).map((m) => m.close()));
});

beforeAll(async () => {
  host = await identity('host');
  mitmId = await identity('intruder');
});

function getJson(url: string, ca: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    httpsRequest(url, { ca }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    })
      .on('error', reject)
      .end();
  });
}

describe('a relay over TLS', () => {
  it('serves chat over wss:// to a client that trusts its certificate, and names its fingerprint in /healthz', async () => {
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, healthDetails: 'public' });
    expect(relay.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(relay.fingerprint).toBe(host.fingerprint);
    const alice = await loggedIn(relay.url, 'alice', { ca: host.cert });
    const bob = await loggedIn(relay.url, 'bob', { ca: host.cert });
    const heard = next(bob.socket, 'new message');
    await request(alice.socket, 'new message', { text: 'over TLS' });
    expect((await heard).message).toBe('over TLS');
    const health = await getJson(`${relay.url}/healthz`, host.cert);
    expect(health.body.tls).toMatchObject({ fingerprint: host.fingerprint });
  });

  it('is refused by a client that does not trust the certificate', async () => {
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key } });
    const socket = parleyClient(relay.url);
    expect(await connectOutcome(socket)).toMatch(/self-signed|websocket error/i);
  });

  it('refuses a key that is not the certificate’s', async () => {
    await expect(startRelay({ tls: { cert: host.cert, key: mitmId.key } })).rejects.toThrow(/does not belong/);
  });
});

describe('joining over TLS with a code', () => {
  it('admits a client that proves the code for the certificate it sees, and the code never crosses the wire', async () => {
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE });
    const paired = await pairWithHost(relay.url, 'k7m-2qx', host.fingerprint, postJsonTrusting(host.cert));
    expect(paired.ok).toBe(true);
    if (!paired.ok) return;
    const socket = parleyClient(relay.url, { ca: host.cert, auth: paired.auth });
    await connected(socket);
    // A ticket is spent once: presenting it again is a failed attempt.
    const replay = parleyClient(relay.url, { ca: host.cert, auth: paired.auth });
    expect(await connectOutcome(replay)).toBe(ErrorCode.JOIN_CODE_INVALID);
  });

  it('refuses the code sent as it is over TLS (it must be proved), a wrong code, and no code', async () => {
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE });
    expect(await connectOutcome(parleyClient(relay.url, { ca: host.cert, joinCode: CODE }))).toBe(ErrorCode.JOIN_CODE_REQUIRED);
    expect(await connectOutcome(parleyClient(relay.url, { ca: host.cert }))).toBe(ErrorCode.JOIN_CODE_REQUIRED);
    const wrong = await pairWithHost(relay.url, 'K7M2QY', host.fingerprint, postJsonTrusting(host.cert));
    expect(wrong).toEqual({ ok: false, reason: 'WRONG_CODE_OR_HOST' });
  });

  it('defeats a man in the middle with his own certificate: the client refuses, he never sees the code, and nothing he saw lets him in', async () => {
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE });
    const mitm = await manInTheMiddle(relay.port!, mitmId);
    mitms.push(mitm);
    // The victim found "the host" by discovery, which the intruder answered with his own fingerprint.
    const victim = await pairWithHost(mitm.url, CODE, mitmId.fingerprint, postJsonTrusting(mitmId.cert));
    expect(victim).toEqual({ ok: false, reason: 'WRONG_CODE_OR_HOST' });
    const seen = mitm.seen();
    expect(seen).toContain('"ticket"');
    expect(seen).not.toContain(CODE);
    // The host's ticket is in what he relayed; without the victim's tag it is worthless to him.
    const ticket = /"ticket":"([^"]+)"/.exec(seen)![1]!;
    const forged = parleyClient(relay.url, { ca: host.cert, auth: { joinTicket: ticket, joinTag: 'A'.repeat(43) } });
    expect(await connectOutcome(forged)).toBe(ErrorCode.JOIN_CODE_INVALID);
  });

  it('locks out an address that keeps starting exchanges without finishing one (each start is a guess)', async () => {
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE, lockout: { maxFailures: 3, windowMs: 60_000, lockoutMs: 60_000 } });
    const post = postJsonTrusting(host.cert);
    for (let i = 0; i < 3; i++) expect((await pairWithHost(relay.url, `GUESS${i}`, host.fingerprint, post)).ok).toBe(false);
    const locked = await pairWithHost(relay.url, CODE, host.fingerprint, post);
    expect(locked).toMatchObject({ ok: false, reason: 'REFUSED', status: 429, body: { code: ErrorCode.LOCKED_OUT } });
  });

  it('refuses malformed and oversized starts with a typed error, and people already in chat on', async () => {
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE });
    const post = postJsonTrusting(host.cert);
    const paired = await pairWithHost(relay.url, CODE, host.fingerprint, post);
    if (!paired.ok) throw new Error('pairing failed');
    const inside = parleyClient(relay.url, { ca: host.cert, auth: paired.auth });
    await connected(inside);
    await request(inside, 'add user', { username: 'ana' });
    const kept = await request<{ ok: boolean }>(inside, 'new message', { text: 'before the junk' });
    expect(kept.ok).toBe(true);
    expect(await post(`${relay.url}/pair`, { sid: 'x', a: 'y' })).toMatchObject({ status: 400, body: { code: ErrorCode.INVALID_PAYLOAD } });
    expect(await post(`${relay.url}/pair`, { sid: 'x'.repeat(2000), a: 'y' })).toMatchObject({ status: 413, body: { code: ErrorCode.TOO_LARGE } });
    expect(await post(`${relay.url}/pair`, 'not an object' as never)).toMatchObject({ status: 400 });
    // The one inside is still connected, can still send, and the history kept what was said before.
    expect(inside.connected).toBe(true);
    expect((await request<{ ok: boolean }>(inside, 'new message', { text: 'after the junk' })).ok).toBe(true);
    const history = await request<{ ok: boolean; messages: { message: string }[] }>(inside, 'history:fetch', { room: 'lobby' });
    expect(history.ok && history.messages.map((m) => m.message)).toEqual(['before the junk', 'after the junk']);
  });
});

describe('pairing under a flood', () => {
  const start = () => startPairing(CODE, 'ab'.repeat(32)).start;
  const from = (address: string) => (url: string, body: object) => postJsonTrusting(host.cert, { 'x-forwarded-for': address })(url, body as never);

  it('counts an IPv6 /64 as one address: rotating through it does not buy more guesses', async () => {
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE, trustProxy: true });
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) statuses.push((await from(`2001:db8:1:2::${i.toString(16)}`)(`${relay.url}/pair`, start())).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // Another /64 is another network: not locked out.
    expect((await from('2001:db8:1:3::1')(`${relay.url}/pair`, start())).status).toBe(200);
  });

  it('answers at most so many starts a second in all, whatever their addresses; the rest wait, uncounted', async () => {
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE, trustProxy: true, pairStarts: { capacity: 5, perSecond: 0.01 } });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => from(`10.9.0.${i + 1}`)(`${relay.url}/pair`, start())));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    const busy = results.filter((r) => r.status === 503);
    expect(busy).toHaveLength(7);
    expect(busy[0]!.body).toMatchObject({ code: ErrorCode.RATE_LIMITED, retryAfterMs: expect.any(Number) });
  });

  it('takes JSON only, so a page elsewhere cannot spend anyone’s guesses without a CORS preflight', async () => {
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE });
    const res = await postJsonTrusting(host.cert, { 'content-type': 'text/plain' })(`${relay.url}/pair`, start());
    expect(res).toMatchObject({ status: 415, body: { code: ErrorCode.INVALID_PAYLOAD } });
  });
});

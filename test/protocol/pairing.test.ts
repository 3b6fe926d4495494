/** The join code bound to the certificate (protocol/pairing.ts): who can finish an exchange, and who cannot. */
import { describe, expect, it } from 'vitest';
import { answerPairing, joinTagMatches, startPairing, type PairStart } from '../../protocol/pairing';
import { displayFingerprint, parseFingerprint } from '../../protocol/tls';

const HOST_FP = 'a1'.repeat(32);
const MITM_FP = 'b2'.repeat(32);

function exchange(clientCode: string, clientFp: string, hostCode: string, hostFp: string) {
  const client = startPairing(clientCode, clientFp);
  const host = answerPairing(hostCode, hostFp, client.start)!;
  const done = client.finish(host.reply);
  return { client, host, done, accepted: done.ok && joinTagMatches(host.expectedJoinTag, done.joinTag) };
}

describe('pairing', () => {
  it('lets a client that knows the code and sees the host’s certificate join', () => {
    const { accepted } = exchange('K7M-2QX', HOST_FP, 'k7m2qx', HOST_FP);
    expect(accepted).toBe(true);
  });

  it('fails at the client, before it proves anything, on a wrong code', () => {
    expect(exchange('K7M2QY', HOST_FP, 'K7M2QX', HOST_FP).done.ok).toBe(false);
  });

  it('fails when the client sees another certificate than the host’s own (a man in the middle), even with the right code', () => {
    expect(exchange('K7M2QX', MITM_FP, 'K7M2QX', HOST_FP).done.ok).toBe(false);
  });

  it('gives a man in the middle nothing to forward: the start he relays to the host yields an answer the client rejects', () => {
    const client = startPairing('K7M2QX', MITM_FP);
    const hostAnswer = answerPairing('K7M2QX', HOST_FP, client.start)!;
    expect(client.finish(hostAnswer.reply).ok).toBe(false);
  });

  it('never puts the code, or a hash of it alone, on the wire', () => {
    const client = startPairing('K7M2QX', HOST_FP);
    const host = answerPairing('K7M2QX', HOST_FP, client.start)!;
    const wire = JSON.stringify({ ...client.start, ...host.reply });
    expect(wire).not.toMatch(/K7M2QX/i);
    // Two exchanges with the same code and certificate share no value: nothing to replay or compare.
    const again = startPairing('K7M2QX', HOST_FP);
    expect(again.start.a).not.toBe(client.start.a);
    expect(again.start.sid).not.toBe(client.start.sid);
  });

  it('refuses a join tag from another exchange or a tampered one', () => {
    const first = exchange('K7M2QX', HOST_FP, 'K7M2QX', HOST_FP);
    const second = exchange('K7M2QX', HOST_FP, 'K7M2QX', HOST_FP);
    expect(first.done.ok && second.done.ok).toBe(true);
    if (!first.done.ok || !second.done.ok) return;
    expect(joinTagMatches(first.host.expectedJoinTag, second.done.joinTag)).toBe(false);
    const flipped = (first.done.joinTag[0] === 'A' ? 'B' : 'A') + first.done.joinTag.slice(1);
    expect(joinTagMatches(first.host.expectedJoinTag, flipped)).toBe(false);
    expect(joinTagMatches(first.host.expectedJoinTag, '')).toBe(false);
  });

  it('refuses a host answer whose tag was tampered with', () => {
    const client = startPairing('K7M2QX', HOST_FP);
    const host = answerPairing('K7M2QX', HOST_FP, client.start)!;
    const tag = host.reply.hostTag;
    expect(client.finish({ ...host.reply, hostTag: (tag[0] === 'A' ? 'B' : 'A') + tag.slice(1) }).ok).toBe(false);
  });

  it.each<[string, PairStart]>([
    ['not base64url', { sid: '!'.repeat(22), a: 'A'.repeat(43) }],
    ['a short sid', { sid: 'AAAA', a: startPairing('X', HOST_FP).start.a }],
    ['a long element', { sid: 'A'.repeat(22), a: 'A'.repeat(44) }],
    ['the identity element', { sid: 'A'.repeat(22), a: 'A'.repeat(43) }],
    ['a non-canonical encoding', { sid: 'A'.repeat(22), a: '_'.repeat(43) }],
  ])('answers nothing to a start with %s', (_, start) => {
    expect(answerPairing('K7M2QX', HOST_FP, start)).toBeUndefined();
  });
});

describe('fingerprints', () => {
  it('reads the usual spellings and shows them as openssl does', () => {
    const colons = displayFingerprint(HOST_FP);
    expect(colons).toMatch(/^A1:A1(:A1){30}$/);
    expect(parseFingerprint(colons)).toBe(HOST_FP);
    expect(parseFingerprint(`sha256/${HOST_FP.toUpperCase()}`)).toBe(HOST_FP);
    expect(parseFingerprint('a1'.repeat(31))).toBeUndefined();
    expect(parseFingerprint(undefined)).toBeUndefined();
  });
});
